#include "harness/results.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "harness/stats.h"

namespace gq {

const char* CaseStatusName(CaseStatus status) {
  switch (status) {
    case CaseStatus::kOk: return "ok";
    case CaseStatus::kFailed: return "failed";
    case CaseStatus::kSkipped: return "skipped";
    case CaseStatus::kInvalid: return "invalid";
    case CaseStatus::kNoisy: return "noisy";
  }
  return "failed";
}

CaseStatus ParseCaseStatus(const std::string& name) {
  for (CaseStatus s : {CaseStatus::kOk, CaseStatus::kFailed, CaseStatus::kSkipped,
                       CaseStatus::kInvalid, CaseStatus::kNoisy}) {
    if (name == CaseStatusName(s)) return s;
  }
  throw std::invalid_argument("unknown case status '" + name + "'");
}

const char* QualifyStatusName(QualifyStatus status) {
  switch (status) {
    case QualifyStatus::kPass: return "PASS";
    case QualifyStatus::kWarn: return "WARN";
    case QualifyStatus::kIncomplete: return "INCOMPLETE";
    case QualifyStatus::kFail: return "FAIL";
  }
  return "FAIL";
}

QualifyStatus ParseQualifyStatus(const std::string& name) {
  for (QualifyStatus s : {QualifyStatus::kPass, QualifyStatus::kWarn, QualifyStatus::kIncomplete, QualifyStatus::kFail}) {
    if (name == QualifyStatusName(s)) return s;
  }
  throw std::invalid_argument("unknown qualify status '" + name + "'");
}

const MetricResult* CaseResult::FindMetric(const std::string& name) const {
  for (const auto& [n, m] : metrics) {
    if (n == name) return &m;
  }
  return nullptr;
}

std::vector<double> CaseResult::PerIterationSeconds() const {
  const double ips = iterations_per_sample > 0 ? static_cast<double>(iterations_per_sample) : 1.0;
  std::vector<double> out;
  out.reserve(samples_s.size());
  for (double s : samples_s) out.push_back(s / ips);
  return out;
}

std::vector<double> CaseResult::ReplicateMediansS() const {
  if (!round_medians_s.empty()) return round_medians_s;
  if (samples_s.empty()) return {};
  return {Median(PerIterationSeconds())};
}

CaseDevice ParseCaseDevice(const std::string& label) {
  CaseDevice d;
  if (label == "cpu") {
    d.valid = true;
    return d;
  }
  int a = 0, b = 0;
  char c1 = 0, c2 = 0;
  char kind[8] = {0};
  if (std::sscanf(label.c_str(), "cuda:%d%c%d%c", &a, &c1, &b, &c2) == 3 && c1 == '-' && a >= 0 && b >= a) {
    d = {true, true, 1, a, b};
  } else if (std::sscanf(label.c_str(), "cuda:%d%c", &a, &c1) == 1 && a >= 0) {
    d = {true, true, 1, a, a};
  } else if (std::sscanf(label.c_str(), "%dx%7[a-z]%c", &a, kind, &c1) == 2 && a > 0 &&
             (std::string(kind) == "cuda" || std::string(kind) == "cpu") &&
             label == std::to_string(a) + "x" + kind) {
    d = {true, std::string(kind) == "cuda", a, -1, -1};
  }
  return d;
}

std::string CaseSku(const ResultsDoc& doc, const CaseResult& c) {
  const CaseDevice d = ParseCaseDevice(c.device);
  if (!d.valid) return "unknown";
  if (!d.cuda) return "cpu";
  if (d.ranks > 1) {
    const std::vector<std::string>& skus = doc.system.world.skus;
    return skus.size() == 1 && !skus.front().empty() ? skus.front() : "unknown";
  }
  std::string sku;
  for (int i = d.first; i <= d.last; ++i) {
    const auto g = std::find_if(doc.system.devices.begin(), doc.system.devices.end(),
                                [&](const GpuInfo& d) { return d.index == i; });
    if (g == doc.system.devices.end() || g->sku.empty() || (!sku.empty() && g->sku != sku)) return "unknown";
    sku = g->sku;
  }
  return sku;
}

std::string InstanceTypeOf(const ResultsDoc& run) {
  const auto it = run.run.labels.find("instance_type");
  return it != run.run.labels.end() && !it->second.empty() ? it->second : run.system.cloud.instance_type;
}

std::string MachineTypeOf(const ResultsDoc& run) {
  const auto it = run.run.labels.find("machine");
  return it != run.run.labels.end() && !it->second.empty() ? it->second : InstanceTypeOf(run);
}

}  // namespace gq
