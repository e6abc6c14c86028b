// Host execution context: no stream, steady_clock timers. Work issued by PreparedCase::Run on
// the cpu is synchronous, so a sample's time is the host time between Start and StopSeconds.
#include <chrono>

#include "harness/device.h"

namespace gq {
namespace {

class SteadyTimer : public Timer {
 public:
  void Start() override { start_ = std::chrono::steady_clock::now(); }
  double StopSeconds() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_{};
};

class CpuContext : public DeviceContext {
 public:
  const DeviceRef& device() const override { return device_; }
  void* stream() override { return nullptr; }
  std::unique_ptr<Timer> MakeTimer() override { return MakeSteadyTimer(); }
  void Synchronize() override {}

 private:
  DeviceRef device_{DeviceRef::Kind::kCpu, 0};
};

}  // namespace

std::unique_ptr<Timer> MakeSteadyTimer() { return std::make_unique<SteadyTimer>(); }
std::unique_ptr<DeviceContext> MakeCpuContext() { return std::make_unique<CpuContext>(); }

}  // namespace gq
