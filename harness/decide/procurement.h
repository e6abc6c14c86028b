#pragma once
// The figures a buyer decides on, computed once, here (DESIGN.md §1: decisions in C++). `gpuqual
// rank` prints them, `gpuqual report` hands them to the report, which draws only these numbers,
// and `qualify` writes the cost figures of one machine into its results file.
//
// Machines: runs grouped by their "machine" label, else their instance type, else their host.
// A machine's figure for a case (measured: ok or noisy) is, for the primary metric, the mean
// over the devices of each run (every GPU, or tp group, runs the case: the instance's throughput
// per GPU, so one slow GPU lowers it), then the geometric mean over runs; its replicates are one
// per (run, round): the mean over the run's devices of their round values (round medians in the
// metric's units; run_replicates.h), whose log-spread s_i over n_i values gives the uncertainty.
// Score, per case: value / reference in the better direction; the reference is the baseline's
// median when a baseline is given, else the best machine's value. Per workload and overall: the
// geometric mean over the cases every qualifying machine measured ("common cases"; a machine set
// apart by FAIL or INCOMPLETE does not shrink them and is scored over those it has), with a 95% CI
//   exp(log score +- 1.96 sqrt(sum_i s_i^2 / n_i) / K)      (K common cases; s_i = 0 with one value)
// Performance per dollar: score x GPUs / instance $/h (whole-instance performance over the
// whole instance's price). An MPI job is its ranks' GPUs (world.ranks) over nodes x the
// instance's $/h, and an MPI case's tokens are its replica's figure x ranks / tp. TFLOP/s per $/h: geometric mean of the figures the workloads declare
// as compute rate (CostMetrics) x GPUs / $/h.
// $/Mtok of the named scenario (procurement_scenario.h): instance $/h / (instance tok/s x 3600) x
// 1e6, the instance's tok/s being the sum over the replicas that ran that exact case (a GPU, or a
// tp group), scaled to GPUs / tp replicas when fewer ran it (the note says so); without the case
// the machine gets no figure and the note says why, never another case's. The tokens are output
// tokens (the output_tok_s metric), and for a prefill scenario prompt tokens (prefill_tok_s).
// Ranking by the objective (performance per dollar by default, or performance): machines whose
// verdict (from `gpuqual qualify` in their files; INCOMPLETE for a run not qualified that was
// interrupted or cut off, as qualify would say) is FAIL or INCOMPLETE are listed apart with the
// reasons, and machines without a price when ranking per dollar; adjacent machines are tied when
// their objective CIs overlap or they differ by less than the spread between one machine's runs
// ("indistinguishable on this data"), and, when neither has any spread known (one run, one value
// per case), by less than kLeadWithoutSpread; a machine measured in one run is flagged. One machine
// without a baseline is not ranked (it could only be scored against itself): it is set apart
// with that reason and the recommendation says so, with its verdict. The recommendation is a
// paragraph written from these figures.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/decide/baseline.h"
#include "harness/decide/compare.h"
#include "harness/decide/cost_metrics.h"
#include "harness/decide/instance_catalog.h"
#include "harness/decide/prices.h"
#include "harness/decide/procurement_scenario.h"
#include "harness/results.h"

namespace gq {

enum class Objective { kPerfPerDollar, kPerformance };
const char* ObjectiveName(Objective o);  // "perf-per-dollar", "performance"
Objective ParseObjective(const std::string& text);  // UsageError naming --objective

struct Figure {
  double value = 0, low = 0, high = 0;  // value with its 95% CI
};

// Below this lead two machines of which no spread at all is known are tied: the smallest change
// `compare` counts by default (its --tolerance), as no measured spread can say more here.
inline constexpr double kLeadWithoutSpread = kDefaultTolerance;

struct MachineFigures {
  std::string machine, provider, instance_type, region, sku;
  std::string interconnect, network;  // from the instance catalog, when it lists the type
  int runs = 0, gpus = 0;
  std::optional<double> usd_per_hour;
  std::string no_price;                   // without usd_per_hour: why, in words
  std::string verdict;                    // worst of its runs' qualify verdicts; "" = not qualified
  std::vector<std::string> verdict_reasons;  // the FAIL / INCOMPLETE checks, "name: reason"
  std::optional<Figure> score;            // over the common cases
  std::map<std::string, Figure> workload_scores;
  std::optional<Figure> perf_per_usd_hour;
  std::optional<double> tflops_per_usd_hour;
  std::optional<double> usd_per_mtok;
  std::string usd_per_mtok_note;          // how it was made, or why there is none
  double run_spread = -1;                 // max / min - 1 of its runs' own scores; -1 with one run
};

struct RankEntry {
  int rank = 0;  // 1-based; tied machines share the rank of the first of them
  std::string machine;
  double objective = 0, low = 0, high = 0;
  std::string tie;  // why it is tied with the entry above; empty when not tied
};

struct ProcurementOptions {
  Objective objective = Objective::kPerfPerDollar;
  ProcurementScenario scenario;
  CostMetrics cost_metrics;
};

struct ProcurementReport {
  Objective objective = Objective::kPerfPerDollar;
  ProcurementScenario scenario;
  std::string reference;  // "the best machine per case" or "baseline NAME"
  bool against_baseline = false;  // scored against a baseline (one machine can then be ranked)
  std::vector<std::string> common_cases;
  // "case: why" for each case the machines (or the baseline) measured in setups that do not
  // compare (a collective on one GPU and on several, case_figure.h RankSetupMismatch): left out
  // of every score.
  std::vector<std::string> not_comparable;
  std::vector<MachineFigures> machines;      // in ranked order, then the machines set apart
  std::vector<RankEntry> ranking;
  std::vector<std::string> set_apart;        // "machine: why" for every machine not ranked
  std::string recommendation;
  const MachineFigures* Find(const std::string& machine) const;
};

// `runs` must not be empty (std::invalid_argument). `prices`, `baseline` and `catalog` may be null.
ProcurementReport BuildProcurement(const std::vector<ResultsDoc>& runs, const PriceList* prices,
                                   const Baseline* baseline, const InstanceCatalog* catalog,
                                   const ProcurementOptions& options);

// The grouping key of a run: MachineTypeOf (its "machine" label, else its instance type), else its
// hostname.
std::string MachineOf(const ResultsDoc& run);

}  // namespace gq
