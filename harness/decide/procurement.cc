// The figures of each machine (rules in procurement.h); ranking and recommendation are in
// procurement_rank.cc.
#include "harness/decide/procurement.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "harness/case_figure.h"
#include "harness/decide/procurement_machine.h"
#include "harness/decide/procurement_rank.h"
#include "harness/errors.h"
#include "harness/stats.h"

namespace gq {
namespace {

// Score of a value against a reference, in the better direction.
double Oriented(double value, double reference, bool higher_is_better) {
  return higher_is_better ? value / reference : reference / value;
}

// The geometric-mean score of a machine over `ids`, with its 95% CI (rules in procurement.h).
Figure ScoreOver(const ProcurementMachine& m, const std::vector<std::string>& ids, const std::map<std::string, double>& reference) {
  double log_sum = 0, var = 0;
  for (const std::string& id : ids) {
    const ProcurementCase& d = m.cases.at(id);
    log_sum += std::log(Oriented(d.Value(), reference.at(id), d.higher_is_better));
    if (d.replicates.size() >= 2) {
      std::vector<double> logs;
      for (double v : d.replicates) logs.push_back(std::log(v));
      const double s = StdDev(logs);
      var += s * s / static_cast<double>(logs.size());
    }
  }
  const double k = static_cast<double>(ids.size());
  const double mean = log_sum / k, half = 1.96 * std::sqrt(var) / k;
  return {std::exp(mean), std::exp(mean - half), std::exp(mean + half)};
}

// The run-to-run spread of a machine: each run's own geometric-mean score over `ids`.
double RunSpread(const ProcurementMachine& m, const std::vector<std::string>& ids, const std::map<std::string, double>& reference) {
  if (m.runs.size() < 2) return -1;
  std::vector<double> scores;
  for (std::size_t r = 0; r < m.runs.size(); ++r) {
    double log_sum = 0;
    int k = 0;
    for (const std::string& id : ids) {
      const ProcurementCase& d = m.cases.at(id);
      auto v = d.run_values.find(r);
      if (v == d.run_values.end()) continue;
      log_sum += std::log(Oriented(v->second, reference.at(id), d.higher_is_better));
      ++k;
    }
    if (k > 0) scores.push_back(std::exp(log_sum / k));
  }
  if (scores.size() < 2) return -1;
  return *std::max_element(scores.begin(), scores.end()) / *std::min_element(scores.begin(), scores.end()) - 1;
}

}  // namespace

const char* ObjectiveName(Objective o) { return o == Objective::kPerformance ? "performance" : "perf-per-dollar"; }

Objective ParseObjective(const std::string& text) {
  if (text == "perf-per-dollar") return Objective::kPerfPerDollar;
  if (text == "performance") return Objective::kPerformance;
  throw UsageError("--objective '" + text + "' is not perf-per-dollar or performance");
}

std::string MachineOf(const ResultsDoc& run) {
  const std::string type = MachineTypeOf(run);
  return !type.empty() ? type : run.system.host.hostname;
}

const MachineFigures* ProcurementReport::Find(const std::string& machine) const {
  for (const MachineFigures& m : machines) {
    if (m.machine == machine) return &m;
  }
  return nullptr;
}

ProcurementReport BuildProcurement(const std::vector<ResultsDoc>& runs, const PriceList* prices,
                                   const Baseline* baseline, const InstanceCatalog* catalog,
                                   const ProcurementOptions& o) {
  if (runs.empty()) throw std::invalid_argument("BuildProcurement: no runs");
  std::vector<ProcurementMachine> machines;
  for (const ResultsDoc& run : runs) {
    const std::string name = MachineOf(run);
    auto it = std::find_if(machines.begin(), machines.end(), [&](const ProcurementMachine& m) { return m.f.machine == name; });
    if (it == machines.end()) {
      ProcurementMachine m;
      m.f.machine = name;
      m.f.provider = run.system.cloud.provider;
      m.f.instance_type = InstanceTypeOf(run);
      m.f.region = run.system.cloud.region;  // the price entry's region, when it names one, wins
      machines.push_back(std::move(m));
      it = machines.end() - 1;
    }
    it->runs.push_back(&run);
  }
  for (ProcurementMachine& m : machines) {
    CollectMachine(m, prices);
    m.f.runs = static_cast<int>(m.runs.size());
    if (const InstanceEntry* e = catalog != nullptr ? catalog->Find(m.f.instance_type) : nullptr) {
      m.f.interconnect = e->gpu_interconnect;
      m.f.network = e->network;
    }
  }
  ProcurementReport report;
  report.objective = o.objective;
  report.scenario = o.scenario;
  report.reference = baseline != nullptr ? "baseline " + baseline->name : "the best machine per case";
  report.against_baseline = baseline != nullptr;
  // Common cases: those every machine that passed qualification (or was not qualified) measured;
  // when every machine failed, those every machine measured. The per-case reference (without a
  // baseline) is the best of those machines.
  auto eligible = [&](const ProcurementMachine& m) { return VerdictSeverity(m.f.verdict) < VerdictSeverity("INCOMPLETE"); };
  const bool any_eligible = std::any_of(machines.begin(), machines.end(), eligible);
  std::vector<const ProcurementMachine*> judges;
  for (const ProcurementMachine& m : machines) {
    if (!any_eligible || eligible(m)) judges.push_back(&m);
  }
  std::set<std::string> common;
  for (std::size_t i = 0; i < judges.size(); ++i) {
    std::set<std::string> ids;
    for (const auto& [id, d] : judges[i]->cases) {
      if (baseline == nullptr || baseline->Find(id) != nullptr) ids.insert(id);
    }
    if (i == 0) {
      common = std::move(ids);
    } else {
      std::set<std::string> both;
      std::set_intersection(common.begin(), common.end(), ids.begin(), ids.end(), std::inserter(both, both.end()));
      common = std::move(both);
    }
  }
  // A case measured in setups that do not compare is left out, and the report says why.
  std::erase_if(common, [&](const std::string& id) {
    std::string why;
    const ProcurementCase& first = judges.front()->cases.at(id);
    for (const ProcurementMachine* m : judges) {
      const ProcurementCase& d = m->cases.at(id);
      if (why.empty()) why = d.mixed_setup;
      if (why.empty()) why = RankSetupMismatch(d.work, m->f.machine, first.work, judges.front()->f.machine);
    }
    if (why.empty() && baseline != nullptr) {
      why = RankSetupMismatch(first.work, judges.front()->f.machine, baseline->Find(id)->work, report.reference);
    }
    if (!why.empty()) report.not_comparable.push_back(id + ": " + why);
    return !why.empty();
  });
  report.common_cases.assign(common.begin(), common.end());
  std::map<std::string, double> reference;
  for (const std::string& id : report.common_cases) {
    if (baseline != nullptr) {
      // The baseline's figure in the machines' metric (a baseline written before a case's figure
      // changed names another primary metric; it holds this one too).
      const BaselineCase* b = baseline->Find(id);
      const MetricResult* bm = b->FindMetric(judges.front()->cases.at(id).metric);
      if (bm != nullptr && bm->median > 0) reference[id] = bm->median;
      continue;
    }
    double best = 0;
    for (const ProcurementMachine* m : judges) {
      const ProcurementCase& d = m->cases.at(id);
      const double v = d.Value();
      if (best == 0 || (d.higher_is_better ? v > best : v < best)) best = v;
    }
    reference[id] = best;
  }
  std::erase_if(report.common_cases, [&](const std::string& id) { return !reference.count(id); });
  for (ProcurementMachine& m : machines) {
    // A machine set apart that lacks some common cases is scored over the ones it has.
    // Nor over a case it measured in a setup the reference's does not compare with (a set-apart
    // machine was not among those the not-comparable rule looked at).
    std::vector<std::string> own;
    for (const std::string& id : report.common_cases) {
      const auto it = m.cases.find(id);
      if (it == m.cases.end() || !it->second.mixed_setup.empty()) continue;
      if (!RankSetupMismatch(it->second.work, "", judges.front()->cases.at(id).work, "").empty()) continue;
      own.push_back(id);
    }
    if (!own.empty()) {
      m.f.score = ScoreOver(m, own, reference);
      std::map<std::string, std::vector<std::string>> by_workload;
      for (const std::string& id : own) by_workload[m.cases.at(id).workload].push_back(id);
      for (const auto& [w, ids] : by_workload) m.f.workload_scores[w] = ScoreOver(m, ids, reference);
      m.f.run_spread = RunSpread(m, own, reference);
      if (m.f.usd_per_hour) {
        const double per = m.f.gpus / *m.f.usd_per_hour;
        m.f.perf_per_usd_hour = Figure{m.f.score->value * per, m.f.score->low * per, m.f.score->high * per};
      }
    }
    MachineCostFigures(m, own, o);
  }
  std::vector<MachineFigures> figures;
  for (ProcurementMachine& m : machines) figures.push_back(std::move(m.f));
  RankMachines(figures, report);
  return report;
}

}  // namespace gq
