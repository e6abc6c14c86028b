#include "harness/decide/baseline.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "harness/case_figure.h"
#include "harness/clock.h"
#include "harness/decide/run_replicates.h"
#include "harness/errors.h"
#include "harness/stats.h"
#include "harness/work.h"

namespace gq {
namespace {

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }

// A metric is derived from iteration time when the unit's formula applied to the extreme sample
// times gives its recorded extremes: exactly for one round; for a case measured in rounds
// (rounds.h: the metric summarises the rounds' medians) its extremes lie within those figures.
bool DerivedFromTime(const std::string& name, const MetricResult& m, const CaseResult& c) {
  const std::vector<double> t = c.PerIterationSeconds();
  if (t.empty()) return false;
  auto [lo, hi] = std::minmax_element(t.begin(), t.end());
  auto a = MetricFromIterationTime(name, m.unit, *lo, c.work);
  auto b = MetricFromIterationTime(name, m.unit, *hi, c.work);
  if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b)) return false;
  if (c.rounds_done > 1) {
    const double low = std::min(*a, *b), high = std::max(*a, *b);
    auto inside = [&](double v) { return (v >= low || Near(v, low)) && (v <= high || Near(v, high)); };
    return inside(m.min) && inside(m.max);
  }
  return (Near(*a, m.min) && Near(*b, m.max)) || (Near(*a, m.max) && Near(*b, m.min));
}

MetricResult SummaryMetric(const std::string& unit, bool higher_is_better, const std::vector<double>& values) {
  Summary s = Summarise(values);
  return {unit, higher_is_better, s.median, s.mean, s.stddev, s.cv, s.p10, s.p90, s.min, s.max,
          s.ci95_low, s.ci95_high, static_cast<int64_t>(s.n)};
}

BaselineSource SourceOf(const ResultsDoc& doc, const std::string& file) {
  BaselineSource s{file, doc.run.id, doc.run.started_at, doc.system.host.hostname, doc.system.cloud.provider,
                   InstanceTypeOf(doc), doc.run.tool_version, doc.run.tool_git, {}};
  for (const GpuInfo& g : doc.system.devices) {
    std::string driver;
    if (doc.health.before) {
      for (const DeviceHealth& h : doc.health.before->devices) {
        if (h.index == g.index && !h.driver_version.empty()) driver = " driver " + h.driver_version;
      }
    }
    s.devices.push_back(g.name + " [" + g.sku + "] cuda " + g.driver + "/" + g.cuda_runtime + driver);
  }
  return s;
}

}  // namespace

const MetricResult* BaselineCase::FindMetric(const std::string& name) const {
  for (const auto& [n, m] : metrics) {
    if (n == name) return &m;
  }
  return nullptr;
}

std::vector<double> BaselineCase::ReplicateMediansS() const {
  if (!replicate_medians_s.empty()) return replicate_medians_s;
  if (samples_s.empty()) return {};
  return {Median(samples_s)};
}

const BaselineCase* Baseline::Find(const std::string& id) const {
  for (const BaselineCase& c : cases) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

QualifyThreshold Baseline::ThresholdFor(const std::string& workload) const {
  auto it = workload_thresholds.find(workload);
  return it != workload_thresholds.end() ? it->second : default_threshold;
}

std::optional<double> MetricFromIterationTime(const std::string& name, const std::string& unit,
                                              double seconds, const Work& work) {
  if (seconds <= 0) return std::nullopt;
  for (const MetricSpec& spec : TokenThroughputMetrics()) {
    if (spec.name != name) continue;
    if (!spec.phase.empty()) return std::nullopt;  // from a phase's seconds, not the iteration's
    return spec.FromTime(seconds, work);
  }
  if (unit == "TFLOP/s") return work.flops / seconds * 1e-12;
  if (unit == "GB/s") return (name == "busbw" ? work.bytes * work.busbw_factor : work.bytes) / seconds * 1e-9;
  if (unit == "tok/s") return work.tokens / seconds;
  if (unit == "ms") return seconds * 1e3;
  if (unit == "us") return seconds * 1e6;
  return std::nullopt;
}

void RequireFinishedRun(const ResultsDoc& doc, const std::string& file) {
  const std::string cases = std::to_string(doc.cases.size()) + " case(s)";
  if (doc.run.interrupted) {
    throw UsageError(file + ": the run was interrupted after " + cases +
                     " (a baseline is made of finished runs; --allow-incomplete takes it anyway)");
  }
  if (!doc.run.complete) {
    throw UsageError(file + ": the results file was cut off after " + cases +
                     " (complete: false; a baseline is made of finished runs; --allow-incomplete takes it anyway)");
  }
}

void RequireDistinctRuns(const std::vector<ResultsDoc>& docs, const std::vector<std::string>& files) {
  std::map<std::string, std::size_t> first;  // run id -> the doc it was first seen in
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const std::string& id = docs[d].run.id;
    if (id.empty()) continue;
    auto [it, added] = first.emplace(id, d);
    if (!added) {
      throw UsageError(files[d] + ": run " + id + " is also " + files[it->second] +
                       " (the same run given twice would count as two that agree exactly)");
    }
  }
}

Baseline CreateBaseline(const std::vector<ResultsDoc>& docs, const std::vector<std::string>& files,
                        const std::string& name) {
  RequireDistinctRuns(docs, files);
  Baseline b;
  b.name = name;
  b.created_at = UtcTimestamp();
  std::set<std::string> skus;
  // Per id: the contributing cases, in first-seen order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const CaseResult*>> by_id;
  std::map<const CaseResult*, std::size_t> doc_of;  // the source file of each case
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const ResultsDoc& doc = docs[d];
    b.sources.push_back(SourceOf(doc, files[d]));
    std::set<std::pair<std::string, std::string>> seen;
    for (const CaseResult& c : doc.cases) {
      if (!seen.insert({c.id, c.device}).second) {
        throw UsageError(files[d] + ": case '" + c.id + "' appears twice on " + c.device);
      }
      if (!c.Measured()) continue;
      if (c.samples_s.empty() || c.FindMetric(c.primary_metric) == nullptr) continue;
      skus.insert(CaseSku(doc, c));
      if (by_id[c.id].empty()) order.push_back(c.id);
      // Runs of a collective at other rank counts are not replicates of each other (case_figure.h).
      if (!by_id[c.id].empty()) {
        const CaseResult& first = *by_id[c.id].front();
        const std::string why = RankSetupMismatch(c.work, files[d], first.work, files[doc_of[&first]]);
        if (!why.empty()) throw UsageError("case '" + c.id + "': " + why + " (a baseline merges runs of one setup)");
      }
      by_id[c.id].push_back(&c);
      doc_of[&c] = d;
    }
  }
  if (order.empty()) throw UsageError("no ok or noisy cases with samples in the given results: nothing to baseline");
  if (skus.size() > 1) {
    std::string list;
    for (const auto& s : skus) list += (list.empty() ? "" : ", ") + s;
    throw UsageError("the results mix device SKUs (" + list + "): a baseline is for one SKU");
  }
  b.sku = *skus.begin();
  if (!docs.empty()) {
    b.tool_version = docs.front().run.tool_version;
    b.tool_git = docs.front().run.tool_git;
  }
  for (const std::string& id : order) {
    const std::vector<const CaseResult*>& src = by_id[id];
    const CaseResult& first = *src.front();
    BaselineCase bc{id, first.workload, first.params, first.primary_metric, {}, {}, first.work,
                    static_cast<int>(src.size()), {}, false};
    // Replicates per run, its devices combined by the median (run_replicates.h).
    std::map<std::size_t, std::vector<std::vector<double>>> per_run;
    for (const CaseResult* c : src) {
      for (double t : c->PerIterationSeconds()) bc.samples_s.push_back(t);
      per_run[doc_of[c]].push_back(c->ReplicateMediansS());
      bc.noisy = bc.noisy || c->status == CaseStatus::kNoisy;
    }
    for (const auto& [doc, devices] : per_run) {
      for (double t : CombineDevices(devices, [](const std::vector<double>& v) { return Median(v); })) {
        bc.replicate_medians_s.push_back(t);
      }
    }
    for (const auto& entry : first.metrics) {
      const std::string& metric = entry.first;  // captured below: not a structured binding (clang < 16)
      const MetricResult& m = entry.second;
      std::vector<double> values;
      const bool derived = std::all_of(src.begin(), src.end(), [&](const CaseResult* c) {
        const MetricResult* cm = c->FindMetric(metric);
        return cm != nullptr && DerivedFromTime(metric, *cm, *c);
      });
      if (derived) {
        // Each source as its own metric summarises it: a run in rounds by its rounds' medians
        // (rounds.h), else by its samples.
        for (const CaseResult* c : src) {
          const bool in_rounds = c->rounds_done > 1 && !c->round_medians_s.empty();
          for (double t : in_rounds ? c->round_medians_s : c->PerIterationSeconds()) {
            values.push_back(*MetricFromIterationTime(metric, m.unit, t, bc.work));
          }
        }
      } else {
        for (const CaseResult* c : src) {
          if (const MetricResult* cm = c->FindMetric(metric)) values.push_back(cm->median);
        }
      }
      MetricResult summary = SummaryMetric(m.unit, m.higher_is_better, values);
      if (!std::isfinite(summary.min) || !std::isfinite(summary.max)) {
        throw UsageError("case '" + id + "': metric " + metric + " is not finite over the given runs (a work count or "
                         "sample out of range): nothing to baseline");
      }
      bc.metrics.emplace_back(metric, summary);
    }
    b.cases.push_back(std::move(bc));
  }
  return b;
}

}  // namespace gq
