#include "harness/measure/telemetry_summary.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "harness/stats.h"
#include "harness/system/gpu_monitor.h"

namespace gq {
namespace {

// Per tick where at least one GPU was read: the group's reading (rules in the header) and
// whether every GPU was read.
std::vector<std::pair<TelemetrySample, bool>> GroupSeries(const std::vector<TelemetryTick>& ticks) {
  std::vector<std::pair<TelemetrySample, bool>> out;
  for (const TelemetryTick& tick : ticks) {
    TelemetrySample g;
    bool any = false, all = true;
    for (const auto& r : tick.readings) {
      if (!r) {
        all = false;
        continue;
      }
      const TelemetrySample& s = r->first;
      g.t_s = any ? std::min(g.t_s, s.t_s) : s.t_s;
      g.sm_mhz = any ? std::min(g.sm_mhz, s.sm_mhz) : s.sm_mhz;
      g.memory_mhz = any ? std::min(g.memory_mhz, s.memory_mhz) : s.memory_mhz;
      g.power_w += s.power_w;
      g.temperature_c = std::max(g.temperature_c, s.temperature_c);
      any = true;
    }
    if (any) out.emplace_back(g, all);
  }
  return out;
}

}  // namespace

TelemetrySummary SummariseTelemetry(
    const std::vector<std::pair<TelemetrySample, uint64_t>>& readings, double period_s,
    double elapsed_s, std::optional<uint64_t> energy_begin_mj,
    std::optional<uint64_t> energy_end_mj) {
  if (readings.empty()) throw std::invalid_argument("SummariseTelemetry: no readings");
  TelemetrySummary t;
  t.available = true;
  t.samples = static_cast<int>(readings.size());
  t.period_s = period_s;
  std::vector<double> sm, mem, power;
  std::vector<TelemetrySample> series;
  uint64_t mask = 0;
  for (const auto& [s, bits] : readings) {
    sm.push_back(s.sm_mhz);
    mem.push_back(s.memory_mhz);
    power.push_back(s.power_w);
    t.temperature_c_max = std::max(t.temperature_c_max, s.temperature_c);
    t.power_w_max = std::max(t.power_w_max, s.power_w);
    series.push_back(s);
    mask |= bits;
  }
  t.sm_mhz_min = *std::min_element(sm.begin(), sm.end());
  t.sm_mhz_median = Median(sm);
  t.memory_mhz_median = Median(mem);
  t.power_w_mean = Mean(power);
  if (energy_begin_mj && energy_end_mj && *energy_end_mj > *energy_begin_mj) {
    t.energy_j = static_cast<double>(*energy_end_mj - *energy_begin_mj) / 1000.0;  // mJ -> J
  } else {
    t.energy_j = t.power_w_mean * elapsed_s;
  }
  t.throttle_reasons = ThrottleReasonNames(mask & ~nvml::kReasonGpuIdle);
  t.series = ThinSeries(series, kMaxTelemetrySeries);
  return t;
}

TelemetrySummary SummariseGroupTelemetry(const std::vector<int>& indices,
                                         const std::vector<TelemetryTick>& ticks,
                                         const std::vector<GpuEnergyReads>& energy, double period_s,
                                         double elapsed_s) {
  std::vector<GpuTelemetry> gpus;
  std::vector<double> sm, mem;
  uint64_t mask = 0;  // every reading's throttle bits, all GPUs
  for (std::size_t g = 0; g < indices.size(); ++g) {
    std::vector<std::pair<TelemetrySample, uint64_t>> own;
    for (const TelemetryTick& tick : ticks) {
      if (g < tick.readings.size() && tick.readings[g]) own.push_back(*tick.readings[g]);
    }
    if (own.empty()) continue;
    for (const auto& [s, bits] : own) {
      sm.push_back(s.sm_mhz);
      mem.push_back(s.memory_mhz);
      mask |= bits;
    }
    const GpuEnergyReads e = g < energy.size() ? energy[g] : GpuEnergyReads{};
    GpuTelemetry one;
    static_cast<TelemetryFigures&>(one) = SummariseTelemetry(own, period_s, elapsed_s, e.begin_mj, e.end_mj);
    one.index = indices[g];
    gpus.push_back(std::move(one));
  }
  TelemetrySummary t;
  t.period_s = period_s;
  if (gpus.empty()) {
    std::string names;
    for (int i : indices) names += (names.empty() ? "cuda:" : ", cuda:") + std::to_string(i);
    t.reason = "no telemetry readings from " + names;
    return t;
  }
  if (indices.size() == 1) {
    static_cast<TelemetryFigures&>(t) = gpus.front();
    t.available = true;
    return t;
  }
  t.available = true;
  t.sm_mhz_min = gpus.front().sm_mhz_min;
  double sum_of_maxima = 0;
  for (const GpuTelemetry& g : gpus) {
    t.samples += g.samples;
    t.sm_mhz_min = std::min(t.sm_mhz_min, g.sm_mhz_min);
    t.temperature_c_max = std::max(t.temperature_c_max, g.temperature_c_max);
    t.power_w_mean += g.power_w_mean;
    t.energy_j += g.energy_j;
    sum_of_maxima += g.power_w_max;
  }
  t.sm_mhz_median = Median(sm);
  t.memory_mhz_median = Median(mem);
  t.throttle_reasons = ThrottleReasonNames(mask & ~nvml::kReasonGpuIdle);
  std::vector<TelemetrySample> series;
  bool complete_tick = false;
  for (const auto& [s, all] : GroupSeries(ticks)) {
    series.push_back(s);
    if (all) {
      t.power_w_max = complete_tick ? std::max(t.power_w_max, s.power_w) : s.power_w;
      complete_tick = true;
    }
  }
  if (!complete_tick) t.power_w_max = sum_of_maxima;
  t.series = ThinSeries(series, kMaxTelemetrySeries);
  t.gpus = std::move(gpus);
  return t;
}

std::vector<TelemetrySample> ThinSeries(const std::vector<TelemetrySample>& series,
                                        std::size_t max_points) {
  if (series.size() <= max_points) return series;
  if (max_points == 0) return {};
  if (max_points == 1) return {series.front()};
  std::vector<TelemetrySample> out;
  out.reserve(max_points);
  const std::size_t last = series.size() - 1;
  for (std::size_t i = 0; i < max_points; ++i) {
    // Index round(i * last / (max_points - 1)): strictly increasing since last >= max_points.
    out.push_back(series[(i * last + (max_points - 1) / 2) / (max_points - 1)]);
  }
  return out;
}

}  // namespace gq
