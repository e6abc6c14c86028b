#include "harness/decide/history_trend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "harness/case_id.h"
#include "harness/clock.h"
#include "harness/errors.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

const char* CallName(ChangeCall c) {
  switch (c) {
    case ChangeCall::kImproved: return "improved";
    case ChangeCall::kRegressed: return "regressed";
    case ChangeCall::kUnchanged: return "unchanged";
    case ChangeCall::kInconclusive: return "inconclusive";
  }
  return "inconclusive";
}

std::string Commit(const HistoryPoint& p) {
  auto it = p.labels.find("commit");
  return it == p.labels.end() ? "" : it->second;
}

bool Usable(const HistoryPoint& p) {
  return p.has_metric && (p.status == "ok" || p.status == "noisy") && p.median > 0 &&
         std::isfinite(p.median);
}

// One device's points of a case: which are used, and the change points mapped onto them.
TrendSeries MakeSeries(const std::string& case_id, std::vector<HistoryPoint> points,
                       const TrendOptions& options) {
  TrendSeries s;
  s.case_id = case_id;
  s.device = points.front().device;
  s.machine = points.front().machine;
  s.sku = points.back().sku;
  s.window = options.rule.window;
  s.points = std::move(points);
  std::vector<double> values;
  std::vector<std::size_t> at;  // point index of each value
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    const HistoryPoint& p = s.points[i];
    if (p.has_metric && s.metric.empty()) {
      s.metric = p.metric;
      s.unit = p.unit;
      s.higher_is_better = p.higher_is_better;
    }
    s.used.push_back(Usable(p));
    if (s.used.back()) {
      values.push_back(p.median);
      at.push_back(i);
    }
  }
  if (s.metric.empty()) s.metric = options.metric;
  if (values.empty()) return s;
  ChangePoints found = FindChangePoints(values, s.higher_is_better, options.rule);
  for (ChangePoint& c : found.points) {
    c.index = at[c.index];
    s.changes.push_back(std::move(c));
  }
  for (const TrendSegment& g : found.segments) {
    s.segments.push_back({g.begin == 0 ? 0 : at[g.begin],
                          g.end < at.size() ? at[g.end] : s.points.size(), g.level});
  }
  return s;
}

std::string Pct(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * f);
  return buf;
}

json NumberOrNull(bool has, double v) { return has && std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

namespace {

// "; stored: ID, ..." for the stored case ids that extend `id` (a case id with its later axes left
// out), else those of its workload, at most 3; else how to list the runs.
std::string StoredLike(const HistoryStore& store, const HistoryFilter& filter, const std::string& id) {
  const std::vector<std::string> stored = store.CaseIds(filter);
  const std::string workload = id.substr(0, id.find('/'));
  std::vector<std::string> like;
  for (const std::string& prefix : {id + "/", workload + "/"}) {
    for (const std::string& s : stored) {
      if (s.rfind(prefix, 0) == 0) like.push_back(s);
    }
    if (!like.empty()) break;
  }
  if (like.empty()) return " (gpuqual history list shows the runs)";
  std::string out = "; stored: ";
  for (std::size_t i = 0; i < like.size() && i < 3; ++i) out += (i ? ", " : "") + like[i];
  return out + (like.size() > 3 ? ", ... (" + std::to_string(like.size()) + " in all)" : "");
}

}  // namespace

bool TrendSeries::Searched() const {
  return std::count(used.begin(), used.end(), true) >= 2 * static_cast<std::ptrdiff_t>(window);
}

std::vector<TrendSeries> BuildTrend(const HistoryStore& store, const HistoryFilter& filter,
                                    const std::vector<std::string>& case_ids,
                                    const TrendOptions& options) {
  const bool named = !case_ids.empty();
  // Named ids in today's form (harness/case_id.h), as the store holds the cases of files it added.
  std::vector<std::string> ids = named ? case_ids : store.CaseIds(filter);
  if (named) {
    for (std::string& id : ids) id = CanonicalCaseId(id);
  }
  std::vector<TrendSeries> out;
  for (const std::string& id : ids) {
    std::vector<HistoryPoint> points = store.Series(filter, id, options.metric);
    if (points.empty()) {
      if (!named) continue;
      throw UsageError(id + ": no run in " + store.path() + " that matches the filters has this case" +
                       StoredLike(store, filter, id));
    }
    // One series per machine (label or instance type; HistoryPoint::machine), device and SKU: runs
    // of another machine (cuda:0 both, even of the same GPU model: another cloud's instance) are
    // not a change of this one.
    using SeriesKey = std::tuple<std::string, std::string, std::string>;  // device, sku, machine
    std::map<SeriesKey, std::vector<HistoryPoint>> by_series;
    for (HistoryPoint& p : points) by_series[{p.device, p.sku, p.machine}].push_back(std::move(p));
    std::size_t with_metric = 0;
    for (auto& [key, series_points] : by_series) {
      out.push_back(MakeSeries(id, std::move(series_points), options));
      for (const HistoryPoint& p : out.back().points) with_metric += p.has_metric;
    }
    if (named && !options.metric.empty() && with_metric == 0) {
      throw UsageError(id + ": no stored run of this case has the metric '" + options.metric + "'");
    }
  }
  return out;
}

std::string ChangePointRuleText(const ChangePointOptions& rule) {
  const std::string k = std::to_string(rule.window);
  char alpha[32];
  std::snprintf(alpha, sizeof alpha, "%g", rule.alpha);
  return "Welch t on the log of " + k + " run medians before vs " + k +
         " after each run; a change point where the change exceeds " + Pct(rule.min_effect) +
         " and p < " + alpha + ", the best-supported first, at least " + k + " runs apart";
}

json TrendToJson(const std::vector<TrendSeries>& series, const HistoryFilter& filter,
                 const TrendOptions& options, const std::string& database) {
  json j;
  j["schema"] = kTrendSchema;
  j["generated_at"] = UtcTimestamp();
  j["database"] = database;
  json labels = json::object();
  for (const auto& [k, v] : filter.labels) labels[k] = v;
  j["filters"] = {{"sku", filter.sku},
                  {"labels", labels},
                  {"since", filter.since},
                  {"machine", filter.machine ? json(*filter.machine) : json(nullptr)},
                  {"text", HistoryFilterText(filter)}};
  j["metric"] = options.metric.empty() ? json(nullptr) : json(options.metric);
  j["rule"] = {{"window", options.rule.window},
               {"min_effect", options.rule.min_effect},
               {"alpha", options.rule.alpha},
               {"text", ChangePointRuleText(options.rule)}};
  json all = json::array();
  for (const TrendSeries& s : series) {
    json points = json::array();
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const HistoryPoint& p = s.points[i];
      json pl = json::object();
      for (const auto& [k, v] : p.labels) pl[k] = v;
      points.push_back({{"run_id", p.run_id}, {"started_at", p.started_at}, {"commit", Commit(p)},
                        {"tool_git", p.tool_git}, {"labels", pl}, {"status", p.status},
                        {"reason", p.reason}, {"used", static_cast<bool>(s.used[i])},
                        {"run_finished", p.run_finished},
                        {"median", NumberOrNull(p.has_metric, p.median)},
                        {"ci95_low", NumberOrNull(p.has_metric, p.ci95_low)},
                        {"ci95_high", NumberOrNull(p.has_metric, p.ci95_high)},
                        {"rounds_done", p.rounds_done}, {"rounds_planned", p.rounds_planned}});
    }
    json changes = json::array();
    for (const ChangePoint& c : s.changes) {
      const HistoryPoint& p = s.points[c.index];
      const ChangeDecision& d = c.decision;
      changes.push_back({{"index", c.index}, {"run_id", p.run_id}, {"commit", Commit(p)},
                         {"started_at", p.started_at}, {"call", CallName(d.call)},
                         {"change", d.change}, {"ratio", d.ratio}, {"ratio_low", d.ratio_low},
                         {"ratio_high", d.ratio_high}, {"p_value", d.p_value},
                         {"before", c.before}, {"after", c.after}, {"reason", d.reason}});
    }
    json segments = json::array();
    for (const TrendSegment& g : s.segments) {
      segments.push_back({{"begin", g.begin}, {"end", g.end}, {"level", g.level}});
    }
    all.push_back({{"case_id", s.case_id}, {"device", s.device}, {"sku", s.sku}, {"machine", s.machine},
                   {"metric", s.metric}, {"unit", s.unit}, {"higher_is_better", s.higher_is_better},
                   {"points", points}, {"change_points", changes}, {"segments", segments}});
  }
  j["series"] = all;
  return j;
}

}  // namespace gq
