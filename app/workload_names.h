#pragma once
// Flags that name a workload (`compare --tolerance-for WORKLOAD=PCT`, `baseline create
// --threshold WORKLOAD=WARN:FAIL`) or a model (`--scenario model=M`) must name one this build has:
// a misspelt name would otherwise be a setting that silently applies to nothing.
#include <string>

#include "harness/decide/procurement_scenario.h"

namespace gq::cli {

// Throws UsageError "<what>: unknown workload 'NAME' (known: ...)" when `name` is not a workload.
void RequireWorkload(const std::string& what, const std::string& name);

// `--scenario TEXT` parsed (ParseProcurementScenario); UsageError "--scenario model: unknown
// model 'M' (known: ...)" when the e2e workload has no such model preset.
ProcurementScenario ParseScenarioFlag(const std::string& text);

}  // namespace gq::cli
