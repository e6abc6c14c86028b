#include "harness/decide/history_trend_format.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "harness/number_text.h"

namespace gq {
namespace {

std::string Number(double v) { return NumberText(v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : "%.4g", v); }

// Why a series shows no change point: none found, or too few runs for the rule to look.
std::string NoChangeText(const TrendSeries& s) {
  const auto used = std::count(s.used.begin(), s.used.end(), true);
  if (s.Searched()) return "no change point (" + std::to_string(used) + " run(s) with the metric)";
  return "too few runs to look for change points (" + std::to_string(used) + " with the metric; " +
         std::to_string(2 * s.window) + " needed at --window " + std::to_string(s.window) + ")";
}

std::string Commit(const HistoryPoint& p) {
  auto it = p.labels.find("commit");
  return it == p.labels.end() || it->second.empty() ? "-" : it->second;
}

// "2026-11-29 21:31" from "2026-11-29T21:31:22Z".
std::string Date(const std::string& iso) {
  std::string d = iso.substr(0, 16);
  if (d.size() > 10 && d[10] == 'T') d[10] = ' ';
  return d;
}

std::string Status(const HistoryPoint& p) {
  return p.status + (p.run_finished ? "" : " (run cut off)");
}

const ChangePoint* ChangeAt(const TrendSeries& s, std::size_t i) {
  for (const ChangePoint& c : s.changes) {
    if (c.index == i) return &c;
  }
  return nullptr;
}

std::string Heading(const TrendSeries& s) {
  return s.case_id + " on " + s.device + (s.machine.empty() ? "" : " of " + s.machine) + " (sku " + s.sku + "): " +
         (s.metric.empty() ? "no metric" : s.metric + " in " + s.unit) +
         (s.higher_is_better ? ", higher is better" : ", lower is better");
}

void PrintChanges(std::ostream& out, const TrendSeries& s) {
  for (const ChangePoint& c : s.changes) {
    const HistoryPoint& p = s.points[c.index];
    out << "  change point at " << Commit(p) << " (" << Date(p.started_at) << ", run " << p.run_id
        << "): " << (c.decision.call == ChangeCall::kRegressed ? "regressed " : "improved ")
        << Number(c.before) << " -> " << Number(c.after) << " " << s.unit << ": "
        << c.decision.reason << "\n";
  }
}

}  // namespace

void PrintTrendTable(std::ostream& out, const std::vector<TrendSeries>& series) {
  for (const TrendSeries& s : series) {
    out << Heading(s) << "\n";
    std::size_t commit_w = 6, git_w = 8, status_w = 6;
    for (const HistoryPoint& p : s.points) {
      commit_w = std::max(commit_w, Commit(p).size());
      git_w = std::max(git_w, p.tool_git.size());
      status_w = std::max(status_w, Status(p).size());
    }
    char line[768];
    std::snprintf(line, sizeof line, "  %-16s  %-*s  %-*s  %12s  %21s  %-*s  %6s  %-8s  %s\n", "date",
                  static_cast<int>(commit_w), "commit", static_cast<int>(git_w), "tool git", "median",
                  "95% CI", static_cast<int>(status_w), "status", "rounds", "change", "run");
    out << line;
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const HistoryPoint& p = s.points[i];
      const ChangePoint* c = ChangeAt(s, i);
      const std::string median = p.has_metric ? Number(p.median) : "-";
      const std::string ci = p.has_metric ? Number(p.ci95_low) + " .. " + Number(p.ci95_high) : "-";
      const std::string rounds = std::to_string(p.rounds_done) + "/" + std::to_string(p.rounds_planned);
      const std::string change = c ? "<< " + NumberText("%+.1f%%", 100 * c->decision.change) : "";
      std::snprintf(line, sizeof line, "  %-16s  %-*s  %-*s  %12s  %21s  %-*s  %6s  %-8s  %s\n",
                    Date(p.started_at).c_str(), static_cast<int>(commit_w), Commit(p).c_str(),
                    static_cast<int>(git_w), p.tool_git.c_str(), median.c_str(), ci.c_str(),
                    static_cast<int>(status_w), Status(p).c_str(), rounds.c_str(), change.c_str(),
                    p.run_id.c_str());
      out << line;
    }
    if (s.changes.empty()) out << "  " << NoChangeText(s) << "\n";
    PrintChanges(out, s);
    out << "\n";
  }
}

void PrintTrendSummary(std::ostream& out, const std::vector<TrendSeries>& series) {
  std::size_t changes = 0;
  for (const TrendSeries& s : series) {
    const auto used = std::count(s.used.begin(), s.used.end(), true);
    out << Heading(s) << "\n  " << s.points.size() << " run(s), " << used << " with the metric";
    if (!s.segments.empty()) {
      out << "; levels";
      for (const TrendSegment& g : s.segments) out << " " << Number(g.level);
      out << " " << s.unit;
    }
    if (!s.Searched()) out << "; " << NoChangeText(s);
    out << "\n";
    PrintChanges(out, s);
    changes += s.changes.size();
  }
  out << series.size() << " series, " << changes << " change point(s)\n";
}

}  // namespace gq
