#include "app/run_outcome.h"

#include <algorithm>

namespace gq {

RunOutcome JudgeRunOutcome(const std::vector<CaseResult>& cases) {
  const bool bad = std::any_of(cases.begin(), cases.end(), [](const CaseResult& c) {
    return c.status == CaseStatus::kFailed || c.status == CaseStatus::kInvalid;
  });
  if (bad) return {1, ""};
  const bool none_measured = !cases.empty() && std::all_of(cases.begin(), cases.end(), [](const CaseResult& c) {
    return c.status == CaseStatus::kSkipped;
  });
  if (none_measured) {
    return {1, "nothing was measured: all " + std::to_string(cases.size()) +
                   " case(s) were skipped (each row gives the reason)"};
  }
  return {0, ""};
}

}  // namespace gq
