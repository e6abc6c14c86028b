#pragma once
// The exit code of a finished `gpuqual run` (not interrupted, no hung case), from its cases:
//   1 when a case failed or is invalid (the reasons are in its rows), or when every case was
//     skipped: a run that measured nothing must not pass a CI gate;
//   0 otherwise (ok, noisy, and skipped beside measured cases).
// `why` says in one line why the code is 1 when no row does (nothing measured); else empty.
#include <string>
#include <vector>

#include "harness/results.h"

namespace gq {

struct RunOutcome {
  int exit_code = 0;
  std::string why;
};

RunOutcome JudgeRunOutcome(const std::vector<CaseResult>& cases);

}  // namespace gq
