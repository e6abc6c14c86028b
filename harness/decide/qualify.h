#pragma once
// Qualification rules (DESIGN.md §7): turn a results document (+ the SKU baseline, the instance
// catalog entry, a price) into PASS / WARN / INCOMPLETE / FAIL checks with reasons in words, and
// an overall verdict (FAIL if any check fails, else INCOMPLETE if the run did not finish, else
// WARN if any warns, else PASS). Pure: no I/O.
//
// Run: INCOMPLETE when the run was interrupted, when its file says complete = false (a killed
//   run), or when no case was measured: a machine is qualified only on a whole run.
// Performance, per case with a baseline case of the same id:
//   fraction = candidate median / baseline median of the primary metric, in the better direction;
//   FAIL below fail_below, WARN below warn_below (thresholds: the spec's for the workload, else
//   the spec's default, else the baseline file's for the workload, else its default). Failed or
//   invalid cases FAIL; skipped cases WARN; a noisy case is judged on its median like an ok one
//   and is at least WARN, with its reason; cases without a baseline counterpart are
//   not judged (one WARN says no case matched); baseline cases the run lacks are not judged
//   either (one WARN, "baseline coverage", counts and names them).
//   The figure is harness/case_figure.h's: algbw for a collective on one rank (busbw undefined).
// Siblings and stragglers, with or without a baseline (qualify_siblings.h): a GPU behind the
//   median of the run's GPUs in a case (3 or more GPUs, beyond its own 95% CI), and an MPI rank
//   named as the straggler, each one check, at the spec's default thresholds (else 0.95 / 0.90).
// Health, per GPU (snapshot after the run, else before; counters compared with before):
//   FAIL: uncorrectable ECC errors (volatile, or aggregate grown during the run), a page
//   retirement or row remap pending, a row-remap failure, a PCIe link narrower than its maximum,
//   hardware slowdown / hardware thermal / power-brake throttling during any case.
//   WARN: health unavailable (no NVML), retired pages or uncorrectable remapped rows on record,
//   a PCIe link below its maximum generation after the run (links downshift when idle), a power
//   limit below the default, software thermal throttling. Software power capping is normal under
//   full load and is reported in the PASS reason.
// Inventory (when the instance type is in the catalog): GPU count and SKU must match (FAIL).
// Cost (when a price per instance-hour is given): the figures of harness/decide/procurement.h for
// this one machine, from the metrics the workloads declare for them (MetricSpec::cost_role in
// harness/work.h; today gemm's tflops and e2e's output_tok_s): TFLOP/s per $/h over the whole
// instance, and $/Mtok of the named scenario (QualifyOptions::scenario, whole-instance price over
// whole-instance throughput; none, with the reason, when the run lacks that exact case). A figure
// with no case to draw on stays 0 (not computed).
//
// Why the roles arrive in CostMetrics: a results file stores metric names, not MetricSpecs, and
// files written before roles existed must give the same figures. The workloads' Metrics() are the
// one place a role is declared; the caller (the CLI) reads them from the workload registry and
// passes them here keyed by workload name, so this file names no workload and reads any results
// file, old or new.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/decide/baseline.h"
#include "harness/decide/cost_metrics.h"
#include "harness/decide/instance_catalog.h"
#include "harness/decide/procurement_scenario.h"
#include "harness/results.h"
#include "harness/work.h"

namespace gq {

struct QualifyOptions {
  std::map<std::string, QualifyThreshold> thresholds;  // per workload, over the baseline's
  std::optional<QualifyThreshold> default_threshold;   // over the baseline's default
  std::string instance_type;                           // empty: the run's cloud.instance_type
  std::optional<double> price_per_hour_usd;
  CostMetrics cost_metrics;                            // empty: no cost figure can be computed
  ProcurementScenario scenario;                        // what $/Mtok is quoted for
  std::string no_baseline_reason;  // why there is no baseline (NoQualifyBaselineReason), for the WARN
};

QualifyVerdict Qualify(const ResultsDoc& doc, const Baseline* baseline, const InstanceCatalog* catalog,
                       const QualifyOptions& options);

// Several results files of one machine as one document to judge: the first run's run and system
// facts, the cases of every run in order, the health snapshot before from the first run that has
// one and after from the last that has one. `runs` must not be empty.
ResultsDoc CombineRuns(std::vector<ResultsDoc> runs);

}  // namespace gq
