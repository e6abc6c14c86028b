#include "harness/telemetry.h"

#include <algorithm>
#include <stdexcept>

#include "harness/stats.h"

namespace gq {
namespace {

MetricResult SingleValueMetric(double value, const std::string& unit) {
  MetricResult m;
  m.unit = unit;
  m.higher_is_better = false;
  m.median = m.mean = m.min = m.max = m.p10 = m.p90 = value;
  m.ci95_low = m.ci95_high = value;
  m.n = 1;
  return m;
}

}  // namespace

TelemetrySampler::TelemetrySampler(GpuMonitor& monitor, double period_s)
    : monitor_(monitor), period_s_(period_s) {
  if (!(period_s > 0)) throw std::invalid_argument("telemetry period must be > 0 seconds");
}

TelemetrySampler::~TelemetrySampler() {
  if (!running_) return;
  try {
    End();
  } catch (...) {
    // Destructors must not throw; End() has stopped the thread before anything that can throw.
  }
}

void TelemetrySampler::Begin(int cuda_index) {
  if (running_) throw std::logic_error("TelemetrySampler::Begin while a window is open");
  running_ = true;
  cuda_index_ = cuda_index;
  readings_.clear();
  stop_ = false;
  energy_begin_mj_.reset();
  begin_ = Clock::now();
  if (!monitor_.available()) return;
  energy_begin_mj_ = ReadEnergy();
  TakeReading();
  thread_ = std::thread(&TelemetrySampler::Loop, this);
}

TelemetrySummary TelemetrySampler::End() {
  if (!running_) throw std::logic_error("TelemetrySampler::End without Begin");
  running_ = false;
  TelemetrySummary summary;
  if (!monitor_.available()) {
    summary.reason = monitor_.reason();
    return summary;
  }
  const std::optional<uint64_t> energy_end_mj = ReadEnergy();
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - begin_).count();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  TakeReading();

  if (readings_.empty()) {
    summary.reason = "no telemetry readings from cuda:" + std::to_string(cuda_index_);
    return summary;
  }
  std::vector<std::pair<TelemetrySample, uint64_t>> readings;
  readings.reserve(readings_.size());
  for (const Reading& r : readings_) readings.emplace_back(r.sample, r.throttle_mask);
  return SummariseTelemetry(readings, period_s_, elapsed_s, energy_begin_mj_, energy_end_mj);
}

std::optional<uint64_t> TelemetrySampler::ReadEnergy() {
  try {
    return monitor_.EnergyMillijoules(cuda_index_);
  } catch (const std::exception&) {
    return std::nullopt;  // treated like an unsupported counter
  }
}

void TelemetrySampler::TakeReading() {
  Reading r;
  try {
    std::optional<TelemetrySample> s = monitor_.Read(cuda_index_);
    if (!s) return;
    r.sample = *s;
    r.throttle_mask = monitor_.ThrottleMask(cuda_index_);
  } catch (const std::exception&) {
    return;  // a monitor that throws loses this reading; the sampler thread must not die with it
  }
  r.sample.t_s = std::chrono::duration<double>(Clock::now() - begin_).count();
  std::lock_guard<std::mutex> lock(mutex_);
  readings_.push_back(r);
}

// Readings land on the grid begin + k * period; a reading slower than a period skips the missed
// slots rather than bunching up.
void TelemetrySampler::Loop() {
  const auto period = std::max(
      Clock::duration(1),  // at least one tick, so the catch-up loop below always advances
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period_s_)));
  auto next = begin_ + period;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_until(lock, next, [this] { return stop_; })) {
    lock.unlock();
    TakeReading();
    const auto now = Clock::now();
    while (next <= now) next += period;
    lock.lock();
  }
}

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

TelemetryScope::TelemetryScope(TelemetrySampler* sampler, const DeviceRef& device) {
  if (sampler == nullptr || !device.IsCuda()) return;
  sampler->Begin(device.index);
  sampler_ = sampler;
}

TelemetryScope::~TelemetryScope() {
  if (sampler_ == nullptr) return;
  try {
    sampler_->End();
  } catch (...) {
    // Dropped: the case is already failing or abandoned.
  }
}

std::optional<TelemetrySummary> TelemetryScope::End() {
  if (sampler_ == nullptr) return std::nullopt;
  TelemetrySampler* s = sampler_;
  sampler_ = nullptr;
  return s->End();
}

void AppendEnergyMetrics(const TelemetrySummary& telemetry, const Work& work, int64_t iterations,
                         std::vector<std::pair<std::string, MetricResult>>& metrics) {
  if (!telemetry.available || !(telemetry.energy_j > 0) || iterations <= 0) return;
  const double n = static_cast<double>(iterations);
  if (work.flops > 0) {
    metrics.emplace_back(
        "joules_per_tflop",
        SingleValueMetric(telemetry.energy_j / (work.flops * n / 1e12), "J/TFLOP"));
  }
  if (work.tokens > 0) {
    metrics.emplace_back("joules_per_token",
                         SingleValueMetric(telemetry.energy_j / (work.tokens * n), "J/token"));
  }
}

}  // namespace gq
