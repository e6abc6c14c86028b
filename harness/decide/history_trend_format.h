#pragma once
// Console text of the results history's trends (harness/decide/history_trend.h): what `gpuqual
// history show` and `gpuqual history trend` print. Formats only; the change points are decided
// by harness/decide/change_points.h.
#include <ostream>
#include <vector>

#include "harness/decide/history_trend.h"

namespace gq {

// `gpuqual history show`: per series a table of its points, oldest first (date, commit label,
// tool git, median with unit, 95% CI of the median, status, rounds done / planned, run id), a
// change point marked on its first run ("<< -12.0%"), then each change point in words.
void PrintTrendTable(std::ostream& out, const std::vector<TrendSeries>& series);

// `gpuqual history trend`: per series one line (points, used, segments' levels), then one line
// per change point.
void PrintTrendSummary(std::ostream& out, const std::vector<TrendSeries>& series);

}  // namespace gq
