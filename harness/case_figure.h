#pragma once
// The figure a case is shown by and its spread: one definition for the console table and its
// note (harness/record/console_reporter.h), kept in step with compare and the stopping rule.
//
// FigureMetric: the case's primary metric, except for a collective on a single rank (primary
// busbw with a bus factor of 0: bus bandwidth is undefined there and reported as 0), whose figure
// is algbw, the same samples' rate; and for an e2e prefill case prefill_tok_s (its output_tok_s is
// one token per sequence). The runner records these as the cases' primary metrics, so every
// reader (report, history, exports) shows them; files written before named busbw or output_tok_s,
// and rank, qualify, the exports and the history read them through this.
//
// RelativeSpread: the half-width of the 95% confidence interval of the median relative to the
// median, max(median - low, high - median) / median (RelativeMedianNoise, harness/stats.h), over
// the case's times per iteration:
//   - one round: over its samples. This is the figure the stopping rule compares with
//     --max-noise, and the one a noisy case's reason quotes ("95% CI of the median is +-X%");
//   - several rounds (--repetitions): over the rounds' medians, i.e. the spread between rounds
//     (with fewer than 6 rounds the interval is [min, max]), which is what compare decides on.
// A rate is the inverse of a time, so its relative spread is the same to first order. NaN with
// fewer than 2 values (one value has no spread to show). With fewer than 6 the interval is
// [min, max] (harness/stats.h: no distribution-free 95% interval of a median exists for so few),
// SpreadValues says how many there were, and the console marks such a figure.
#include <string>

#include "harness/results.h"

namespace gq {

std::string FigureMetric(const CaseResult& r);
// The same rule from its parts (a baseline's case): primary "busbw", bus factor 0 and an algbw.
std::string FigureMetric(const std::string& primary_metric, const Work& work, bool has_algbw);
double RelativeSpread(const CaseResult& r);
// The number of values RelativeSpread is over: the rounds' medians, or the samples.
std::size_t SpreadValues(const CaseResult& r);
// Below this many values the 95% interval of a median is [min, max] (MedianCiLowerRank is 0).
inline constexpr std::size_t kFewestForAnInterval = 6;

// Whether two results of one case id (`a` of "<a_name>", `b` of "<b_name>") timed the same thing:
// a collective's bus factor follows its rank count (allreduce 2(n-1)/n; 0 on one rank, where the
// "collective" is a copy and its figure algbw), so its times at different factors are neither
// replicates of each other nor a change; nor are times of the same ranks spread over another
// number of nodes (Work::nodes, when both state it). "" when the setups agree, else why not, in
// words.
std::string RankSetupMismatch(const Work& a, const std::string& a_name, const Work& b, const std::string& b_name);

}  // namespace gq
