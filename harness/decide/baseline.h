#pragma once
// Baselines (schema gpuqual.baseline/1; DESIGN.md §7): made by gpuqual from real results files,
// never typed by hand. Per case id, the samples of every source run and device merged (as times
// per iteration) with summaries recomputed from them, plus provenance and qualify thresholds.
//
// Merging: only cases with status ok or noisy contribute; every source case's replicate medians
// (one per round, or per run) are kept, so the between-run spread is known to compare. Metrics
// whose unit ties them to the iteration time (TFLOP/s, GB/s, tok/s, ms, us; see
// MetricFromIterationTime) are recomputed from each source's round medians (a run with
// --repetitions) or its samples, and the case's work; other metrics (e.g. J/TFLOP, and the e2e
// metrics measured from a phase such as ttft_ms) take the median of the source medians, with n =
// the number of sources. All sources must share one SKU ("cpu" for the cpu backend).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/results.h"

namespace gq {

inline constexpr const char* kBaselineSchema = "gpuqual.baseline/1";

struct BaselineSource {
  std::string file, run_id, started_at, hostname, provider;
  std::string instance_type;  // InstanceTypeOf the run (its instance_type label, else the cloud's)
  std::string tool_version, tool_git;
  std::vector<std::string> devices;  // "NVIDIA H100 80GB HBM3 [h100-sxm-80gb] cuda 13.0/13.0 driver 580.159.04"
};

struct BaselineCase {
  std::string id, workload;
  Params params;
  std::string primary_metric;
  // A metric derived from iteration time (tflops, GB/s, time_ms, output_tok_s) summarises every
  // source's values as that source's metric did: a run in rounds its rounds' medians, else its
  // samples; a metric measured from a phase (ttft_ms, prefill_tok_s) the sources' medians.
  std::vector<std::pair<std::string, MetricResult>> metrics;
  std::vector<double> samples_s;  // seconds per iteration, all sources and devices merged
  Work work;
  int sources = 0;  // number of (run, device) cases merged
  // The replicates compare judges on (change_decision.h), in seconds per iteration: per source
  // run, one per round of --repetitions (else one), the median over the run's devices of their
  // round medians (CaseResult::ReplicateMediansS; run_replicates.h): the GPUs of a run are not
  // runs. Baselines written before this field read their merged median as one; those written
  // before 2026-11-30 hold one per (run, device).
  std::vector<double> replicate_medians_s;
  bool noisy = false;  // some source case was noisy: compare calls such a case inconclusive
  const MetricResult* FindMetric(const std::string& name) const;
  // replicate_medians_s, or the median of samples_s for an older baseline; empty without samples.
  std::vector<double> ReplicateMediansS() const;
};

// Qualification thresholds as fractions of the baseline median of the primary metric (in the
// better direction): below warn_below -> WARN, below fail_below -> FAIL.
struct QualifyThreshold {
  double warn_below = 0.95;
  double fail_below = 0.90;
};

class JsonFields;
// Reads {"warn_below": W, "fail_below": F} (a baseline's "qualify" section, a qualify spec);
// throws UsageError naming the input and key unless 0 < F <= W <= 1.5.
QualifyThreshold QualifyThresholdFromJson(const JsonFields& f);

struct Baseline {
  std::string name, sku, created_at, tool_version, tool_git;
  std::vector<BaselineSource> sources;
  QualifyThreshold default_threshold;
  std::map<std::string, QualifyThreshold> workload_thresholds;
  std::vector<BaselineCase> cases;

  const BaselineCase* Find(const std::string& id) const;
  QualifyThreshold ThresholdFor(const std::string& workload) const;
};

// Throws UsageError naming `file` when the run did not finish (interrupted, or its file was cut
// off: complete = false): a baseline is made of whole runs (`baseline create --allow-incomplete`
// skips this check).
void RequireFinishedRun(const ResultsDoc& doc, const std::string& file);

// Throws UsageError naming both files when two of `docs` are one run (the same non-empty run.id):
// runs counted twice would look like replicates that agree exactly (baseline create, qualify and
// rank count each run once).
void RequireDistinctRuns(const std::vector<ResultsDoc>& docs, const std::vector<std::string>& files);

// Builds a baseline from result documents (files[i] names docs[i] in the provenance). Throws
// UsageError when two sources are one run, the sources mix SKUs, a file repeats a case on one
// device, or nothing usable (ok/noisy) is left.
Baseline CreateBaseline(const std::vector<ResultsDoc>& docs, const std::vector<std::string>& files,
                        const std::string& name);

// The per-iteration figure of a metric from its unit, when the unit ties it to iteration time.
// The e2e metrics (TokenThroughputMetrics in work.h) go by name: output_tok_s = tokens / t,
// total_tok_s = (tokens + prefill_tokens) / t, tok_s_per_gpu = tokens / max(gpus, 1) / t; the
// ones measured from a phase (prefill_tok_s, ttft_ms, tpot_ms, itl_*_ms) are not derived from
// the iteration time: nullopt. Other tok/s metrics are tokens / t.
std::optional<double> MetricFromIterationTime(const std::string& name, const std::string& unit,
                                              double seconds, const Work& work);

void WriteBaselineFile(const std::string& path, const Baseline& b);
// Throws UsageError naming the file on malformed JSON, another schema, missing keys or a case id
// that appears twice.
Baseline ReadBaselineFile(const std::string& path);
// The same from a parsed document; `origin` names it in error messages.
Baseline BaselineFromJson(const nlohmann::ordered_json& j, const std::string& origin);

// The baseline `qualify` judges a run against: the file `path` when given, else the stored
// baseline of the run's GPU SKU, `dir`/<sku>.json, when every GPU of the run has that one SKU and
// the file exists; nullopt otherwise (a cpu run, mixed SKUs, none stored). Throws UsageError for
// a bad file, and for a given baseline of another SKU than a case of the run (CaseSku): a machine
// is judged against its own SKU's figures (compare and rank set different machines side by side).
std::optional<Baseline> FindQualifyBaseline(const ResultsDoc& doc, const std::string& path,
                                            const std::string& dir);
// Why FindQualifyBaseline found none, in words for the verdict: "a cpu run has no stored SKU
// baseline", "its GPUs are of several SKUs (a, b)", "none stored for SKU s (DIR/s.json)".
std::string NoQualifyBaselineReason(const ResultsDoc& doc, const std::string& dir);

}  // namespace gq
