#pragma once
// `gpuqual run --list`: the cases a run would measure, per device, and a bound on the time their
// sampling takes, without preparing or measuring anything.
//
// To `out`, one line per case in run order (the devices one after another, as RunAll takes them):
//   DEVICE  CASE-ID
// To `summary`, one line:
//   N case(s) on D device(s) x R round(s): sampling takes at most about H:MM:SS
//   (N x R x (warm-up W s + max-time T s)); preparation and verification come on top
// The bound follows the stopping rule (harness/measure/stopping_rule.h): sampling stops at
// max_time_s whatever the noise, warm-up at warmup_time_s, each overshooting by at most one batch;
// preparing a case (weights, autotuning, a cuDNN plan) and verifying it are not estimated.
#include <cstddef>
#include <ostream>
#include <vector>

#include "harness/measure/run_targets.h"
#include "harness/options.h"

namespace gq {

// cases x rounds x (warm-up + max-time), in seconds.
double PlanSamplingBoundS(std::size_t cases, const MeasureOptions& measure);

void PrintPlanListing(const std::vector<RunTarget>& targets, const MeasureOptions& measure, std::ostream& out,
                      std::ostream& summary);

}  // namespace gq
