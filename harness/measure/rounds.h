#pragma once
// A case measured in several rounds (`gpuqual run --repetitions N`, DESIGN.md §5) as one
// CaseResult. Each round is a whole measurement of the case (Prepare, warm-up, samples, verify),
// and the runner takes round r of every case before round r + 1 of any (runner.h), so drift over
// the run hits every case alike: the rounds are the run-level replicates decisions rest on.
//
// MergeRounds(rounds), rounds in order (each from the runner, round_medians_s = {its median}):
//   status          failed if any round failed (metrics dropped), else invalid if any was, else
//                   noisy if any was (the reason that round's, prefixed "round k: "), else noisy
//                   when the rounds disagree: two or more measured rounds whose medians' 95% CI
//                   half-width (RelativeMedianNoise; [min, max] below six rounds) exceeds
//                   max_noise of their median ("the rounds disagree: ..."), else ok; rounds that
//                   were skipped are left out while another round measured (the reason says
//                   which), and all skipped is skipped
//   round_medians_s the measured rounds' medians (seconds per iteration), in order
//   samples_s       every measured round's samples as seconds per iteration
//                   (iterations_per_sample = 1, as rounds batch differently); phase samples too
//   metrics         per metric, the summary over the rounds' medians (n = rounds): the case's
//                   spread is the spread between rounds, not between samples of one round
//   roofline        the last measured round's peak, efficiency = merged median / peak
//   verification    the measured round with the largest error (a failed check is a failed round);
//   ranks, straggler the round whose straggler lagged most (any round's straggler is named), else
//                   the last measured round's; details, telemetry the last measured round's;
//                   wall_time_s the sum
// One round is returned as it is.
#include <vector>

#include "harness/results.h"

namespace gq {

// `rounds` must not be empty (std::invalid_argument); all name the same case and device.
// `max_noise`: the run's noise target (MeasureOptions::max_noise), a fraction.
CaseResult MergeRounds(const std::vector<CaseResult>& rounds, double max_noise);

}  // namespace gq
