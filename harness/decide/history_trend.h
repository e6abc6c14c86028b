#pragma once
// Trends over the results history: each case's figure run after run, per device, with its change
// points (harness/decide/change_points.h), and the JSON that `gpuqual history trend --json` and
// `gpuqual report --history` hand to the reports (schema gpuqual.trend/1).
//
// A series is one case id on one device, in run start order. Every stored point is listed
// (failed and skipped cases too, with their status); the change-point rule sees the points that
// measured the metric: status ok or noisy and a median > 0 ("used").
//
// gpuqual.trend/1:
//   {schema, generated_at, database, filters{sku, labels{}, since, machine (null: any), text},
//    metric (or null: primary), rule{window, min_effect, alpha, text},
//    series[{case_id, device, sku (of the newest point), machine, metric, unit, higher_is_better,
//            points[{run_id, started_at, commit, tool_git, labels{}, status, reason, used,
//                    run_finished, median, ci95_low, ci95_high, rounds_done, rounds_planned}],
//            change_points[{index (into points: the first point of the new level), run_id,
//                           commit, started_at, call, change, ratio, ratio_low, ratio_high,
//                           p_value, before, after, reason}],
//            segments[{begin, end (points [begin, end)), level}]}]}
//   median/ci95 are null for points without the metric; "commit" is the run's commit label or "".
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/decide/change_points.h"
#include "harness/record/history_store.h"

namespace gq {

inline constexpr const char* kTrendSchema = "gpuqual.trend/1";

struct TrendOptions {
  ChangePointOptions rule;
  std::string metric;  // "" = each case's primary metric
};

struct TrendSeries {
  std::string case_id, device, sku, metric, unit;
  std::string machine;  // HistoryPoint::machine: one series per machine, device and SKU
  bool higher_is_better = true;
  std::vector<HistoryPoint> points;
  std::vector<bool> used;           // per point: seen by the change-point rule
  std::vector<ChangePoint> changes;  // index: into points
  std::vector<TrendSegment> segments;  // begin/end: into points
  int window = 0;  // the rule's k: change points need 2k used points to be looked for
  // Whether the rule could look for a change point at all (2 * window used points or more).
  bool Searched() const;
};

// The series of each case id (every case of the filtered runs when `case_ids` is empty), one per
// device, SKU and machine, in case id, device, SKU, then machine order. Throws UsageError for a case id no matching run has.
std::vector<TrendSeries> BuildTrend(const HistoryStore& store, const HistoryFilter& filter,
                                    const std::vector<std::string>& case_ids,
                                    const TrendOptions& options);

// The rule in one line, with the options' values.
std::string ChangePointRuleText(const ChangePointOptions& rule);

nlohmann::ordered_json TrendToJson(const std::vector<TrendSeries>& series, const HistoryFilter& filter,
                                   const TrendOptions& options, const std::string& database);

}  // namespace gq
