// Ranking, ties and the recommendation (rules in procurement.h).
#include "harness/decide/procurement_rank.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "harness/number_text.h"

namespace gq {
namespace {

std::string Pct(double fraction) { return NumberText("%.1f%%", 100 * fraction); }

// Why a machine cannot be ranked, or "" when it can.
std::string SetApartReason(const MachineFigures& m, const ProcurementReport& report) {
  const Objective objective = report.objective;
  if (m.verdict == "FAIL" || m.verdict == "INCOMPLETE") {
    std::string why = "qualification " + m.verdict;
    for (std::size_t i = 0; i < m.verdict_reasons.size() && i < 3; ++i) why += (i ? "; " : ": ") + m.verdict_reasons[i];
    if (m.verdict_reasons.size() > 3) why += "; and " + std::to_string(m.verdict_reasons.size() - 3) + " more";
    return why;
  }
  if (!m.score) {
    return report.against_baseline ? "no case in common with the other machines and " + report.reference
                                   : "no case in common with the other machines";
  }
  if (objective == Objective::kPerfPerDollar && !m.perf_per_usd_hour) {
    return m.no_price;
  }
  return "";
}

Figure ObjectiveOf(const MachineFigures& m, Objective objective) {
  return objective == Objective::kPerfPerDollar ? *m.perf_per_usd_hour : *m.score;
}

// Why two adjacent machines cannot be told apart, or "" when they can.
std::string Tie(const MachineFigures& a, const Figure& fa, const MachineFigures& b, const Figure& fb) {
  const double diff = fa.value / fb.value - 1;
  const MachineFigures& spread_of = a.run_spread >= b.run_spread ? a : b;
  if (spread_of.run_spread >= 0 && diff <= spread_of.run_spread) {
    return a.machine + " and " + b.machine + " differ by " + Pct(diff) + ", less than the " + Pct(spread_of.run_spread) +
           " between " + spread_of.machine + "'s own runs: indistinguishable on this data";
  }
  const bool no_spread = a.run_spread < 0 && b.run_spread < 0 && fa.low == fa.high && fb.low == fb.high;
  if (no_spread && diff < kLeadWithoutSpread) {
    return a.machine + " and " + b.machine + " differ by " + Pct(diff) + ", less than " + Pct(kLeadWithoutSpread) +
           " with no spread known on either (one run each, one value per case; repeat the runs, or run with "
           "--repetitions 3): indistinguishable on this data";
  }
  if (fb.high >= fa.low) {
    return a.machine + " and " + b.machine + " differ by " + Pct(diff) +
           ", within their 95% intervals: indistinguishable on this data";
  }
  return "";
}

// The only machine, no baseline: its verdict and cost, and why nothing is ranked.
std::string RecommendAlone(const ProcurementReport& r) {
  const MachineFigures& m = r.machines.front();
  std::string text = "Nothing is ranked: " + m.machine +
                     " is the only machine and no baseline was given (--baseline), so there is nothing to rank it "
                     "against.";
  if (m.verdict.empty()) {
    text += " It was not qualified (run `gpuqual qualify` on it).";
  } else if (m.verdict == "FAIL" || m.verdict == "INCOMPLETE") {
    text += " Its verdict is " + m.verdict + (m.verdict_reasons.empty() ? "" : ": " + m.verdict_reasons.front()) +
            (m.verdict_reasons.size() > 1 ? " (and " + std::to_string(m.verdict_reasons.size() - 1) + " more)" : "") + ".";
  } else {
    text += " It qualifies " + m.verdict + ".";
  }
  if (m.usd_per_mtok) text += " " + r.scenario.Describe() + " costs $" + NumberText("%.3f", *m.usd_per_mtok) + " per million " + r.scenario.Tokens() + " tokens on it.";
  return text;
}

std::string Recommend(const ProcurementReport& r) {
  if (r.ranking.empty() && r.machines.size() == 1 && !r.against_baseline) return RecommendAlone(r);
  if (r.ranking.empty()) {
    return "No machine can be recommended: " + (r.set_apart.empty() ? std::string("no machine was measured") : r.set_apart.front()) +
           (r.set_apart.size() > 1 ? " (and " + std::to_string(r.set_apart.size() - 1) + " more set apart)" : "") + ".";
  }
  const MachineFigures& top = *r.Find(r.ranking.front().machine);
  const std::string what = r.objective == Objective::kPerfPerDollar ? "performance per dollar" : "performance";
  std::string text = "Buy " + top.machine + ": it has the best " + what + " of the " +
                     std::to_string(r.ranking.size()) + " machine(s) ranked (score " + NumberText("%.3f", top.score->value) +
                     " against " + r.reference + (top.usd_per_hour ? ", $" + NumberText("%.2f", *top.usd_per_hour) + "/h" : "") + ")";
  text += top.verdict.empty() ? ", but it was not qualified (run `gpuqual qualify` on it)" : " and qualifies " + top.verdict;
  text += ".";
  if (r.ranking.size() > 1) {
    const RankEntry& second = r.ranking[1];
    if (!second.tie.empty()) {
      text += " " + second.machine + " ties with it (" + second.tie + "): choose between them on price, availability or region.";
    } else {
      text += " It leads " + second.machine + " by " + Pct(r.ranking.front().objective / second.objective - 1) + ".";
    }
  }
  if (top.usd_per_mtok) text += " " + r.scenario.Describe() + " costs $" + NumberText("%.3f", *top.usd_per_mtok) + " per million " + r.scenario.Tokens() + " tokens on it.";
  if (top.runs == 1) text += " It was measured in one run: its spread between runs is unknown, so the ranking is less certain.";
  if (!r.set_apart.empty()) text += " Set apart: " + r.set_apart.front() + (r.set_apart.size() > 1 ? " (and more below)." : ".");
  return text;
}

}  // namespace

void RankMachines(std::vector<MachineFigures> machines, ProcurementReport& report) {
  std::vector<MachineFigures> ranked, apart;
  const bool alone = machines.size() == 1 && !report.against_baseline;
  for (MachineFigures& m : machines) {
    std::string why = SetApartReason(m, report);
    if (why.empty() && alone) why = "the only machine, and no baseline to score it against";
    if (why.empty()) {
      ranked.push_back(std::move(m));
    } else {
      report.set_apart.push_back(m.machine + ": " + why);
      apart.push_back(std::move(m));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [&](const MachineFigures& a, const MachineFigures& b) {
    return ObjectiveOf(a, report.objective).value > ObjectiveOf(b, report.objective).value;
  });
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const Figure f = ObjectiveOf(ranked[i], report.objective);
    RankEntry e{static_cast<int>(i) + 1, ranked[i].machine, f.value, f.low, f.high, ""};
    if (i > 0) {
      e.tie = Tie(ranked[i - 1], ObjectiveOf(ranked[i - 1], report.objective), ranked[i], f);
      if (!e.tie.empty()) e.rank = report.ranking.back().rank;
    }
    report.ranking.push_back(e);
  }
  report.machines = std::move(ranked);
  for (MachineFigures& m : apart) report.machines.push_back(std::move(m));
  report.recommendation = Recommend(report);
}

}  // namespace gq
