#pragma once
// In-memory form of a results file, schema gpuqual.results/1 (DESIGN.md §6). Plain data only:
// results_json.* converts it to and from JSON; reporters format it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/axis.h"
#include "harness/work.h"

namespace gq {

struct HostInfo {
  std::string hostname, os, kernel, cpu;
  int cores = 0;
  uint64_t memory_bytes = 0;
};

struct CloudInfo {
  std::string provider;       // "aws", "azure", "gcp", "oci", ... or "unknown"
  std::string instance_type;  // e.g. "p5.48xlarge"; empty when unknown
  std::string region;         // empty when unknown
  std::string source;         // where the facts came from, e.g. "/sys/class/dmi/id"
};

struct PcieLink {
  int gen = -1, width = -1, gen_max = -1, width_max = -1;  // -1 = unknown
};

struct GpuInfo {
  int index = 0;
  std::string name, sku, uuid, pci_bus_id, compute_capability;
  int sm_count = 0;
  uint64_t memory_bytes = 0;
  std::string driver, cuda_runtime;
  std::map<std::string, double> clocks_max;  // "sm_mhz", "memory_mhz"
  PcieLink pcie;
};

// The processes of the run (DESIGN.md §8): one process ("single"; it may drive several GPUs) or
// an MPI job of `ranks` processes on `nodes` distinct hosts ("mpi").
struct WorldInfo {
  int ranks = 1;
  int nodes = 1;
  std::string backend = "single";  // "single", "mpi"
  // Multi-rank runs: the distinct SKUs of the devices the ranks ran on ("cpu" for cpu ranks),
  // sorted; empty in a single process (system.devices names its GPUs) and in files written
  // before this field.
  std::vector<std::string> skus;
};

struct SystemInfo {
  HostInfo host;
  CloudInfo cloud;
  std::vector<GpuInfo> devices;
  WorldInfo world;
};

struct RunInfo {
  std::string id;  // unique per run: "<utc timestamp>-<hostname>-<random hex>"
  std::string started_at, finished_at;  // ISO 8601 UTC; finished_at empty while running
  std::string tool_version, tool_git;
  std::string command;  // argv joined by spaces
  std::string suite;    // suite name or file; empty for ad-hoc runs
  std::map<std::string, std::string> labels;
  bool interrupted = false;
  // False while the run is being written (after every case), true once the writer finished: a
  // file left with complete = false was cut off (the process was killed). Files written before
  // this field existed read as complete.
  bool complete = true;
};

enum class CaseStatus { kOk, kFailed, kSkipped, kInvalid, kNoisy };
const char* CaseStatusName(CaseStatus status);
// Throws std::invalid_argument for an unknown name.
CaseStatus ParseCaseStatus(const std::string& name);

struct MetricResult {
  std::string unit;
  bool higher_is_better = true;
  double median = 0, mean = 0, stddev = 0, cv = 0, p10 = 0, p90 = 0, min = 0, max = 0;
  double ci95_low = 0, ci95_high = 0;
  int64_t n = 0;
};

struct Roofline {
  std::string bound;        // "compute", "memory" or "interconnect"
  double peak = 0;          // attainable rate of the primary metric at this arithmetic intensity
  double efficiency = 0;    // median primary metric / peak
  std::string peak_source;  // e.g. "datasheet H100 SXM bf16 dense"
};

struct VerificationResult {
  bool passed = false;
  double max_rel_err = 0;
  double tolerance = 0;
  std::string detail;
};

// One telemetry reading of one GPU (NVML), t_s seconds after the case's sampling started.
struct TelemetrySample {
  double t_s = 0, sm_mhz = 0, memory_mhz = 0, power_w = 0, temperature_c = 0;
};

// Figures of the readings of one GPU, or of a group of GPUs, over a case's timed samples.
struct TelemetryFigures {
  int samples = 0;  // readings taken
  double sm_mhz_min = 0, sm_mhz_median = 0, memory_mhz_median = 0;
  double temperature_c_max = 0, power_w_mean = 0, power_w_max = 0;
  double energy_j = 0;  // from the total-energy counter where supported, else mean power x time
  std::vector<std::string> throttle_reasons;  // union over the case: "sw_power_cap", "hw_slowdown",
                                              // "hw_thermal", "sw_thermal", "hw_power_brake", ...
  std::vector<TelemetrySample> series;        // at most ~64 readings, evenly thinned
};

// One GPU of a group: its own figures and its CUDA ordinal.
struct GpuTelemetry : TelemetryFigures {
  int index = 0;
};

// Telemetry of the case's device over its timed samples (DESIGN.md §5). `available` is false
// (with the reason) where NVML is absent, e.g. on the cpu backend; that is never a failure.
// For a group of GPUs (a case driving several, e.g. tensor-parallel e2e or NCCL collectives in one
// process) the top-level figures are the group's (rules in harness/measure/telemetry_summary.h: energy
// and power summed, clocks the lowest, temperature the highest, throttle reasons the union) and
// `gpus` holds every GPU's own figures; for one GPU `gpus` is empty.
struct TelemetrySummary : TelemetryFigures {
  bool available = false;
  std::string reason;  // why unavailable
  double period_s = 0;
  std::vector<GpuTelemetry> gpus;
};

// One rank's own figure for a case of a multi-rank (MPI) run: the median over its own samples of
// the seconds per iteration, before the runner took the maximum over ranks of each sample.
struct RankFigure {
  int rank = 0;
  std::string host;
  std::string device;  // the rank's device, e.g. "cuda:3" or "cpu"
  double median_s = 0;
};

// The slowest rank of a multi-rank case when the spread of the per-rank medians,
// spread = slowest / fastest - 1, exceeds the run's straggler threshold (default 10%).
struct Straggler {
  int rank = 0;
  std::string host, device;
  double median_s = 0;
  double spread = 0;
};

struct CaseResult {
  std::string id, workload;
  Params params;
  std::string device;  // "cpu", "cuda:0"
  CaseStatus status = CaseStatus::kFailed;
  std::string reason;  // why a case is not ok (or noisy/invalid), empty otherwise
  std::string primary_metric;
  std::vector<std::pair<std::string, MetricResult>> metrics;  // primary first
  std::vector<double> samples_s;  // seconds per sample (each sample = iterations_per_sample runs)
  // Per phase name (PreparedCase::PhaseSeconds), one value per sample, aligned with samples_s:
  // the seconds of that phase in the last iteration of the sample (per iteration, not per
  // sample). Multi-rank: the slowest rank's. Empty for cases that report no phases.
  std::map<std::string, std::vector<double>> phase_samples_s;
  int64_t iterations_per_sample = 0;
  Work work;
  std::optional<Roofline> roofline;
  std::optional<VerificationResult> verification;  // absent with --no-verify or when never run
  std::map<std::string, std::string> details;
  std::optional<TelemetrySummary> telemetry;  // absent when not sampled
  double wall_time_s = 0;  // prepare + warm-up + sampling + verify
  // Multi-rank runs (system.world.ranks > 1) only: every rank's own median, in rank order, and
  // the straggler when the spread exceeds the threshold. samples_s of such a case hold, per
  // sample, the slowest rank's time (as nccl-tests reports the slowest rank). Empty / absent in
  // a single process.
  std::vector<RankFigure> ranks;
  std::optional<Straggler> straggler;
  // Run-level replication (`gpuqual run --repetitions N`, DESIGN.md §5): the rounds planned and,
  // per round done, the median seconds per iteration of that round (in round order). A case run
  // once has one round; with N rounds the metrics summarise the rounds (harness/measure/rounds.h).
  // These medians are the replicates compare judges on (harness/decide/change_decision.h).
  int rounds_planned = 1;
  int rounds_done = 1;  // rounds taken so far (a failed or skipped case takes no more)
  std::vector<double> round_medians_s;

  const MetricResult* FindMetric(const std::string& name) const;
  // ok or noisy: the case was measured and its figures stand (a noisy one's with a wide interval).
  bool Measured() const { return status == CaseStatus::kOk || status == CaseStatus::kNoisy; }
  // samples_s divided by iterations_per_sample: seconds per iteration, one per sample.
  std::vector<double> PerIterationSeconds() const;
  // The replicate medians (seconds per iteration): round_medians_s, or for a file written before
  // rounds existed the median of PerIterationSeconds(); empty without samples.
  std::vector<double> ReplicateMediansS() const;
};

// Health of one GPU at one moment (before or after the run), from NVML. -1 = unknown/unsupported.
struct DeviceHealth {
  int index = 0;
  bool available = false;
  std::string reason;  // why unavailable
  std::string driver_version;  // NVIDIA driver, e.g. "580.159.04"
  int ecc_enabled = -1;        // 1/0
  int64_t ecc_volatile_corrected = -1, ecc_volatile_uncorrected = -1;
  int64_t ecc_aggregate_corrected = -1, ecc_aggregate_uncorrected = -1;
  int64_t retired_pages_sbe = -1, retired_pages_dbe = -1;
  int retired_pages_pending = -1;  // 1 = a page retirement awaits a reboot
  int64_t remapped_rows_correctable = -1, remapped_rows_uncorrectable = -1;
  int remapped_rows_pending = -1, remapped_rows_failure = -1;
  PcieLink pcie;
  double power_limit_w = -1, power_default_limit_w = -1;
  int persistence_mode = -1;
  int temperature_c = -1;
};

struct HealthSnapshot {
  std::string taken_at;  // ISO 8601 UTC
  std::vector<DeviceHealth> devices;
};

struct HealthReport {
  std::optional<HealthSnapshot> before, after;
};

// The outcome of one qualification check and of the whole verdict, in increasing severity (so
// the overall verdict is the std::max of its checks). Written "PASS", "WARN", "INCOMPLETE",
// "FAIL". INCOMPLETE: the run did not finish (interrupted, cut off, nothing measured), so the
// machine is not qualified; a FAIL found in what did run still says FAIL.
enum class QualifyStatus { kPass, kWarn, kIncomplete, kFail };
const char* QualifyStatusName(QualifyStatus status);
// Throws std::invalid_argument for anything but those names (case-sensitive).
QualifyStatus ParseQualifyStatus(const std::string& name);

// One qualification check (written by `gpuqual qualify`; DESIGN.md §7).
struct QualifyCheck {
  std::string name;    // case id, "cuda:0 ecc", "inventory gpu count", ...
  std::string kind;    // "performance", "health", "inventory"
  QualifyStatus status = QualifyStatus::kPass;
  std::string reason;  // in words
  double value = 0, threshold = 0;  // performance checks: the figure and the FAIL threshold
  std::string unit;
};

struct QualifyCost {
  double price_per_hour_usd = 0;
  double tflops_per_usd_hour = 0;  // 0 = not computed
  double usd_per_mtok = 0;         // 0 = not computed
  std::string scenario;            // what usd_per_mtok is quoted for (harness/decide/procurement_scenario.h)
  std::string usd_per_mtok_note;   // how it was made, or why there is none
};

struct QualifyVerdict {
  QualifyStatus overall = QualifyStatus::kPass;  // the most severe status of the checks
  std::string baseline, instance_type, evaluated_at;
  std::vector<QualifyCheck> checks;
  std::optional<QualifyCost> cost;
};

struct ResultsDoc {
  RunInfo run;
  SystemInfo system;
  std::vector<CaseResult> cases;
  HealthReport health;
  std::optional<QualifyVerdict> verdict;
};

// A case's device label (RankSync::DeviceLabel) in parts:
//   "cpu"                          -> cpu, 1 rank;
//   "cuda:I", "cuda:I-J"           -> GPUs I..J of one process, 1 rank;
//   "<N>xcpu", "<N>xcuda"          -> N ranks of an MPI run (first = last = -1: their GPUs are
//                                     the ranks' own, not listed by index);
// valid = false for any other label.
struct CaseDevice {
  bool valid = false;
  bool cuda = false;
  int ranks = 1;
  int first = -1, last = -1;  // GPU indices of a single process; -1 otherwise
  bool SingleGpu() const { return cuda && ranks == 1 && first >= 0 && first == last; }
  bool RanksOfGpus() const { return cuda && ranks > 1; }
};
CaseDevice ParseCaseDevice(const std::string& label);

// The SKU a case ran on, from its device label (RankSync::DeviceLabel):
//   "cpu", "<N>xcpu"  -> "cpu";
//   "cuda:I"          -> device I's sku in system.devices;
//   "cuda:I-J"        -> the sku devices I..J share (one process driving several GPUs);
//   "<N>xcuda"        -> the one sku of system.world.skus (every rank on the same SKU);
// "unknown" when the devices are not listed, their SKU is unknown, or they differ.
std::string CaseSku(const ResultsDoc& doc, const CaseResult& c);

// The run's instance type: its "instance_type" label when set, else system.cloud.instance_type.
std::string InstanceTypeOf(const ResultsDoc& run);

// The kind of machine a run is of: its "machine" label when set, else InstanceTypeOf, else "".
// Never the hostname: CI runners in containers get a new one every job, and their runs are of one
// machine. The history keeps series and baselines per machine (harness/record/history_store.h).
std::string MachineTypeOf(const ResultsDoc& run);

}  // namespace gq
