#pragma once
// The figure `compare` shows for each side of a case, the one its change is the ratio of
// (DESIGN.md §7), so the columns and the change agree.
//
// Each side has replicate medians (seconds per iteration: one per round of --repetitions, per
// source run of a baseline; CaseResult / BaselineCase ::ReplicateMediansS). The change compare
// decides on is the ratio of their geometric means (change_decision.h); the figure shown is the
// metric at that geometric mean of the seconds:
//   figure = MetricFromIterationTime(metric, unit, GeometricMean(replicate seconds), work)
// (a rate W / t at the geometric mean of t is the geometric mean of the rates W / t_i). It must lie
// within the side's [min, max] of the metric, as a metric derived from the iteration time does;
// else (a metric measured from a phase, no replicates) the figure is the metric's median.
// `qualify` keeps the medians: a threshold with no spread to weigh must not move with one slow
// round (a round's outlier widens compare's CI instead).
#include <string>
#include <vector>

#include "harness/results.h"

namespace gq {

double JudgedFigure(const std::string& metric, const MetricResult& m, const std::vector<double>& replicate_medians_s,
                    const Work& work);

}  // namespace gq
