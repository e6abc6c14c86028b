#include "harness/decide/qualify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

#include "harness/case_figure.h"
#include "harness/clock.h"
#include "harness/decide/procurement.h"
#include "harness/decide/qualify_health.h"
#include "harness/decide/qualify_siblings.h"
#include "harness/decide/two_sample.h"

namespace gq {
namespace {

using enum QualifyStatus;  // kPass, kWarn, kIncomplete, kFail

std::string Fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

// The spec given now over the baseline's stored thresholds: its workload's, then its default,
// then the baseline's workload's, then the baseline's default.
QualifyThreshold ThresholdFor(const std::string& workload, const Baseline& b, const QualifyOptions& o) {
  auto it = o.thresholds.find(workload);
  if (it != o.thresholds.end()) return it->second;
  if (o.default_threshold) return *o.default_threshold;
  return b.ThresholdFor(workload);
}

// One WARN naming the baseline's cases this run did not measure at all (not judged).
void CoverageCheck(const ResultsDoc& doc, const Baseline& baseline, std::vector<QualifyCheck>& out) {
  std::set<std::string> ran;
  for (const CaseResult& c : doc.cases) ran.insert(c.id);
  std::vector<std::string> absent;
  for (const BaselineCase& b : baseline.cases) {
    if (ran.count(b.id) == 0) absent.push_back(b.id);
  }
  if (absent.empty()) return;
  std::string examples;
  for (std::size_t i = 0; i < absent.size() && i < 3; ++i) examples += (i ? ", " : "") + absent[i];
  if (absent.size() > 3) examples += ", ...";
  out.push_back({"baseline coverage", "performance", kWarn,
                 std::to_string(absent.size()) + " of the " + std::to_string(baseline.cases.size()) +
                     " case(s) of baseline '" + baseline.name + "' are not in this run (" + examples +
                     "): not judged",
                 0, 0, ""});
}

void PerformanceChecks(const ResultsDoc& doc, const Baseline* baseline, const QualifyOptions& o,
                       std::vector<QualifyCheck>& out) {
  int matched = 0;  // cases with a baseline counterpart, whatever their status
  for (const CaseResult& c : doc.cases) {
    const std::string name = c.id + " [" + c.device + "]";
    if (baseline != nullptr && baseline->Find(c.id) != nullptr) ++matched;
    if (c.status == CaseStatus::kFailed || c.status == CaseStatus::kInvalid) {
      out.push_back({name, "performance", kFail, std::string(CaseStatusName(c.status)) + ": " + c.reason, 0, 0, ""});
      continue;
    }
    if (c.status == CaseStatus::kSkipped) {
      out.push_back({name, "performance", kWarn, "skipped: " + c.reason, 0, 0, ""});
      continue;
    }
    const BaselineCase* base = baseline != nullptr ? baseline->Find(c.id) : nullptr;
    if (base != nullptr) {  // a collective at another rank count than the baseline's (case_figure.h)
      if (const std::string why = RankSetupMismatch(c.work, "this run", base->work, "baseline " + baseline->name);
          !why.empty()) {
        out.push_back({name, "performance", kWarn, why + "; not judged", 0, 0, ""});
        continue;
      }
    }
    const std::string metric = FigureMetric(c);  // algbw on one rank, where busbw is undefined
    const MetricResult* m = c.FindMetric(metric);
    const MetricResult* bm = base != nullptr ? base->FindMetric(metric) : nullptr;
    if (m == nullptr || bm == nullptr || bm->median <= 0 || m->median <= 0) continue;
    const QualifyThreshold t = ThresholdFor(c.workload, *baseline, o);
    const double ratio = m->median / bm->median;
    const double fraction = bm->higher_is_better ? ratio : 1.0 / ratio;
    // The FAIL threshold expressed in the metric itself.
    const double threshold = bm->higher_is_better ? bm->median * t.fail_below : bm->median / t.fail_below;
    QualifyCheck check{name, "performance", kPass, "", m->median, threshold, m->unit};
    check.reason = Fmt("%.1f%% of baseline %.4g", 100 * fraction, bm->median) + " " + m->unit;
    if (fraction < t.fail_below) {
      check.status = kFail;
      check.reason += Fmt(" (below %.0f%%)", 100 * t.fail_below);
    } else if (fraction < t.warn_below) {
      check.status = kWarn;
      check.reason += Fmt(" (below %.0f%%)", 100 * t.warn_below);
    }
    if (c.status == CaseStatus::kNoisy) {
      check.status = std::max(check.status, kWarn);
      check.reason += "; noisy: " + c.reason;
    }
    out.push_back(check);
  }
  if (baseline == nullptr) {
    out.push_back({"baseline", "performance", kWarn,
                   "no baseline" + (o.no_baseline_reason.empty() ? std::string(" for this SKU") : ": " + o.no_baseline_reason) +
                       "; give --baseline FILE: performance not judged",
                   0, 0, ""});
  } else if (matched == 0) {
    out.push_back({"baseline", "performance", kWarn,
                   "no case of this run is in baseline '" + baseline->name + "': performance not judged", 0, 0, ""});
  } else {
    CoverageCheck(doc, *baseline, out);
  }
}

void InventoryChecks(const ResultsDoc& doc, const InstanceEntry* entry, const std::string& instance_type,
                     std::vector<QualifyCheck>& out) {
  for (const GpuInfo& g : doc.system.devices) {
    if (g.sku == "unknown" || g.sku.empty()) {
      out.push_back({"cuda:" + std::to_string(g.index) + " sku", "inventory", kWarn,
                     "unknown SKU '" + g.name + "': no datasheet peaks, no baseline", 0, 0, ""});
    }
  }
  if (instance_type.empty()) return;
  if (entry == nullptr) {
    out.push_back({"instance", "inventory", kWarn, "instance type '" + instance_type + "' is not in the catalog", 0, 0, ""});
    return;
  }
  const int count = static_cast<int>(doc.system.devices.size());
  out.push_back({"gpu count", "inventory", count == entry->gpu_count ? kPass : kFail,
                 std::to_string(count) + " GPU(s) visible, " + entry->instance_type + " has " +
                     std::to_string(entry->gpu_count),
                 static_cast<double>(count), static_cast<double>(entry->gpu_count), "GPUs"});
  std::set<std::string> skus;
  for (const GpuInfo& g : doc.system.devices) skus.insert(g.sku);
  for (const std::string& sku : skus) {
    const bool unknown = sku == "unknown" || sku.empty();
    out.push_back({"gpu sku " + sku, "inventory", sku == entry->gpu_sku ? kPass : unknown ? kWarn : kFail,
                   "GPU SKU " + sku + ", " + entry->instance_type + " has " + entry->gpu_sku, 0, 0, ""});
  }
}

// Whether the run finished: a machine is qualified only on a whole run.
void CompletenessCheck(const ResultsDoc& doc, std::vector<QualifyCheck>& out) {
  std::size_t measured = 0;
  for (const CaseResult& c : doc.cases) measured += c.Measured();
  const std::string done = std::to_string(doc.cases.size()) + " case(s) finished, " + std::to_string(measured) + " measured";
  if (doc.run.interrupted) {
    out.push_back({"run complete", "run", QualifyStatus::kIncomplete, "the run was interrupted (" + done + "): run it again to qualify", 0, 0, ""});
  } else if (!doc.run.complete) {
    out.push_back({"run complete", "run", QualifyStatus::kIncomplete,
                   "the results file was cut off while the run was writing it (" + done + "): the process was killed", 0, 0, ""});
  } else if (measured == 0) {
    out.push_back({"run complete", "run", QualifyStatus::kIncomplete, "no case was measured (" + done + ")", 0, 0, ""});
  } else {
    out.push_back({"run complete", "run", QualifyStatus::kPass, "the run finished (" + done + ")", 0, 0, ""});
  }
}

// The cost figures of this one machine, made by the procurement rules (procurement.h), so
// qualify, `gpuqual rank` and the report quote the same numbers.
std::optional<QualifyCost> Cost(const ResultsDoc& doc, const QualifyOptions& o) {
  if (!o.price_per_hour_usd) return std::nullopt;
  ResultsDoc priced = doc;
  std::string& type = priced.run.labels["instance_type"];
  if (!o.instance_type.empty()) type = o.instance_type;
  if (type.empty()) type = !doc.system.cloud.instance_type.empty() ? doc.system.cloud.instance_type : "this machine";
  PriceList prices;
  InstancePrice p;
  p.instance_type = type;
  p.usd_per_hour = *o.price_per_hour_usd;
  prices.prices.push_back(p);
  ProcurementOptions po;
  po.scenario = o.scenario;
  po.cost_metrics = o.cost_metrics;
  const ProcurementReport r = BuildProcurement({priced}, &prices, nullptr, nullptr, po);
  const MachineFigures& m = r.machines.front();
  QualifyCost cost;
  cost.price_per_hour_usd = *o.price_per_hour_usd;
  cost.tflops_per_usd_hour = m.tflops_per_usd_hour.value_or(0);
  cost.usd_per_mtok = m.usd_per_mtok.value_or(0);
  cost.scenario = o.scenario.Describe();
  cost.usd_per_mtok_note = m.usd_per_mtok_note;
  return cost;
}

}  // namespace

QualifyVerdict Qualify(const ResultsDoc& doc, const Baseline* baseline, const InstanceCatalog* catalog,
                       const QualifyOptions& options) {
  QualifyVerdict v;
  v.evaluated_at = UtcTimestamp();
  v.baseline = baseline != nullptr ? baseline->name : "";
  v.instance_type = !options.instance_type.empty() ? options.instance_type : doc.system.cloud.instance_type;
  CompletenessCheck(doc, v.checks);
  PerformanceChecks(doc, baseline, options, v.checks);
  const QualifyThreshold among = options.default_threshold.value_or(QualifyThreshold{});
  SiblingChecks(doc, among, v.checks);
  StragglerChecks(doc, among, v.checks);
  HealthChecks(doc, v.checks);
  const InstanceEntry* entry = catalog != nullptr && !v.instance_type.empty() ? catalog->Find(v.instance_type) : nullptr;
  InventoryChecks(doc, entry, v.instance_type, v.checks);
  v.cost = Cost(doc, options);
  v.overall = kPass;
  for (const QualifyCheck& c : v.checks) v.overall = std::max(v.overall, c.status);
  return v;
}

ResultsDoc CombineRuns(std::vector<ResultsDoc> runs) {
  ResultsDoc doc = std::move(runs.front());
  for (std::size_t i = 1; i < runs.size(); ++i) {
    for (CaseResult& c : runs[i].cases) doc.cases.push_back(std::move(c));
    doc.run.interrupted = doc.run.interrupted || runs[i].run.interrupted;
    doc.run.complete = doc.run.complete && runs[i].run.complete;
    if (!doc.health.before) doc.health.before = runs[i].health.before;
    if (runs[i].health.after) doc.health.after = runs[i].health.after;
  }
  return doc;
}

}  // namespace gq
