// The figures of each machine (rules in procurement.h); ranking and recommendation are in
// procurement_rank.cc.
#include "harness/decide/procurement.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "harness/decide/procurement_rank.h"
#include "harness/decide/two_sample.h"
#include "harness/errors.h"
#include "harness/stats.h"

namespace gq {
namespace {

bool Measured(const CaseResult& c) { return c.status == CaseStatus::kOk || c.status == CaseStatus::kNoisy; }

// One machine's data for one case: per run the values of its devices, and every replicate.
struct CaseData {
  bool higher_is_better = true;
  std::string workload;
  std::map<std::size_t, double> run_values;  // per run index: the median over its devices
  std::vector<double> replicates;  // every (run, device, round) value, in the metric's units
};

// The replicate values of a case in its primary metric's units: the metric's median scaled by
// each round's time against the median round time (rates go as 1/t, times as t).
std::vector<double> Replicates(const CaseResult& c, const MetricResult& m) {
  const std::vector<double> t = c.ReplicateMediansS();
  if (t.empty()) return {m.median};
  const double mid = Median(t);
  std::vector<double> out;
  for (double ti : t) out.push_back(m.higher_is_better ? m.median * mid / ti : m.median * ti / mid);
  return out;
}

struct Machine {
  MachineFigures f;
  std::vector<const ResultsDoc*> runs;
  std::map<std::string, CaseData> cases;  // by case id
};

int Severity(const std::string& verdict) {
  return verdict == "FAIL" ? 4 : verdict == "INCOMPLETE" ? 3 : verdict == "WARN" ? 2 : verdict == "PASS" ? 1 : 0;
}

void Collect(Machine& m, const PriceList* prices) {
  for (std::size_t r = 0; r < m.runs.size(); ++r) {
    const ResultsDoc& run = *m.runs[r];
    m.f.gpus = std::max(m.f.gpus, static_cast<int>(run.system.devices.size()));
    if (!run.system.devices.empty() && m.f.sku.empty()) m.f.sku = run.system.devices.front().sku;
    if (run.verdict) {
      const std::string v = QualifyStatusName(run.verdict->overall);
      if (Severity(v) > Severity(m.f.verdict)) m.f.verdict = v;
      for (const QualifyCheck& c : run.verdict->checks) {
        if (c.status == QualifyStatus::kFail || c.status == QualifyStatus::kIncomplete) {
          m.f.verdict_reasons.push_back(c.name + ": " + c.reason);
        }
      }
    }
    std::map<std::string, std::vector<double>> device_values;
    for (const CaseResult& c : run.cases) {
      const MetricResult* pm = c.FindMetric(c.primary_metric);
      if (!Measured(c) || pm == nullptr || !(pm->median > 0)) continue;
      CaseData& d = m.cases[c.id];
      d.higher_is_better = pm->higher_is_better;
      d.workload = c.workload;
      device_values[c.id].push_back(pm->median);
      for (double v : Replicates(c, *pm)) d.replicates.push_back(v);
    }
    for (auto& [id, values] : device_values) m.cases[id].run_values[r] = Median(values);
  }
  if (prices != nullptr) {
    if (const InstancePrice* p = prices->Match(*m.runs.front())) {
      m.f.usd_per_hour = p->usd_per_hour;
      if (!p->region.empty()) m.f.region = p->region;
      if (p->gpus > 0) m.f.gpus = p->gpus;
    }
  }
  m.f.gpus = std::max(1, m.f.gpus);  // a cpu-only instance is priced as one unit
}

double MachineValue(const CaseData& d) {
  std::vector<double> values;
  for (const auto& [run, v] : d.run_values) values.push_back(v);
  return GeometricMean(values);
}

// Score of a value against a reference, in the better direction.
double Oriented(double value, double reference, bool higher_is_better) {
  return higher_is_better ? value / reference : reference / value;
}

// The geometric-mean score of a machine over `ids`, with its 95% CI (rules in procurement.h).
Figure ScoreOver(const Machine& m, const std::vector<std::string>& ids, const std::map<std::string, double>& reference) {
  double log_sum = 0, var = 0;
  for (const std::string& id : ids) {
    const CaseData& d = m.cases.at(id);
    log_sum += std::log(Oriented(MachineValue(d), reference.at(id), d.higher_is_better));
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
double RunSpread(const Machine& m, const std::vector<std::string>& ids, const std::map<std::string, double>& reference) {
  if (m.runs.size() < 2) return -1;
  std::vector<double> scores;
  for (std::size_t r = 0; r < m.runs.size(); ++r) {
    double log_sum = 0;
    int k = 0;
    for (const std::string& id : ids) {
      const CaseData& d = m.cases.at(id);
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

// $/Mtok of the scenario for one machine (rules in procurement.h).
void TokenCost(Machine& m, const ProcurementOptions& o) {
  const std::string* metric = nullptr;
  for (const ResultsDoc* run : m.runs) {
    for (const CaseResult& c : run->cases) {
      if (o.scenario.Matches(c)) metric = o.cost_metrics.Find(c.workload, CostRole::kOutputTokens);
    }
  }
  if (metric == nullptr) {
    m.f.usd_per_mtok_note = "no " + o.scenario.Describe() + " case in its runs";
    return;
  }
  std::vector<double> per_run;
  int replicas = 0;
  for (const ResultsDoc* run : m.runs) {
    double tok_s = 0;
    int n = 0;
    for (const CaseResult& c : run->cases) {
      const MetricResult* mr = Measured(c) && o.scenario.Matches(c) ? c.FindMetric(*metric) : nullptr;
      if (mr == nullptr || !(mr->median > 0)) continue;
      tok_s += mr->median;
      ++n;
    }
    if (n == 0) continue;
    const int full = std::max(1, m.f.gpus / std::max(1, o.scenario.tp));
    per_run.push_back(tok_s * std::max(1.0, static_cast<double>(full) / n));  // scaled to the whole instance
    replicas = n;
  }
  if (per_run.empty()) {
    m.f.usd_per_mtok_note = "its " + o.scenario.Describe() + " case was not measured (failed or skipped)";
    return;
  }
  if (!m.f.usd_per_hour) {
    m.f.usd_per_mtok_note = "no price for " + (m.f.instance_type.empty() ? m.f.machine : m.f.instance_type);
    return;
  }
  const double tok_s = GeometricMean(per_run);
  m.f.usd_per_mtok = *m.f.usd_per_hour / (tok_s * 3600.0) * 1e6;
  const int full = std::max(1, m.f.gpus / std::max(1, o.scenario.tp));
  m.f.usd_per_mtok_note = o.scenario.Describe() + ": " + std::to_string(static_cast<long long>(std::lround(tok_s))) +
                          " output tok/s for the instance" +
                          (replicas < full ? " (measured on " + std::to_string(replicas) + " of " + std::to_string(full) +
                                                 " replicas, scaled to all)"
                                           : "");
}

}  // namespace

const char* ObjectiveName(Objective o) { return o == Objective::kPerformance ? "performance" : "perf-per-dollar"; }

Objective ParseObjective(const std::string& text) {
  if (text == "perf-per-dollar") return Objective::kPerfPerDollar;
  if (text == "performance") return Objective::kPerformance;
  throw UsageError("--objective '" + text + "' is not perf-per-dollar or performance");
}

std::string MachineOf(const ResultsDoc& run) {
  auto it = run.run.labels.find("machine");
  if (it != run.run.labels.end() && !it->second.empty()) return it->second;
  const std::string type = InstanceTypeOf(run);
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
  std::vector<Machine> machines;
  for (const ResultsDoc& run : runs) {
    const std::string name = MachineOf(run);
    auto it = std::find_if(machines.begin(), machines.end(), [&](const Machine& m) { return m.f.machine == name; });
    if (it == machines.end()) {
      Machine m;
      m.f.machine = name;
      m.f.provider = run.system.cloud.provider;
      m.f.instance_type = InstanceTypeOf(run);
      m.f.region = run.system.cloud.region;  // the price entry's region, when it names one, wins
      machines.push_back(std::move(m));
      it = machines.end() - 1;
    }
    it->runs.push_back(&run);
  }
  for (Machine& m : machines) {
    Collect(m, prices);
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
  // Common cases: those every machine that passed qualification (or was not qualified) measured;
  // when every machine failed, those every machine measured. The per-case reference (without a
  // baseline) is the best of those machines.
  auto eligible = [&](const Machine& m) { return Severity(m.f.verdict) < Severity("INCOMPLETE"); };
  const bool any_eligible = std::any_of(machines.begin(), machines.end(), eligible);
  std::vector<const Machine*> judges;
  for (const Machine& m : machines) {
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
  report.common_cases.assign(common.begin(), common.end());
  std::map<std::string, double> reference;
  for (const std::string& id : report.common_cases) {
    if (baseline != nullptr) {
      const BaselineCase* b = baseline->Find(id);
      const MetricResult* bm = b->FindMetric(b->primary_metric);
      if (bm != nullptr && bm->median > 0) reference[id] = bm->median;
      continue;
    }
    double best = 0;
    for (const Machine* m : judges) {
      const CaseData& d = m->cases.at(id);
      const double v = MachineValue(d);
      if (best == 0 || (d.higher_is_better ? v > best : v < best)) best = v;
    }
    reference[id] = best;
  }
  std::erase_if(report.common_cases, [&](const std::string& id) { return !reference.count(id); });
  for (Machine& m : machines) {
    // A machine set apart that lacks some common cases is scored over the ones it has.
    std::vector<std::string> own;
    for (const std::string& id : report.common_cases) {
      if (m.cases.count(id)) own.push_back(id);
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
    std::vector<double> tflops;
    for (const auto& [id, d] : m.cases) {
      const std::string* role = o.cost_metrics.Find(d.workload, CostRole::kComputeRate);
      if (role == nullptr) continue;
      for (const ResultsDoc* run : m.runs) {
        for (const CaseResult& c : run->cases) {
          if (c.id != id || !Measured(c)) continue;
          if (const MetricResult* mr = c.FindMetric(*role); mr != nullptr && mr->median > 0) tflops.push_back(mr->median);
        }
      }
    }
    if (!tflops.empty() && m.f.usd_per_hour) m.f.tflops_per_usd_hour = GeometricMean(tflops) * m.f.gpus / *m.f.usd_per_hour;
    TokenCost(m, o);
  }
  std::vector<MachineFigures> figures;
  for (Machine& m : machines) figures.push_back(std::move(m.f));
  RankMachines(figures, report);
  return report;
}

}  // namespace gq
