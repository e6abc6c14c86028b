#pragma once
// Flags that name a workload (`compare --tolerance-for WORKLOAD=PCT`, `baseline create
// --threshold WORKLOAD=WARN:FAIL`) must name one this build has: a misspelt name would otherwise
// be a setting that silently applies to nothing.
#include <string>

namespace gq::cli {

// Throws UsageError "<what>: unknown workload 'NAME' (known: ...)" when `name` is not a workload.
void RequireWorkload(const std::string& what, const std::string& name);

}  // namespace gq::cli
