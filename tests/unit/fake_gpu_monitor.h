#pragma once
// Test double for GpuMonitor: hands out scripted readings (each once, in order, then none), a
// scripted energy counter (in order, the last repeating) and canned health records. Readings and
// energy can be scripted for any GPU (SetReadings, SetEnergy) or per CUDA ordinal (the *For
// variants, which take precedence for that ordinal). Thread-safe: the telemetry sampler reads it
// from its own thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/system/gpu_monitor.h"

namespace gq::testing {

struct ScriptedReading {
  TelemetrySample sample;
  uint64_t throttle_mask = 0;
};

inline ScriptedReading Reading(double sm_mhz, double memory_mhz, double power_w,
                               double temperature_c, uint64_t mask = 0) {
  return {TelemetrySample{0, sm_mhz, memory_mhz, power_w, temperature_c}, mask};
}

class FakeGpuMonitor : public GpuMonitor {
 public:
  FakeGpuMonitor() = default;
  explicit FakeGpuMonitor(std::string unavailable_reason)
      : available_(false), reason_(std::move(unavailable_reason)) {}

  void SetReadings(std::vector<ScriptedReading> readings) {
    std::lock_guard<std::mutex> lock(mu_);
    readings_.assign(readings.begin(), readings.end());
  }
  void SetEnergy(std::deque<std::optional<uint64_t>> energy_mj) {
    std::lock_guard<std::mutex> lock(mu_);
    energy_ = std::move(energy_mj);
  }
  void SetReadingsFor(int cuda_index, std::vector<ScriptedReading> readings) {
    std::lock_guard<std::mutex> lock(mu_);
    readings_for_[cuda_index].assign(readings.begin(), readings.end());
  }
  void SetEnergyFor(int cuda_index, std::deque<std::optional<uint64_t>> energy_mj) {
    std::lock_guard<std::mutex> lock(mu_);
    energy_for_[cuda_index] = std::move(energy_mj);
  }
  void SetHealth(int cuda_index, DeviceHealth h) {
    std::lock_guard<std::mutex> lock(mu_);
    health_[cuda_index] = std::move(h);
  }

  // Blocks until `n` scripted readings have been handed out (false after `timeout`).
  bool WaitServed(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock(mu_);
    return served_cv_.wait_for(lock, timeout, [&] { return served_ >= n; });
  }
  int read_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return read_calls_;
  }
  std::vector<int> indices_seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return indices_seen_;
  }

  bool available() const override { return available_; }
  std::string reason() const override { return reason_; }

  std::optional<TelemetrySample> Read(int cuda_index) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++read_calls_;
    indices_seen_.push_back(cuda_index);
    auto own = readings_for_.find(cuda_index);
    std::deque<ScriptedReading>& queue = own != readings_for_.end() ? own->second : readings_;
    if (queue.empty()) return std::nullopt;
    ScriptedReading r = queue.front();
    queue.pop_front();
    last_mask_[cuda_index] = r.throttle_mask;
    ++served_;
    served_cv_.notify_all();
    return r.sample;
  }
  std::optional<uint64_t> EnergyMillijoules(int cuda_index) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto own = energy_for_.find(cuda_index);
    std::deque<std::optional<uint64_t>>& queue = own != energy_for_.end() ? own->second : energy_;
    if (queue.empty()) return std::nullopt;
    std::optional<uint64_t> e = queue.front();
    if (queue.size() > 1) queue.pop_front();
    return e;
  }
  uint64_t ThrottleMask(int cuda_index) override {
    std::lock_guard<std::mutex> lock(mu_);
    return last_mask_[cuda_index];  // the mask scripted with the reading just served
  }
  DeviceHealth Health(int cuda_index) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = health_.find(cuda_index);
    if (it != health_.end()) return it->second;
    DeviceHealth h;
    h.index = cuda_index;
    h.reason = available_ ? "no scripted health" : reason_;
    return h;
  }

 private:
  bool available_ = true;
  std::string reason_;
  mutable std::mutex mu_;
  std::condition_variable served_cv_;
  std::deque<ScriptedReading> readings_;
  std::deque<std::optional<uint64_t>> energy_;
  std::map<int, std::deque<ScriptedReading>> readings_for_;
  std::map<int, std::deque<std::optional<uint64_t>>> energy_for_;
  std::map<int, DeviceHealth> health_;
  std::map<int, uint64_t> last_mask_;
  std::size_t served_ = 0;
  int read_calls_ = 0;
  std::vector<int> indices_seen_;
};

}  // namespace gq::testing
