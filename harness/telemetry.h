#pragma once
// Per-case GPU telemetry (DESIGN.md §5): a background thread reads a GpuMonitor every period while
// the case's timed samples run, and the readings are summarised into a TelemetrySummary so that a
// throttled or power-capped run can be explained. Energy joins the case's metrics as
// joules_per_tflop / joules_per_token.
//
// Readings: one at Begin (on the caller's thread), one per period on the sampler thread, one at End
// (caller's thread), so even a window shorter than a period has two. A reading the monitor cannot
// give is skipped. The energy counter is read at Begin and End.
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
#include "harness/gpu_monitor.h"
#include "harness/results.h"
#include "harness/work.h"

namespace gq {

// Most readings kept in TelemetrySummary::series; longer windows are thinned evenly.
inline constexpr std::size_t kMaxTelemetrySeries = 64;

class TelemetrySampler {
 public:
  // `period_s` must be > 0 (std::invalid_argument otherwise). The monitor must outlive the sampler.
  explicit TelemetrySampler(GpuMonitor& monitor, double period_s = 0.05);
  ~TelemetrySampler();  // stops a running thread
  TelemetrySampler(const TelemetrySampler&) = delete;
  TelemetrySampler& operator=(const TelemetrySampler&) = delete;

  // Starts a window on GPU `cuda_index`. std::logic_error when a window is already open.
  void Begin(int cuda_index);
  // Closes the window (stops and joins the thread) and summarises it. With an unavailable monitor,
  // or no reading at all, the summary has available = false and the reason.
  // std::logic_error when no window is open.
  TelemetrySummary End();
  bool running() const { return running_; }
  double period_s() const { return period_s_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Reading {
    TelemetrySample sample;  // t_s relative to Begin
    uint64_t throttle_mask = 0;
  };

  void TakeReading();  // appends one reading (if the monitor gives one) under mutex_
  std::optional<uint64_t> ReadEnergy();  // the energy counter; nullopt if unsupported or it throws
  void Loop();                           // the sampler thread

  GpuMonitor& monitor_;
  const double period_s_;
  bool running_ = false;  // touched by the caller's thread only
  int cuda_index_ = 0;
  Clock::time_point begin_;
  std::optional<uint64_t> energy_begin_mj_;

  std::mutex mutex_;  // guards stop_ and readings_
  std::condition_variable wake_;
  bool stop_ = false;
  std::vector<Reading> readings_;
  std::thread thread_;
};

// Summary of readings taken over `elapsed_s` seconds (a pure function; TelemetrySampler::End uses
// it). energy_j = (energy_end - energy_begin) / 1000 when both counter reads exist and the counter
// advanced; otherwise mean power x elapsed_s (the counter is absent before Volta, may not have
// ticked within a short window, and restarts when the driver reloads). throttle_reasons is the
// union of the readings' reason bits, without "gpu_idle": the device can report idle in the gaps
// between kernel launches (and at the Begin/End readings, right before and after the work), which
// says nothing about clocks being held down while the case runs. `readings` must not be empty.
TelemetrySummary SummariseTelemetry(
    const std::vector<std::pair<TelemetrySample, uint64_t>>& readings, double period_s,
    double elapsed_s, std::optional<uint64_t> energy_begin_mj,
    std::optional<uint64_t> energy_end_mj);

// At most `max_points` elements of `series`, evenly spaced by index, first and last included.
std::vector<TelemetrySample> ThinSeries(const std::vector<TelemetrySample>& series,
                                        std::size_t max_points);

// One case's telemetry window for the runner: Begins when `sampler` is non-null and `device` is a
// CUDA device; End() returns the summary (nullopt when not sampling). A window still open at
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
void AppendEnergyMetrics(const TelemetrySummary& telemetry, const Work& work, int64_t iterations,
                         std::vector<std::pair<std::string, MetricResult>>& metrics);

}  // namespace gq
