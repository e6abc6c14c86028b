#pragma once
// `gpuqual run --list`: the cases a run would measure, per device, and a bound on the time their
// sampling takes, without preparing or measuring anything.
//
// To `out`, one line per case in run order (the devices one after another, as RunAll takes them):
//   DEVICE  CASE-ID
// To `summary`, one line:
//   N case(s) on TARGETS x R round(s): sampling takes about M:SS (H:MM:SS from an hour) at most (N x R x (warm-up W s
//   + max-time T s), each limit overrun by at most one batch); preparation and verification come
//   on top
// TARGETS names the devices and GPU groups the cases run on ("cuda:0, cuda:1, cuda:0-1"); in a
// run of `ranks` MPI ranks, DEVICE and TARGETS are the label the results record ("2xcuda").
// The bound follows the stopping rule (harness/measure/stopping_rule.h): sampling stops at
// max_time_s whatever the noise, warm-up at warmup_time_s, each overrun by at most the batch in
// progress (one sample; a warm-up batch is no larger); preparing a case (weights, autotuning, a
// cuDNN plan) and verifying it are not estimated.
#include <ostream>
#include <vector>

#include "harness/measure/run_targets.h"
#include "harness/options.h"

namespace gq {

void PrintPlanListing(const std::vector<RunTarget>& targets, const MeasureOptions& measure, int ranks,
                      std::ostream& out, std::ostream& summary);

}  // namespace gq
