#pragma once
// The qualify rules that judge a machine's GPUs against each other, needing no baseline (listed in
// qualify.h): one slow GPU of a node, one slow rank of an MPI job.
//
// Siblings: per case id measured (ok or noisy) on 3 or more single GPUs of the run ("cuda:N"; not
// membw copies over a link, h2d/d2h/bidir/d2d, whose rate follows each GPU's place, not its health),
// each GPU's figure (harness/case_figure.h) against the median of all of them, in the better
// direction: fraction = figure / median (median / figure for lower-is-better metrics). A GPU is
// behind in a case when the end of its median's 95% CI nearest the others is still below
// `threshold` x the median (so a noisy case's own spread does not condemn it). One check per GPU:
//   FAIL when it is behind at t.fail_below in any case, WARN when at t.warn_below; its worst case
//   and how many cases are named. One PASS check when no GPU is behind, counting GPUs and cases.
// Stragglers: per rank an MPI run's ok cases named as straggler (the slowest rank, more than
// --straggler-threshold behind the fastest; CaseResult::straggler; a noisy case's gap may be its
// noise), one check naming the rank, its
// host and GPU, in how many cases, and its worst lag: FAIL when the slowest rank's figure is below
// t.fail_below of the fastest's (1 / (1 + spread)), else WARN.
#include <vector>

#include "harness/decide/baseline.h"
#include "harness/results.h"

namespace gq {

void SiblingChecks(const ResultsDoc& doc, const QualifyThreshold& t, std::vector<QualifyCheck>& out);
void StragglerChecks(const ResultsDoc& doc, const QualifyThreshold& t, std::vector<QualifyCheck>& out);

}  // namespace gq
