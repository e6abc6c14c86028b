#pragma once
// A case's figures from its timed samples (runner.h, steps 4 and 6), as functions on CaseResult.
//
// Phase samples: after every timed sample the runner appends that sample's PhaseSeconds (agreed
// over ranks) with AppendPhaseSample, so CaseResult::phase_samples_s holds, per phase, one value
// per sample, aligned with samples_s. Every sample must name the same phases, each with a finite
// value > 0 (CheckPhaseSeconds).
//
// FillMetrics appends, per MetricSpec in order, the summary (median, CI, ...) over the samples i of
//   phase empty:     spec.FromTime(samples_s[i] / iterations_per_sample, work)
//   phase non-empty: spec.FromTime(phase_samples_s[phase][i], work)   (per iteration already)
// A phase metric whose phase the case did not report is left out (never a zero figure), unless it
// is the primary metric (the first): the case cannot be judged without it, so FillMetrics throws
// std::runtime_error naming the phase.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "harness/results.h"
#include "harness/work.h"

namespace gq {

// "" when every value is finite and > 0; else the reason, naming the phase.
std::string CheckPhaseSeconds(const std::map<std::string, double>& phases);

// Appends the phase seconds of the sample just appended to r.samples_s. The first sample fixes
// the phase names; returns "" or, when a later sample names other phases, the reason (nothing is
// appended then).
std::string AppendPhaseSample(CaseResult& r, const std::map<std::string, double>& phases);
// The same on the phase samples alone, `samples` being the number of samples taken so far, the
// one just taken included (r.samples_s.size() above).
std::string AppendPhaseSample(std::map<std::string, std::vector<double>>& phase_samples,
                              std::size_t samples, const std::map<std::string, double>& phases);

void FillMetrics(CaseResult& r, const std::vector<MetricSpec>& metrics);

}  // namespace gq
