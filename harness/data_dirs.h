#pragma once
// Where gpuqual finds the data directories it ships (suites/, baselines/, reports/), in order:
// $ENV_VAR when set, <exe>/../share/gpuqual/NAME (installed), <exe>/../../NAME and
// <exe>/../../../NAME (build trees), then the source tree's NAME/. Existence is not checked.
#include <string>
#include <vector>

namespace gq {

std::vector<std::string> DataDirCandidates(const char* env_var, const std::string& name);

}  // namespace gq
