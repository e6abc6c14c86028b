#include "harness/measure/telemetry.h"

#include <algorithm>
#include <stdexcept>


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

void TelemetrySampler::Begin(const std::vector<int>& cuda_indices) {
  if (running_) throw std::logic_error("TelemetrySampler::Begin while a window is open");
  if (cuda_indices.empty()) throw std::invalid_argument("TelemetrySampler::Begin: no GPU");
  running_ = true;
  indices_ = cuda_indices;
  ticks_.clear();
  stop_ = false;
  energy_.assign(indices_.size(), GpuEnergyReads{});
  begin_ = Clock::now();
  if (!monitor_.available()) return;
  for (std::size_t g = 0; g < indices_.size(); ++g) energy_[g].begin_mj = ReadEnergy(indices_[g]);
  TakeTick();
  thread_ = std::thread(&TelemetrySampler::Loop, this);
}

TelemetrySummary TelemetrySampler::End() {
  if (!running_) throw std::logic_error("TelemetrySampler::End without Begin");
  running_ = false;
  if (!monitor_.available()) {
    TelemetrySummary summary;
    summary.reason = monitor_.reason();
    return summary;
  }
  for (std::size_t g = 0; g < indices_.size(); ++g) energy_[g].end_mj = ReadEnergy(indices_[g]);
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - begin_).count();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  TakeTick();
  return SummariseGroupTelemetry(indices_, ticks_, energy_, period_s_, elapsed_s);
}

std::optional<uint64_t> TelemetrySampler::ReadEnergy(int cuda_index) {
  try {
    return monitor_.EnergyMillijoules(cuda_index);
  } catch (const std::exception&) {
    return std::nullopt;  // treated like an unsupported counter
  }
}

void TelemetrySampler::TakeTick() {
  TelemetryTick tick;
  tick.readings.resize(indices_.size());
  bool any = false;
  for (std::size_t g = 0; g < indices_.size(); ++g) {
    try {
      std::optional<TelemetrySample> s = monitor_.Read(indices_[g]);
      if (!s) continue;
      const uint64_t mask = monitor_.ThrottleMask(indices_[g]);
      s->t_s = std::chrono::duration<double>(Clock::now() - begin_).count();
      tick.readings[g] = std::make_pair(*s, mask);
      any = true;
    } catch (const std::exception&) {
      // A monitor that throws loses this reading; the sampler thread must not die with it.
    }
  }
  if (!any) return;
  std::lock_guard<std::mutex> lock(mutex_);
  ticks_.push_back(std::move(tick));
}

// Ticks land on the grid begin + k * period; a tick slower than a period skips the missed slots
// rather than bunching up.
void TelemetrySampler::Loop() {
  const auto period = std::max(
      Clock::duration(1),  // at least one tick, so the catch-up loop below always advances
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period_s_)));
  auto next = begin_ + period;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_until(lock, next, [this] { return stop_; })) {
    lock.unlock();
    TakeTick();
    const auto now = Clock::now();
    while (next <= now) next += period;
    lock.lock();
  }
}

TelemetryScope::TelemetryScope(TelemetrySampler* sampler, const DeviceRef& device) {
  if (sampler == nullptr || !device.IsCuda()) return;
  std::vector<int> gpus;
  for (int i = 0; i < device.count; ++i) gpus.push_back(device.index + i);
  sampler->Begin(gpus);
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
