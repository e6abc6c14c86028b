#include "harness/decide/qualify.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "harness/clock.h"
#include "harness/decide/qualify_health.h"
#include "harness/decide/two_sample.h"

namespace gq {
namespace {

std::string Fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

QualifyThreshold ThresholdFor(const std::string& workload, const Baseline& b, const QualifyOptions& o) {
  auto it = o.thresholds.find(workload);
  if (it != o.thresholds.end()) return it->second;
  if (b.workload_thresholds.count(workload)) return b.ThresholdFor(workload);
  return o.default_threshold ? *o.default_threshold : b.default_threshold;
}

void PerformanceChecks(const ResultsDoc& doc, const Baseline* baseline, const QualifyOptions& o,
                       std::vector<QualifyCheck>& out) {
  int judged = 0;
  for (const CaseResult& c : doc.cases) {
    const std::string name = c.id + " [" + c.device + "]";
    if (c.status == CaseStatus::kFailed || c.status == CaseStatus::kInvalid) {
      out.push_back({name, "performance", "FAIL", std::string(CaseStatusName(c.status)) + ": " + c.reason, 0, 0, ""});
      continue;
    }
    if (c.status == CaseStatus::kSkipped) {
      out.push_back({name, "performance", "WARN", "skipped: " + c.reason, 0, 0, ""});
      continue;
    }
    if (auto it = c.details.find("single_rank"); it != c.details.end() && it->second == "true") continue;  // busbw undefined
    const BaselineCase* base = baseline != nullptr ? baseline->Find(c.id) : nullptr;
    const MetricResult* m = c.FindMetric(c.primary_metric);
    const MetricResult* bm = base != nullptr ? base->FindMetric(c.primary_metric) : nullptr;
    if (m == nullptr || bm == nullptr || bm->median <= 0 || m->median <= 0) continue;
    ++judged;
    const QualifyThreshold t = ThresholdFor(c.workload, *baseline, o);
    const double ratio = m->median / bm->median;
    const double fraction = bm->higher_is_better ? ratio : 1.0 / ratio;
    // The FAIL threshold expressed in the metric itself.
    const double threshold = bm->higher_is_better ? bm->median * t.fail_below : bm->median / t.fail_below;
    QualifyCheck check{name, "performance", "PASS", "", m->median, threshold, m->unit};
    check.reason = Fmt("%.1f%% of baseline %.4g", 100 * fraction, bm->median) + " " + m->unit;
    if (fraction < t.fail_below) {
      check.status = "FAIL";
      check.reason += Fmt(" (below %.0f%%)", 100 * t.fail_below);
    } else if (fraction < t.warn_below) {
      check.status = "WARN";
      check.reason += Fmt(" (below %.0f%%)", 100 * t.warn_below);
    }
    if (c.status == CaseStatus::kNoisy) {
      if (check.status == "PASS") check.status = "WARN";
      check.reason += "; noisy: " + c.reason;
    }
    out.push_back(check);
  }
  if (baseline == nullptr) {
    out.push_back({"baseline", "performance", "WARN", "no baseline for this SKU: performance not judged", 0, 0, ""});
  } else if (judged == 0) {
    out.push_back({"baseline", "performance", "WARN",
                   "no case of this run is in baseline '" + baseline->name + "': performance not judged", 0, 0, ""});
  }
}

void InventoryChecks(const ResultsDoc& doc, const InstanceEntry* entry, const std::string& instance_type,
                     std::vector<QualifyCheck>& out) {
  for (const GpuInfo& g : doc.system.devices) {
    if (g.sku == "unknown" || g.sku.empty()) {
      out.push_back({"cuda:" + std::to_string(g.index) + " sku", "inventory", "WARN",
                     "unknown SKU '" + g.name + "': no datasheet peaks, no baseline", 0, 0, ""});
    }
  }
  if (instance_type.empty()) return;
  if (entry == nullptr) {
    out.push_back({"instance", "inventory", "WARN", "instance type '" + instance_type + "' is not in the catalog", 0, 0, ""});
    return;
  }
  const int count = static_cast<int>(doc.system.devices.size());
  out.push_back({"gpu count", "inventory", count == entry->gpu_count ? "PASS" : "FAIL",
                 std::to_string(count) + " GPU(s) visible, " + entry->instance_type + " has " +
                     std::to_string(entry->gpu_count),
                 static_cast<double>(count), static_cast<double>(entry->gpu_count), "GPUs"});
  std::set<std::string> skus;
  for (const GpuInfo& g : doc.system.devices) skus.insert(g.sku);
  for (const std::string& sku : skus) {
    const bool unknown = sku == "unknown" || sku.empty();
    out.push_back({"gpu sku " + sku, "inventory", sku == entry->gpu_sku ? "PASS" : unknown ? "WARN" : "FAIL",
                   "GPU SKU " + sku + ", " + entry->instance_type + " has " + entry->gpu_sku, 0, 0, ""});
  }
}

std::optional<QualifyCost> Cost(const ResultsDoc& doc, const QualifyOptions& o) {
  if (!o.price_per_hour_usd) return std::nullopt;
  QualifyCost cost;
  cost.price_per_hour_usd = *o.price_per_hour_usd;
  const double gpus = std::max<double>(1, doc.system.devices.size());
  std::vector<double> tflops;
  double tok_s = 0;
  std::set<std::string> tok_devices;
  for (const CaseResult& c : doc.cases) {
    if (c.status != CaseStatus::kOk && c.status != CaseStatus::kNoisy) continue;
    if (c.workload == "gemm") {
      if (const MetricResult* m = c.FindMetric("tflops"); m && m->median > 0) tflops.push_back(m->median);
    }
    if (c.workload == "e2e") {
      const MetricResult* m = c.FindMetric("output_tok_s");
      if (m != nullptr && tok_devices.insert(c.device).second) tok_s += m->median;  // first e2e case per device
    }
  }
  if (!tflops.empty()) cost.tflops_per_usd_hour = GeometricMean(tflops) * gpus / cost.price_per_hour_usd;
  if (tok_s > 0) cost.usd_per_mtok = cost.price_per_hour_usd / (tok_s * 3600.0) * 1e6;
  return cost;
}

}  // namespace

QualifyVerdict Qualify(const ResultsDoc& doc, const Baseline* baseline, const InstanceCatalog* catalog,
                       const QualifyOptions& options) {
  QualifyVerdict v;
  v.evaluated_at = UtcTimestamp();
  v.baseline = baseline != nullptr ? baseline->name : "";
  v.instance_type = !options.instance_type.empty() ? options.instance_type : doc.system.cloud.instance_type;
  PerformanceChecks(doc, baseline, options, v.checks);
  HealthChecks(doc, v.checks);
  const InstanceEntry* entry = catalog != nullptr && !v.instance_type.empty() ? catalog->Find(v.instance_type) : nullptr;
  InventoryChecks(doc, entry, v.instance_type, v.checks);
  v.cost = Cost(doc, options);
  v.overall = "PASS";
  for (const QualifyCheck& c : v.checks) {
    if (c.status == "FAIL") v.overall = "FAIL";
    if (c.status == "WARN" && v.overall == "PASS") v.overall = "WARN";
  }
  return v;
}

}  // namespace gq
