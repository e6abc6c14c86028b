#include "harness/measure/case_metrics.h"

#include <cmath>
#include <stdexcept>

#include "harness/stats.h"

namespace gq {
namespace {

std::string Names(const std::map<std::string, double>& phases) {
  std::string out;
  for (const auto& [name, _] : phases) out += (out.empty() ? "" : ", ") + name;
  return "{" + out + "}";
}

std::string Names(const std::map<std::string, std::vector<double>>& phases) {
  std::map<std::string, double> keys;
  for (const auto& [name, _] : phases) keys[name] = 0;
  return Names(keys);
}

bool SameNames(const std::map<std::string, double>& a,
               const std::map<std::string, std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  auto it = b.begin();
  for (const auto& [name, _] : a) {
    if (name != (it++)->first) return false;
  }
  return true;
}

MetricResult ToMetric(const MetricSpec& spec, const std::vector<double>& values) {
  const Summary sum = Summarise(values);
  MetricResult m{spec.unit, spec.higher_is_better};
  m.median = sum.median;
  m.mean = sum.mean;
  m.stddev = sum.stddev;
  m.cv = sum.cv;
  m.p10 = sum.p10;
  m.p90 = sum.p90;
  m.min = sum.min;
  m.max = sum.max;
  m.ci95_low = sum.ci95_low;
  m.ci95_high = sum.ci95_high;
  m.n = static_cast<int64_t>(sum.n);
  return m;
}

}  // namespace

std::string CheckPhaseSeconds(const std::map<std::string, double>& phases) {
  for (const auto& [name, seconds] : phases) {
    if (!std::isfinite(seconds) || seconds <= 0) {
      return "PhaseSeconds: phase '" + name + "' took " + std::to_string(seconds) +
             " s (must be finite and > 0)";
    }
  }
  return "";
}

std::string AppendPhaseSample(CaseResult& r, const std::map<std::string, double>& phases) {
  return AppendPhaseSample(r.phase_samples_s, r.samples_s.size(), phases);
}

std::string AppendPhaseSample(std::map<std::string, std::vector<double>>& phase_samples,
                              std::size_t samples, const std::map<std::string, double>& phases) {
  const bool first = samples <= 1;
  if (!first && !SameNames(phases, phase_samples)) {
    return "PhaseSeconds named the phases " + Names(phases) + " in sample " +
           std::to_string(samples) + " but " + Names(phase_samples) +
           " in sample 1: every sample must name the same phases";
  }
  for (const auto& [name, seconds] : phases) phase_samples[name].push_back(seconds);
  return "";
}

void FillMetrics(CaseResult& r, const std::vector<MetricSpec>& metrics) {
  const double iterations = static_cast<double>(r.iterations_per_sample);
  for (const MetricSpec& spec : metrics) {
    std::vector<double> values;
    if (spec.phase.empty()) {
      values.reserve(r.samples_s.size());
      for (double s : r.samples_s) values.push_back(spec.FromTime(s / iterations, r.work));
    } else {
      auto it = r.phase_samples_s.find(spec.phase);
      if (it == r.phase_samples_s.end() || it->second.empty()) {
        if (&spec == &metrics.front()) {
          throw std::runtime_error("primary metric " + spec.name + " needs the phase '" +
                                   spec.phase + "', which the case did not report");
        }
        continue;
      }
      values.reserve(it->second.size());
      for (double s : it->second) values.push_back(spec.FromTime(s, r.work));
    }
    r.metrics.emplace_back(spec.name, ToMetric(spec, values));
  }
}

}  // namespace gq
