#pragma once
// Test doubles for the runner: a workload whose cases take scripted sample times, and a device
// context whose timer returns them in order (time per batch = scripted value x batch size).
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/workload.h"

namespace gq::testing {

// Timer returning per-iteration times from a script (repeating the last), times the number of
// Run calls between Start and StopSeconds.
class ScriptedTimer : public Timer {
 public:
  ScriptedTimer(std::deque<double>* script, int* runs) : script_(script), runs_(runs) {}
  void Start() override { start_runs_ = *runs_; }
  double StopSeconds() override {
    double t = script_->front();
    if (script_->size() > 1) script_->pop_front();
    return t * (*runs_ - start_runs_);
  }

 private:
  std::deque<double>* script_;
  int* runs_;
  int start_runs_ = 0;
};

class FakeContext : public DeviceContext {
 public:
  explicit FakeContext(std::deque<double> script, DeviceRef device = {DeviceRef::Kind::kCpu, 0})
      : script_(std::move(script)), device_(device) {}
  const DeviceRef& device() const override { return device_; }
  void* stream() override { return &runs_; }  // Run increments this counter
  std::unique_ptr<Timer> MakeTimer() override { return std::make_unique<ScriptedTimer>(&script_, &runs_); }
  void Synchronize() override {}
  int runs() const { return runs_; }

 private:
  std::deque<double> script_;
  DeviceRef device_;
  int runs_ = 0;
};

struct FakeBehaviour {
  std::string skip_reason;     // non-empty: Prepare throws CaseSkipped
  std::string prepare_error;   // non-empty: Prepare throws runtime_error
  bool verify_passes = true;
  double flops = 1e12;
  double bytes = 0;
  std::string dtype = "bf16";
};

class FakePrepared : public PreparedCase {
 public:
  explicit FakePrepared(FakeBehaviour b) : b_(std::move(b)) {}
  void Run(void* stream) override { ++*static_cast<int*>(stream); }
  Work GetWork() const override { return Work{b_.flops, b_.bytes, 0, 0, b_.dtype}; }
  VerifyResult Verify() override {
    return {b_.verify_passes, b_.verify_passes ? 1e-6 : 0.5, 1e-3, "fake"};
  }
  std::map<std::string, std::string> Details() const override { return {{"fake", "yes"}}; }

 private:
  FakeBehaviour b_;
};

class FakeWorkload : public Workload {
 public:
  explicit FakeWorkload(std::string name = "fake", FakeBehaviour b = {}) : name_(std::move(name)), b_(std::move(b)) {}
  std::string Name() const override { return name_; }
  std::string Summary() const override { return "scripted test workload"; }
  std::vector<AxisSpec> Axes() const override {
    return {{"dtype", AxisKind::kString, {"bf16"}, {"bf16", "fp32"}, ""},
            {"size", AxisKind::kInt, {"64", "128"}, {}, ""},
            {"causal", AxisKind::kBool, {"false"}, {}, ""}};
  }
  std::vector<MetricSpec> Metrics() const override { return {TflopsMetric(), TimeMsMetric()}; }
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec&, DeviceContext&) override {
    if (!b_.skip_reason.empty()) throw CaseSkipped(b_.skip_reason);
    if (!b_.prepare_error.empty()) throw std::runtime_error(b_.prepare_error);
    return std::make_unique<FakePrepared>(b_);
  }

 private:
  std::string name_;
  FakeBehaviour b_;
};

}  // namespace gq::testing
