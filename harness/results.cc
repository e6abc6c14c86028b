#include "harness/results.h"

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

std::string CaseSku(const ResultsDoc& doc, const CaseResult& c) {
  if (c.device == "cpu") return "cpu";
  for (const GpuInfo& g : doc.system.devices) {
    if (c.device == "cuda:" + std::to_string(g.index)) return g.sku.empty() ? "unknown" : g.sku;
  }
  return "unknown";
}

}  // namespace gq
