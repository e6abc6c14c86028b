#include "harness/measure/runner.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/unit/fake_gpu_monitor.h"
#include "tests/unit/fake_workload.h"

namespace gq {
namespace {

using testing::FakeBehaviour;
using testing::FakeContext;
using testing::FakeGpuMonitor;
using testing::FakeWorkload;

MeasureOptions FastMeasure() {
  MeasureOptions m;
  m.min_samples = 10;
  m.min_time_s = 0.005;
  m.max_time_s = 0.05;
  m.max_noise = 0.01;
  m.warmup_time_s = 0;
  m.min_sample_time_s = 1e-3;
  return m;
}

CaseSpec Spec() { return {"fake", {{"dtype", "bf16"}, {"size", "64"}, {"causal", "false"}}}; }

class RecordingSink : public CaseSink {
 public:
  void OnCaseDone(const CaseResult& r) override { results.push_back(r); }
  std::vector<CaseResult> results;
};

TEST(RunnerTest, SteadySamplesConvergeAtTheMinimums) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  RunnerEnv env{FastMeasure()};
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_EQ(r->id, "fake/dtype=bf16/size=64/causal=false");
  EXPECT_EQ(r->iterations_per_sample, 1);
  EXPECT_EQ(r->samples_s.size(), 10u);  // 10 x 1 ms: both min_samples and min_time met
  ASSERT_EQ(r->metrics.size(), 2u);
  EXPECT_EQ(r->primary_metric, "tflops");
  EXPECT_NEAR(r->metrics[0].second.median, 1000.0, 1e-9);  // 1e12 flop / 1 ms
  EXPECT_NEAR(r->metrics[1].second.median, 1.0, 1e-12);    // 1 ms
  ASSERT_TRUE(r->verification.has_value());
  EXPECT_TRUE(r->verification->passed);
  EXPECT_EQ(r->details.at("fake"), "yes");
  EXPECT_FALSE(r->roofline.has_value());  // no SKU known for this device
}

TEST(RunnerTest, BatchesIterationsSoASampleLastsTheMinimumSampleTime) {
  FakeWorkload w;
  FakeContext ctx({1e-5});
  RunnerEnv env{FastMeasure()};
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->iterations_per_sample, 100);
  EXPECT_NEAR(r->samples_s.front(), 1e-3, 1e-12);
  EXPECT_NEAR(r->metrics[1].second.median, 0.01, 1e-9);  // ms per iteration
}

TEST(RunnerTest, NoiseAboveTargetStopsAtMaxTimeAsNoisy) {
  FakeWorkload w;
  std::deque<double> script;
  script.push_back(1e-3);  // warm-up iteration
  for (int i = 0; i < 200; ++i) script.push_back(i % 2 ? 1e-3 : 2e-3);
  FakeContext ctx(script);
  RunnerEnv env{FastMeasure()};
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kNoisy);
  EXPECT_NE(r->reason.find("95% CI of the median"), std::string::npos);
  double total = 0;
  for (double s : r->samples_s) total += s;
  EXPECT_GE(total, 0.05);
  EXPECT_LT(total, 0.05 + 2e-3 + 1e-12);  // stops right after crossing max_time
}

TEST(RunnerTest, SkipAndFailureAreRecordedWithReasons) {
  FakeWorkload skip("fake", FakeBehaviour{.skip_reason = "fp8 needs sm_89"});
  FakeWorkload fail("fake", FakeBehaviour{.prepare_error = "cublas exploded"});
  FakeContext ctx({1e-3});
  RunnerEnv env{FastMeasure()};
  auto s = RunCase(skip, Spec(), ctx, env);
  EXPECT_EQ(s->status, CaseStatus::kSkipped);
  EXPECT_EQ(s->reason, "fp8 needs sm_89");
  EXPECT_TRUE(s->samples_s.empty());
  auto f = RunCase(fail, Spec(), ctx, env);
  EXPECT_EQ(f->status, CaseStatus::kFailed);
  EXPECT_EQ(f->reason, "cublas exploded");
}

TEST(RunnerTest, VerificationFailureFailsTheCaseButKeepsTheFigures) {
  FakeWorkload w("fake", FakeBehaviour{.verify_passes = false});
  FakeContext ctx({1e-3});
  RunnerEnv env{FastMeasure()};
  auto r = RunCase(w, Spec(), ctx, env);
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("verification failed"), std::string::npos);
  EXPECT_FALSE(r->verification->passed);
  EXPECT_EQ(r->metrics.size(), 2u);
}

TEST(RunnerTest, NoVerifyLeavesVerificationAbsent) {
  FakeWorkload w("fake", FakeBehaviour{.verify_passes = false});
  FakeContext ctx({1e-3});
  RunnerEnv env{FastMeasure()};
  env.measure.verify = false;
  auto r = RunCase(w, Spec(), ctx, env);
  EXPECT_EQ(r->status, CaseStatus::kOk);
  EXPECT_FALSE(r->verification.has_value());
}

TEST(RunnerTest, RateAboveDatasheetPeakIsInvalidAndRooflineIsFilled) {
  DeviceSpec slow{"slow-gpu", "Slow GPU", {{"bf16", 500.0}}, 1000.0, 0, "test"};
  DeviceSpec fast{"fast-gpu", "Fast GPU", {{"bf16", 2000.0}}, 1000.0, 0, "test"};
  FakeWorkload w;
  RunnerEnv env{FastMeasure()};
  FakeContext ctx1({1e-3});
  env.specs = {{"cpu", &slow}};
  auto r = RunCase(w, Spec(), ctx1, env);
  EXPECT_EQ(r->status, CaseStatus::kInvalid);
  EXPECT_NE(r->reason.find("above the datasheet peak"), std::string::npos);
  FakeContext ctx2({1e-3});
  env.specs = {{"cpu", &fast}};
  r = RunCase(w, Spec(), ctx2, env);
  EXPECT_EQ(r->status, CaseStatus::kOk);
  ASSERT_TRUE(r->roofline.has_value());
  EXPECT_EQ(r->roofline->bound, "compute");
  EXPECT_NEAR(r->roofline->efficiency, 0.5, 1e-9);
}

TEST(RunnerTest, StopRequestAbandonsTheCaseInProgress) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  std::atomic<bool> stop{true};
  RunnerEnv env{FastMeasure()};
  env.stop = &stop;
  EXPECT_FALSE(RunCase(w, Spec(), ctx, env).has_value());
  RecordingSink sink;
  EXPECT_FALSE(RunAll({{&w, Spec()}}, {{DeviceRef::Kind::kCpu, 0}}, env, sink));
  EXPECT_TRUE(sink.results.empty());
}

TEST(RunnerTest, RunAllHonoursDeviceFiltersAndRecordsContextFailures) {
  FakeWorkload w;
  RunnerEnv env{FastMeasure()};
  env.make_context = [](const DeviceRef& d) -> std::unique_ptr<DeviceContext> {
    if (d.IsCuda()) throw std::runtime_error("no driver");
    return std::make_unique<FakeContext>(std::deque<double>{1e-3});
  };
  CaseSpec cuda_only{"fake", {{"dtype", "fp32"}, {"size", "64"}, {"causal", "false"}}};
  std::vector<PlannedCase> plan = {{&w, Spec(), DeviceFilter::kAny}, {&w, cuda_only, DeviceFilter::kCuda}};
  RecordingSink sink;
  EXPECT_TRUE(RunAll(plan, {{DeviceRef::Kind::kCpu, 0}, {DeviceRef::Kind::kCuda, 0}}, env, sink));
  ASSERT_EQ(sink.results.size(), 3u);  // cpu: 1 case (cuda-only filtered); cuda:0: 2 cases
  EXPECT_EQ(sink.results[0].device, "cpu");
  EXPECT_EQ(sink.results[0].status, CaseStatus::kOk);
  EXPECT_EQ(sink.results[1].device, "cuda:0");
  EXPECT_EQ(sink.results[1].status, CaseStatus::kFailed);
  EXPECT_NE(sink.results[1].reason.find("cannot open device cuda:0: no driver"), std::string::npos);
  EXPECT_EQ(sink.results[2].id, cuda_only.Id());
}

// Records the case runs the runner starts and ends (id, round, the total planned at the time).
class RecordingProgress : public ProgressSink {
 public:
  void OnRunStart(int case_runs) override { planned = case_runs; }
  void OnCaseStart(const CaseProgress& c) override { started.push_back(c.id + "#" + std::to_string(c.round)); }
  void OnPhase(CasePhase) override {}
  void OnSample(const SampleProgress&) override {}
  void OnCaseEnd(const CaseProgress& c, CaseStatus, double) override { totals.push_back(c.total); }
  int planned = 0;
  std::vector<std::string> started;
  std::vector<int> totals;
};

// --repetitions 3 over an ok case, a skipped one and a failed one: round r of every case before
// round r + 1 of any; a skipped or failed case takes no further rounds (the total shrinks); the
// sink gets the case merged over its rounds so far after each of its rounds.
TEST(RunnerTest, RoundsGoRoundRobinAndACaseThatSkipsOrFailsTakesNoMore) {
  FakeWorkload ok;
  FakeWorkload skips("skips", FakeBehaviour{"needs a GPU"});
  FakeWorkload fails("fails", FakeBehaviour{"", "driver error"});
  RunnerEnv env{FastMeasure()};
  env.measure.repetitions = 3;
  env.make_context = [](const DeviceRef&) -> std::unique_ptr<DeviceContext> {
    return std::make_unique<FakeContext>(std::deque<double>{1e-3});
  };
  RecordingProgress progress;
  env.progress = &progress;
  const CaseSpec a = Spec(), b{"skips", Spec().params}, c{"fails", Spec().params};
  RecordingSink sink;
  ASSERT_TRUE(RunAll({{&ok, a}, {&skips, b}, {&fails, c}}, {{DeviceRef::Kind::kCpu, 0}}, env, sink));
  EXPECT_EQ(progress.planned, 9);
  EXPECT_EQ(progress.started, (std::vector<std::string>{a.Id() + "#1", b.Id() + "#1", c.Id() + "#1", a.Id() + "#2",
                                                        a.Id() + "#3"}));
  EXPECT_EQ(progress.totals.back(), 5);  // 9 less the 2 rounds each of the skipped and failed case
  ASSERT_EQ(sink.results.size(), 5u);    // after every case run
  EXPECT_EQ(sink.results[1].status, CaseStatus::kSkipped);
  EXPECT_EQ(sink.results[2].status, CaseStatus::kFailed);
  EXPECT_NE(sink.results[2].reason.find("driver error"), std::string::npos) << sink.results[2].reason;
  for (int round = 1; round <= 3; ++round) {
    const CaseResult& merged = sink.results[round == 1 ? 0 : 2 + round - 1];
    EXPECT_EQ(merged.id, a.Id());
    EXPECT_EQ(merged.rounds_done, round);
    EXPECT_EQ(merged.rounds_planned, 3);
    EXPECT_EQ(merged.round_medians_s.size(), static_cast<size_t>(round));
  }
  EXPECT_EQ(sink.results.back().status, CaseStatus::kOk) << sink.results.back().reason;
}

// A timer that gives no time (0 s every batch) or not a time (NaN) fails the case with the
// reason, instead of warming up or sampling forever.
TEST(RunnerTest, ABrokenTimerFailsTheCase) {
  FakeWorkload w;
  RunnerEnv env{FastMeasure()};
  env.measure.warmup_time_s = 0.01;
  FakeContext zero({0.0});
  auto r = RunCase(w, Spec(), zero, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("warm-up: the timer gave 0 s for 1000 batches running"), std::string::npos) << r->reason;
  FakeContext nan({1e-3, std::nan("")});  // warms up, then a NaN sample
  env.measure.warmup_time_s = 0;
  r = RunCase(w, Spec(), nan, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("timing is broken"), std::string::npos) << r->reason;
}

TEST(RunnerTest, CudaCaseCarriesTelemetryAndEnergyPerTflop) {
  FakeWorkload w;  // 1e12 flop per iteration
  FakeContext ctx({1e-3}, DeviceRef{DeviceRef::Kind::kCuda, 2});
  FakeGpuMonitor monitor;
  monitor.SetReadings({testing::Reading(1980, 2619, 650, 70, nvml::kReasonSwPowerCap),
                       testing::Reading(1950, 2619, 700, 72)});
  monitor.SetEnergy({10000, 15000});  // 5 J between Begin and End
  TelemetrySampler sampler(monitor, 3600);  // only the Begin and End readings
  RunnerEnv env{FastMeasure()};
  env.telemetry = &sampler;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_FALSE(sampler.running());
  ASSERT_TRUE(r->telemetry.has_value());
  EXPECT_TRUE(r->telemetry->available) << r->telemetry->reason;
  EXPECT_EQ(r->telemetry->samples, 2);
  EXPECT_DOUBLE_EQ(r->telemetry->energy_j, 5.0);
  EXPECT_DOUBLE_EQ(r->telemetry->power_w_max, 700);
  EXPECT_EQ(r->telemetry->throttle_reasons, std::vector<std::string>{"sw_power_cap"});
  for (int index : monitor.indices_seen()) EXPECT_EQ(index, 2);

  const double iterations = static_cast<double>(r->samples_s.size() * r->iterations_per_sample);
  const MetricResult* jpt = r->FindMetric("joules_per_tflop");
  ASSERT_NE(jpt, nullptr);
  EXPECT_DOUBLE_EQ(jpt->median, 5.0 / (1e12 * iterations / 1e12));
  EXPECT_EQ(jpt->unit, "J/TFLOP");
  EXPECT_FALSE(jpt->higher_is_better);
  EXPECT_EQ(jpt->n, 1);
  EXPECT_EQ(r->FindMetric("joules_per_token"), nullptr);  // the fake has no tokens
  EXPECT_EQ(r->metrics.front().first, "tflops");          // primary stays first
}

TEST(RunnerTest, CpuCaseTakesNoTelemetry) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  FakeGpuMonitor monitor;
  monitor.SetReadings({testing::Reading(1980, 2619, 650, 70)});
  monitor.SetEnergy({0, 5000});
  TelemetrySampler sampler(monitor, 3600);
  RunnerEnv env{FastMeasure()};
  env.telemetry = &sampler;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->telemetry.has_value());
  EXPECT_EQ(monitor.read_calls(), 0);
  EXPECT_EQ(r->FindMetric("joules_per_tflop"), nullptr);
}

TEST(RunnerTest, UnavailableTelemetryIsRecordedWithoutEnergyMetrics) {
  FakeWorkload w;
  FakeContext ctx({1e-3}, DeviceRef{DeviceRef::Kind::kCuda, 0});
  FakeGpuMonitor monitor("unavailable: cannot load libnvidia-ml.so.1: gone");
  TelemetrySampler sampler(monitor, 0.01);
  RunnerEnv env{FastMeasure()};
  env.telemetry = &sampler;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk);
  ASSERT_TRUE(r->telemetry.has_value());
  EXPECT_FALSE(r->telemetry->available);
  EXPECT_EQ(r->telemetry->reason, "unavailable: cannot load libnvidia-ml.so.1: gone");
  EXPECT_EQ(r->FindMetric("joules_per_tflop"), nullptr);
}

TEST(RunnerTest, AbandonedCaseClosesTheTelemetryWindow) {
  FakeWorkload w;
  FakeContext ctx({1e-3}, DeviceRef{DeviceRef::Kind::kCuda, 0});
  FakeGpuMonitor monitor;
  TelemetrySampler sampler(monitor, 0.001);
  std::atomic<bool> stop{true};
  RunnerEnv env{FastMeasure()};
  env.telemetry = &sampler;
  env.stop = &stop;
  EXPECT_FALSE(RunCase(w, Spec(), ctx, env).has_value());
  EXPECT_FALSE(sampler.running());
}

}  // namespace
}  // namespace gq
