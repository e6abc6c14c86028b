#pragma once
// Which metric of which workload feeds each cost figure (MetricSpec::cost_role, harness/work.h):
// the TFLOP/s of perf per dollar-hour, the output tokens/s of $/Mtok. A results file stores metric
// names, not MetricSpecs, so the caller (the CLI) declares the roles from the workload registry
// and passes them down; the decide layer then names no workload (qualify.h, procurement.h).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "harness/work.h"

namespace gq {

// Which metric of which workload feeds each cost figure.
class CostMetrics {
 public:
  // Records the metrics of `workload` whose cost_role is not kNone (a later one with the same
  // role replaces an earlier one).
  void Declare(const std::string& workload, const std::vector<MetricSpec>& metrics);
  // The name of the metric of `workload` that has `role`; nullptr when it has none.
  const std::string* Find(const std::string& workload, CostRole role) const;
  bool empty() const { return metric_.empty(); }

 private:
  std::map<std::pair<std::string, CostRole>, std::string> metric_;
};

}  // namespace gq
