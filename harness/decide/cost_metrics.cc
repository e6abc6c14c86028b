#include "harness/decide/cost_metrics.h"

namespace gq {

void CostMetrics::Declare(const std::string& workload, const std::vector<MetricSpec>& metrics) {
  for (const MetricSpec& m : metrics) {
    if (m.cost_role != CostRole::kNone) metric_[{workload, m.cost_role}] = m.name;
  }
}

const std::string* CostMetrics::Find(const std::string& workload, CostRole role) const {
  auto it = metric_.find({workload, role});
  return it != metric_.end() ? &it->second : nullptr;
}

}  // namespace gq
