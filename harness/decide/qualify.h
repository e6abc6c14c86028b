#pragma once
// Qualification rules (DESIGN.md §7): turn a results document (+ the SKU baseline, the instance
// catalog entry, a price) into PASS / WARN / FAIL checks with reasons in words, and an overall
// verdict (FAIL if any check fails, else WARN if any warns, else PASS). Pure: no I/O.
//
// Performance, per case with a baseline case of the same id:
//   fraction = candidate median / baseline median of the primary metric, in the better direction;
//   FAIL below fail_below, WARN below warn_below (thresholds from the baseline file, overridden
//   per workload by the spec). Failed or invalid cases FAIL; noisy and skipped cases WARN;
//   cases without a baseline counterpart are not judged (one WARN says no baseline matched);
//   neither are single-rank collective cases (details single_rank = "true": busbw undefined).
// Health, per GPU (snapshot after the run, else before; counters compared with before):
//   FAIL: uncorrectable ECC errors (volatile, or aggregate grown during the run), a page
//   retirement or row remap pending, a row-remap failure, a PCIe link narrower than its maximum,
//   hardware slowdown / hardware thermal / power-brake throttling during any case.
//   WARN: health unavailable (no NVML), retired pages or uncorrectable remapped rows on record,
//   a PCIe link below its maximum generation after the run (links downshift when idle), a power
//   limit below the default, software thermal throttling. Software power capping is normal under
//   full load and is reported in the PASS reason.
// Inventory (when the instance type is in the catalog): GPU count and SKU must match (FAIL).
// Cost (when a price per instance-hour is given):
//   tflops_per_usd_hour = (geometric mean TFLOP/s of the ok gemm cases) x GPUs / price
//   usd_per_mtok = price / (sum over GPUs of e2e output tok/s x 3600) x 1e6, when e2e ran.
#include <map>
#include <optional>
#include <string>

#include "harness/decide/baseline.h"
#include "harness/decide/instance_catalog.h"
#include "harness/results.h"

namespace gq {

struct QualifyOptions {
  std::map<std::string, QualifyThreshold> thresholds;  // per workload, over the baseline's
  std::optional<QualifyThreshold> default_threshold;   // over the baseline's default
  std::string instance_type;                           // empty: the run's cloud.instance_type
  std::optional<double> price_per_hour_usd;
};

QualifyVerdict Qualify(const ResultsDoc& doc, const Baseline* baseline, const InstanceCatalog* catalog,
                       const QualifyOptions& options);

}  // namespace gq
