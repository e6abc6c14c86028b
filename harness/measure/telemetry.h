#pragma once
// Per-case GPU telemetry (DESIGN.md §5): a background thread reads a GpuMonitor every period, for
// every GPU the case drives, while the case's timed samples run, and the readings are summarised
// (harness/measure/telemetry_summary.h) into a TelemetrySummary so that a throttled or power-capped run
// can be explained, on any GPU of a group. Energy joins the case's metrics as
// joules_per_tflop / joules_per_token.
//
// Readings: one tick at Begin (on the caller's thread), one per period on the sampler thread, one
// at End (caller's thread), so even a window shorter than a period has two; each tick reads every
// GPU of the window. A reading the monitor cannot give is skipped. The energy counter of each GPU
// is read at Begin and End.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "harness/device.h"
#include "harness/measure/telemetry_summary.h"
#include "harness/results.h"
#include "harness/system/gpu_monitor.h"
#include "harness/work.h"

namespace gq {

class TelemetrySampler {
 public:
  // `period_s` must be > 0 (std::invalid_argument otherwise). The monitor must outlive the sampler.
  explicit TelemetrySampler(GpuMonitor& monitor, double period_s = 0.05);
  ~TelemetrySampler();  // stops a running thread
  TelemetrySampler(const TelemetrySampler&) = delete;
  TelemetrySampler& operator=(const TelemetrySampler&) = delete;

  // Starts a window on the GPUs `cuda_indices` (at least one; std::invalid_argument otherwise).
  // std::logic_error when a window is already open.
  void Begin(const std::vector<int>& cuda_indices);
  void Begin(int cuda_index) { Begin(std::vector<int>{cuda_index}); }
  // Closes the window (stops and joins the thread) and summarises it. With an unavailable monitor,
  // or no reading at all, the summary has available = false and the reason.
  // std::logic_error when no window is open.
  TelemetrySummary End();
  bool running() const { return running_; }
  double period_s() const { return period_s_; }

 private:
  using Clock = std::chrono::steady_clock;

  void TakeTick();  // appends one tick (readings of every GPU that gives one) under mutex_
  std::optional<uint64_t> ReadEnergy(int cuda_index);  // nullopt if unsupported or it throws
  void Loop();                                         // the sampler thread

  GpuMonitor& monitor_;
  const double period_s_;
  bool running_ = false;  // touched by the caller's thread only
  std::vector<int> indices_;
  Clock::time_point begin_;
  std::vector<GpuEnergyReads> energy_;

  std::mutex mutex_;  // guards stop_ and ticks_
  std::condition_variable wake_;
  bool stop_ = false;
  std::vector<TelemetryTick> ticks_;
  std::thread thread_;
};

// One case's telemetry window for the runner: Begins when `sampler` is non-null and `device` is a
// CUDA device (every GPU of a group); End() returns the summary (nullopt when not sampling). A window still open at
// destruction (the case threw or was abandoned) is closed and its summary dropped.
class TelemetryScope {
 public:
  TelemetryScope(TelemetrySampler* sampler, const DeviceRef& device);
  ~TelemetryScope();
  TelemetryScope(const TelemetryScope&) = delete;
  TelemetryScope& operator=(const TelemetryScope&) = delete;
  std::optional<TelemetrySummary> End();

 private:
  TelemetrySampler* sampler_ = nullptr;  // null once ended or when not sampling
};

// Energy metrics over the sampled iterations, appended to `metrics` when telemetry is available and
// energy_j > 0 (n = 1; every statistic equals the value; lower is better):
//   joules_per_tflop = energy_j / (work.flops * iterations / 1e12)   when work.flops > 0
//   joules_per_token = energy_j / (work.tokens * iterations)         when work.tokens > 0
// work.tokens counts output tokens only (e2e: batch x output_len, not the prompt tokens of
// work.prefill_tokens), so joules_per_token is energy per generated token, prefill included.
// `iterations` is the number of timed iterations the energy covers (samples x iterations/sample).
// The runner calls it in one process only: under MPI rank 0 samples its own GPU alone, whose
// energy is not the energy of every rank's work.
void AppendEnergyMetrics(const TelemetrySummary& telemetry, const Work& work, int64_t iterations,
                         std::vector<std::pair<std::string, MetricResult>>& metrics);

}  // namespace gq
