#include "app/workload_names.h"

#include <algorithm>

#include "harness/errors.h"
#include "workloads/registry.h"

namespace gq::cli {

void RequireWorkload(const std::string& what, const std::string& name) {
  try {
    BuildRegistry().Get(name);
  } catch (const UsageError& e) {
    throw UsageError(what + ": " + e.what());
  }
}

ProcurementScenario ParseScenarioFlag(const std::string& text) {
  ProcurementScenario s = ParseProcurementScenario(text);
  const WorkloadRegistry registry = BuildRegistry();
  for (const AxisSpec& axis : registry.Get("e2e").Axes()) {
    if (axis.name != "model" || axis.choices.empty()) continue;
    if (std::find(axis.choices.begin(), axis.choices.end(), s.model) != axis.choices.end()) return s;
    std::string known;
    for (const std::string& c : axis.choices) known += (known.empty() ? "" : ", ") + c;
    throw UsageError("--scenario model: unknown model '" + s.model + "' (known: " + known + ")");
  }
  return s;
}

}  // namespace gq::cli
