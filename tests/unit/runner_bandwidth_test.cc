// The measured-bandwidth feed of the runner (harness/measure/runner.cc step 6): an ok device-bandwidth
// case sets the memory roof of later cases on the same device, in RunAll and in RunCase.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "harness/measure/runner.h"
#include "tests/unit/fake_workload.h"

namespace gq {
namespace {

using testing::FakeBehaviour;
using testing::FakeContext;
using testing::FakeWorkload;

// A bandwidth benchmark moving `bytes` of device memory per iteration (GB/s primary metric).
class FakeBandwidthCase : public PreparedCase {
 public:
  explicit FakeBandwidthCase(double bytes) : bytes_(bytes) {}
  void Run(void* stream) override { ++*static_cast<int*>(stream); }
  Work GetWork() const override {
    Work w;
    w.bytes = bytes_;
    w.bandwidth_domain = "device";
    return w;
  }
  VerifyResult Verify() override { return {true, 0, 0, "fake"}; }

 private:
  double bytes_;
};

class FakeBandwidthWorkload : public Workload {
 public:
  std::string Name() const override { return "bw"; }
  std::string Summary() const override { return "fake bandwidth"; }
  std::vector<AxisSpec> Axes() const override { return {{"size", AxisKind::kInt, {"1"}, {}, ""}}; }
  std::vector<MetricSpec> Metrics() const override {
    return {BandwidthMetric("bandwidth"), TimeMsMetric()};
  }
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec&, DeviceContext&) override {
    return std::make_unique<FakeBandwidthCase>(1.5e9);  // 1.5 GB per 1 ms iteration: 1500 GB/s
  }
};

class Sink : public CaseSink {
 public:
  void OnCaseDone(const CaseResult& r) override { results.push_back(r); }
  std::vector<CaseResult> results;
};

MeasureOptions Fast() {
  MeasureOptions m;
  m.min_samples = 3;
  m.min_time_s = 0;
  m.warmup_time_s = 0;
  return m;
}

TEST(RunnerBandwidthTest, MeasuredBandwidthFeedsLaterRooflinesOnTheSameDevice) {
  const DeviceSpec spec{"test-gpu", "Test GPU", {{"bf16", 1000.0}}, 2000.0, 0, "test"};
  FakeBandwidthWorkload bw;
  // 1 FLOP per byte: memory bound at any bandwidth here.
  FakeWorkload gemv("gemv", FakeBehaviour{.flops = 1e9, .bytes = 1e9});
  RunnerEnv env{Fast()};
  env.specs = {{"cpu", &spec}};
  env.make_context = [](const DeviceRef& d) -> std::unique_ptr<DeviceContext> {
    return std::make_unique<FakeContext>(std::deque<double>{1e-3}, d);
  };
  const CaseSpec gemv_case{"gemv", {{"dtype", "bf16"}, {"size", "64"}, {"causal", "false"}}};
  const std::vector<PlannedCase> plan = {
      {&gemv, gemv_case}, {&bw, {"bw", {{"size", "1"}}}}, {&gemv, gemv_case}};
  Sink sink;
  ASSERT_TRUE(RunAll(plan, {{DeviceRef::Kind::kCpu, 0}}, env, sink));
  ASSERT_EQ(sink.results.size(), 3u);
  // Before any measurement: the datasheet bandwidth (2000 GB/s -> 2 TFLOP/s at 1 FLOP/B).
  ASSERT_TRUE(sink.results[0].roofline);
  EXPECT_NEAR(sink.results[0].roofline->peak, 2.0, 1e-9);
  EXPECT_NE(sink.results[0].roofline->peak_source.find("datasheet bandwidth"), std::string::npos);
  // The bandwidth case itself is judged against the datasheet.
  ASSERT_EQ(sink.results[1].status, CaseStatus::kOk) << sink.results[1].reason;
  ASSERT_TRUE(sink.results[1].roofline);
  EXPECT_NEAR(sink.results[1].roofline->efficiency, 0.75, 1e-9);
  // After it: the measured 1500 GB/s, naming the case that measured it.
  ASSERT_TRUE(sink.results[2].roofline);
  EXPECT_NEAR(sink.results[2].roofline->peak, 1.5, 1e-9);
  EXPECT_EQ(sink.results[2].roofline->peak_source,
            "measured bandwidth (bw/size=1) x arithmetic intensity");
  EXPECT_NEAR(env.measured_bandwidth->at("cpu").gbs, 1500, 1e-6);
  // Another device keeps the datasheet figure.
  FakeContext other({1e-3}, {DeviceRef::Kind::kCuda, 1});
  env.specs["cuda:1"] = &spec;
  auto r = RunCase(gemv, gemv_case, other, env);
  ASSERT_TRUE(r && r->roofline);
  EXPECT_NEAR(r->roofline->peak, 2.0, 1e-9);
}

}  // namespace
}  // namespace gq
