#include "harness/results.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <utility>

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

namespace {

// "cuda:I" or "cuda:I-J" -> [I, J]; nullopt for any other label.
std::optional<std::pair<int, int>> CudaIndexRange(const std::string& device) {
  int first = 0, last = 0;
  char dash = 0;
  char tail = 0;
  if (std::sscanf(device.c_str(), "cuda:%d%c%d%c", &first, &dash, &last, &tail) == 3 && dash == '-' &&
      first >= 0 && last >= first) {
    return std::make_pair(first, last);
  }
  if (std::sscanf(device.c_str(), "cuda:%d%c", &first, &tail) == 1 && first >= 0) {
    return std::make_pair(first, first);
  }
  return std::nullopt;
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::string CaseSku(const ResultsDoc& doc, const CaseResult& c) {
  if (c.device == "cpu" || EndsWith(c.device, "xcpu")) return "cpu";
  if (EndsWith(c.device, "xcuda")) {
    const std::vector<std::string>& skus = doc.system.world.skus;
    return skus.size() == 1 && !skus.front().empty() ? skus.front() : "unknown";
  }
  const auto range = CudaIndexRange(c.device);
  if (!range) return "unknown";
  std::string sku;
  for (int i = range->first; i <= range->second; ++i) {
    const auto g = std::find_if(doc.system.devices.begin(), doc.system.devices.end(),
                                [&](const GpuInfo& d) { return d.index == i; });
    if (g == doc.system.devices.end() || g->sku.empty() || (!sku.empty() && g->sku != sku)) return "unknown";
    sku = g->sku;
  }
  return sku;
}

}  // namespace gq
