// One machine's data and the figures that need no other machine (procurement_machine.h).
#include "harness/decide/procurement_machine.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/case_figure.h"
#include "harness/decide/run_replicates.h"
#include "harness/decide/two_sample.h"
#include "harness/stats.h"

namespace gq {
namespace {

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

// $/Mtok of the scenario for one machine (rules in procurement.h).
// A prefill scenario's tokens are its prompt tokens (prefill_tok_s; one output token per
// sequence): its $/Mtok is per million prompt tokens, and the note says so.
void TokenCost(ProcurementMachine& m, const ProcurementOptions& o) {
  static const std::string kPrefillTokS = "prefill_tok_s";
  const bool prefill = o.scenario.scenario == "prefill";
  const std::string* metric = nullptr;
  for (const ResultsDoc* run : m.runs) {
    for (const CaseResult& c : run->cases) {
      if (o.scenario.Matches(c)) metric = prefill ? &kPrefillTokS : o.cost_metrics.Find(c.workload, CostRole::kOutputTokens);
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
      const MetricResult* mr = c.Measured() && o.scenario.Matches(c) ? c.FindMetric(*metric) : nullptr;
      if (mr == nullptr || !(mr->median > 0)) continue;
      // An MPI case's figure is one replica's (a rank, or a tp group of ranks): it ran on all.
      const int copies = std::max(1, ParseCaseDevice(c.device).ranks / std::max(1, o.scenario.tp));
      tok_s += mr->median * copies;
      n += copies;
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
    m.f.usd_per_mtok_note = m.f.no_price;
    return;
  }
  const double tok_s = GeometricMean(per_run);
  m.f.usd_per_mtok = *m.f.usd_per_hour / (tok_s * 3600.0) * 1e6;
  const int full = std::max(1, m.f.gpus / std::max(1, o.scenario.tp));
  m.f.usd_per_mtok_note = o.scenario.Describe() + ": " + std::to_string(static_cast<long long>(std::lround(tok_s))) +
                          " " + o.scenario.Tokens() + " tok/s for the instance" +
                          (replicas < full ? " (measured on " + std::to_string(replicas) + " of " + std::to_string(full) +
                                                 " replicas, scaled to all)"
                                           : "");
}

}  // namespace

double ProcurementCase::Value() const {
  std::vector<double> values;
  for (const auto& [run, v] : run_values) values.push_back(v);
  return GeometricMean(values);
}

int VerdictSeverity(const std::string& verdict) {
  return verdict == "FAIL" ? 4 : verdict == "INCOMPLETE" ? 3 : verdict == "WARN" ? 2 : verdict == "PASS" ? 1 : 0;
}

void CollectMachine(ProcurementMachine& m, const PriceList* prices) {
  int nodes = 1;  // an MPI job on several nodes costs as many instances
  for (std::size_t r = 0; r < m.runs.size(); ++r) {
    const ResultsDoc& run = *m.runs[r];
    m.f.gpus = std::max(m.f.gpus, static_cast<int>(run.system.devices.size()));
    if (run.system.world.backend == "mpi") {  // every rank drives a GPU of its own (or the cpu)
      const bool gpus = std::any_of(run.cases.begin(), run.cases.end(),
                                    [](const CaseResult& c) { return ParseCaseDevice(c.device).RanksOfGpus(); });
      if (gpus) m.f.gpus = std::max(m.f.gpus, run.system.world.ranks);
      nodes = std::max(nodes, run.system.world.nodes);
    }
    if (!run.system.devices.empty() && m.f.sku.empty()) m.f.sku = run.system.devices.front().sku;
    if (run.verdict) {
      const std::string v = QualifyStatusName(run.verdict->overall);
      if (VerdictSeverity(v) > VerdictSeverity(m.f.verdict)) m.f.verdict = v;
      for (const QualifyCheck& c : run.verdict->checks) {
        if (c.status == QualifyStatus::kFail || c.status == QualifyStatus::kIncomplete) {
          m.f.verdict_reasons.push_back(c.name + ": " + c.reason);
        }
      }
    } else if (run.run.interrupted || !run.run.complete) {  // qualify would say INCOMPLETE: so does the ranking
      if (VerdictSeverity("INCOMPLETE") > VerdictSeverity(m.f.verdict)) m.f.verdict = "INCOMPLETE";
      m.f.verdict_reasons.push_back("run " + run.run.id + ": " +
                                    (run.run.interrupted ? "interrupted, only its finished cases were kept"
                                                         : "cut off (complete: false), the process ended mid-run"));
    }
    std::map<std::string, std::vector<double>> device_values;
    std::map<std::string, std::vector<std::vector<double>>> device_replicates;
    for (const CaseResult& c : run.cases) {
      const std::string metric = FigureMetric(c);  // algbw on one rank (case_figure.h)
      const MetricResult* pm = c.FindMetric(metric);
      if (!c.Measured() || pm == nullptr || !(pm->median > 0)) continue;
      const bool first_run = m.cases.count(c.id) == 0;
      ProcurementCase& d = m.cases[c.id];
      if (first_run) {
        d.work = c.work;
      } else if (d.mixed_setup.empty()) {
        d.mixed_setup = RankSetupMismatch(c.work, "run " + run.run.id, d.work, "an earlier run of " + m.f.machine);
      }
      d.metric = metric;
      d.higher_is_better = pm->higher_is_better;
      d.workload = c.workload;
      device_values[c.id].push_back(pm->median);
      device_replicates[c.id].push_back(Replicates(c, *pm));
    }
    // The run's figure and replicates over its devices: their mean, the instance's throughput
    // per GPU (a slow GPU lowers it; run_replicates.h), one replicate per round of the run.
    for (auto& [id, values] : device_values) m.cases[id].run_values[r] = Mean(values);
    for (auto& [id, devices] : device_replicates) {
      for (double v : CombineDevices(devices, [](const std::vector<double>& x) { return Mean(x); })) {
        m.cases[id].replicates.push_back(v);
      }
    }
  }
  const std::string type = InstanceTypeOf(*m.runs.front());
  if (prices == nullptr) {
    m.f.no_price = "no price: give --prices FILE";
  } else if (const InstancePrice* p = prices->Match(*m.runs.front())) {
    m.f.usd_per_hour = p->usd_per_hour * nodes;
    if (!p->region.empty()) m.f.region = p->region;
    if (p->gpus > 0) m.f.gpus = p->gpus * nodes;
  } else if (type.empty()) {
    m.f.no_price = "no price: its runs name no instance type to look up in " + prices->origin +
                   " (GQ_INSTANCE_TYPE or --label instance_type=T when running)";
  } else {
    m.f.no_price = "no price: instance type " + type + " is not in " + prices->origin;
  }
  m.f.gpus = std::max(1, m.f.gpus);  // a cpu-only instance is priced as one unit
}

void MachineCostFigures(ProcurementMachine& m, const std::vector<std::string>& over, const ProcurementOptions& o) {
  std::vector<double> tflops;
  for (const std::string& id : over) {
    auto it = m.cases.find(id);
    if (it == m.cases.end()) continue;
    const ProcurementCase& d = it->second;
    const std::string* role = o.cost_metrics.Find(d.workload, CostRole::kComputeRate);
    if (role == nullptr) continue;
    for (const ResultsDoc* run : m.runs) {
      for (const CaseResult& c : run->cases) {
        if (c.id != id || !c.Measured()) continue;
        if (const MetricResult* mr = c.FindMetric(*role); mr != nullptr && mr->median > 0) tflops.push_back(mr->median);
      }
    }
  }
  if (!tflops.empty() && m.f.usd_per_hour) {
    m.f.tflops_per_usd_hour = GeometricMean(tflops) * m.f.gpus / *m.f.usd_per_hour;
  }
  TokenCost(m, o);
}

}  // namespace gq
