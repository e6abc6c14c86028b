#pragma once
// What one iteration of a case does, and how figures are derived from its time.
//
// Work holds the counts that rates are made of; a workload computes them from its parameters with
// a cited formula. A MetricSpec turns a time of t seconds into a figure:
//   rate metrics:  value = amount(work) / t * scale      (e.g. TFLOP/s = flops / t * 1e-12)
//   time metrics:  value = t * scale                      (e.g. ms = t * 1e3)
// Which time t is depends on MetricSpec::phase:
//   phase empty:     t = the time of one iteration (a sample's time / iterations per sample);
//   phase non-empty: t = the seconds of that named phase of one iteration, as the prepared case
//                    reports them (PreparedCase::PhaseSeconds in harness/workload.h; the runner
//                    keeps them per sample in CaseResult::phase_samples_s). A case that reports
//                    no such phase gets no figure for the metric.
#include <string>
#include <vector>

namespace gq {

// One stage of an iteration for the roofline (harness/measure/roofline.h): `repeats` runs of a stage that
// does `flops` and moves `bytes` each, e.g. {"prefill", F, B, 1} and
// {"decode_step", f, b, output_len - 1}. Names describe the stage; they need not be phase names.
struct WorkPhase {
  std::string name;
  double flops = 0;    // per run of the stage
  double bytes = 0;    // fewest bytes moved per run of the stage
  double repeats = 1;  // runs of the stage per iteration
};

struct Work {
  double flops = 0;          // floating-point operations per iteration
  double bytes = 0;          // fewest bytes moved per iteration (each input read once, output written once)
  double tokens = 0;         // tokens produced per iteration (e2e: batch x output_len)
  double busbw_factor = 0;   // collectives: busbw = algbw * factor (nccl-tests doc/PERFORMANCE.md)
  // Key of the datasheet peak that bounds the flops: DtypePeakKey (harness/dtype.h) of the dtype
  // the flops are done in ("bf16", "fp8", "tf32", "fp32", "fp64"); "" when no compute peak applies.
  std::string compute_dtype;
  // Bandwidth benchmarks (membw) name the path their bytes are bounded by, which picks the peak
  // of their GB/s roofline (harness/measure/roofline.h): "" = not stated (other workloads);
  // "device" = the memory of the case's device (HBM on a GPU, DRAM on the cpu);
  // "pcie" = the host<->device link; "peer" = a GPU<->GPU path; collectives (busbw):
  // "interconnect" = the GPUs' links within one node (NVLink, else PCIe), "network" = ranks on
  // several nodes (the NIC rate is not known here).
  std::string bandwidth_domain;
  double link_peak_gbs = 0;      // "pcie", "interconnect": theoretical GB/s of the link for this traffic; 0 unknown
  std::string link_peak_source;  // how link_peak_gbs was derived (shown as the roofline's source)
  double prefill_tokens = 0;     // prompt tokens processed per iteration (e2e: batch x input_len)
  double gpus = 0;               // devices one iteration uses (e2e: tp); 0 means 1
  int nodes = 0;                 // collectives: the nodes their ranks ran on (1: one node); 0 not stated
  // Stages of the iteration, for the token-rate roofline (harness/measure/roofline.h); may be empty.
  std::vector<WorkPhase> phases;
};

enum class Quantity {
  kTime,           // t
  kFlops,          // flops / t
  kBytes,          // bytes / t
  kBusBytes,       // bytes * busbw_factor / t
  kTokens,         // tokens / t                       (output tokens)
  kPrefillTokens,  // prefill_tokens / t
  kTotalTokens,    // (tokens + prefill_tokens) / t   (output + prompt tokens)
  kTokensPerGpu,   // tokens / max(gpus, 1) / t
};

// Names of the phases a prepared case may report (PreparedCase::PhaseSeconds), in seconds of one
// iteration. The e2e metrics (TokenThroughputMetrics) read them; other phases may be added.
// prefill: the prefill of the iteration: every prompt token processed and the first output token
//          of each sequence sampled.
inline constexpr char kPhasePrefill[] = "prefill";
// ttft: time to first token: from the start of the iteration to the first output token of the
//       whole batch.
inline constexpr char kPhaseTtft[] = "ttft";
// tpot: time per output token: (iteration time - ttft) / (output_len - 1); only for output_len > 1.
inline constexpr char kPhaseTpot[] = "tpot";
// itl_p50, itl_p99: inter-token latency: the 50th / 99th percentile of the latencies of the
//                   iteration's decode steps (one step = one output token for every sequence).
inline constexpr char kPhaseItlP50[] = "itl_p50";
inline constexpr char kPhaseItlP99[] = "itl_p99";

// The cost figure of `gpuqual qualify --price-per-hour` that a metric feeds, declared by its
// workload (formulas in harness/decide/qualify.h). Results files do not store it: qualify is
// told per workload name which metric has which role (CostMetrics, built from the workloads).
enum class CostRole {
  kNone,
  kComputeRate,   // a TFLOP/s figure -> TFLOP/s per dollar-hour
  kOutputTokens,  // an output tok/s figure -> dollars per million output tokens
};

struct MetricSpec {
  std::string name;
  std::string unit;
  bool higher_is_better = true;
  Quantity quantity = Quantity::kTime;
  double scale = 1.0;
  // "" = the figure comes from the iteration time; a phase name (kPhase*) = from that phase's
  // seconds of the iteration (see the top of this file).
  std::string phase;
  CostRole cost_role = CostRole::kNone;

  // The figure for a time of `seconds` (one iteration, or one phase of it). Time metrics ignore
  // the work.
  double FromTime(double seconds, const Work& work) const;
};

// Metric helpers with the names and units every part agrees on (DESIGN.md §6).
MetricSpec TflopsMetric();   // "tflops", TFLOP/s = flops / t / 1e12
MetricSpec TimeMsMetric();   // "time_ms", ms
MetricSpec TimeUsMetric();   // "time_us", us
MetricSpec BandwidthMetric(const std::string& name);  // GB/s = bytes / t / 1e9
MetricSpec BusBandwidthMetric();  // "busbw", GB/s = bytes * busbw_factor / t / 1e9

// The e2e metrics, primary first (t = iteration time unless a phase is named):
//   output_tok_s   tok/s  tokens / t
//   total_tok_s    tok/s  (tokens + prefill_tokens) / t
//   prefill_tok_s  tok/s  prefill_tokens / t_prefill           phase "prefill"
//   tok_s_per_gpu  tok/s  tokens / max(gpus, 1) / t
//   ttft_ms        ms     t_ttft * 1e3      (lower is better)  phase "ttft"
//   tpot_ms        ms     t_tpot * 1e3      (lower is better)  phase "tpot"
//   itl_p50_ms     ms     t_itl_p50 * 1e3   (lower is better)  phase "itl_p50"
//   itl_p99_ms     ms     t_itl_p99 * 1e3   (lower is better)  phase "itl_p99"
std::vector<MetricSpec> TokenThroughputMetrics();

}  // namespace gq
