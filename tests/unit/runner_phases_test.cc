// Phase times in the runner (harness/measure/runner.h steps 4 and 6): PhaseSeconds after every timed
// sample into phase_samples_s, phase metrics from them (not divided by iterations per sample),
// iteration-time token metrics, no phase metrics for a case without phases, and the multi-rank
// agreement (each phase the slowest rank's; ranks naming other phases fail the case).
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/measure/runner.h"
#include "harness/stats.h"
#include "tests/unit/fake_communicator.h"
#include "tests/unit/fake_workload.h"

namespace gq {
namespace {

using testing::FakeCommunicator;
using testing::FakeContext;
using PhaseMap = std::map<std::string, double>;

// An e2e-like case: 256 output and 4096 prompt tokens per iteration on 4 GPUs; its n-th
// PhaseSeconds call returns script[n] (the last one repeated).
class FakeTokenCase : public PreparedCase {
 public:
  FakeTokenCase(std::vector<PhaseMap> script, int* calls, std::vector<WorkPhase> phases)
      : script_(std::move(script)), calls_(calls), phases_(std::move(phases)) {}
  void Run(void* stream) override { ++*static_cast<int*>(stream); }
  Work GetWork() const override {
    Work w;
    w.tokens = 256;
    w.prefill_tokens = 4096;
    w.gpus = 4;
    w.compute_dtype = "bf16";
    w.phases = phases_;
    return w;
  }
  VerifyResult Verify() override { return {true, 0, 1e-3, "fake"}; }
  std::map<std::string, double> PhaseSeconds() override {
    if (script_.empty()) return {};
    const std::size_t i =
        std::min<std::size_t>(static_cast<std::size_t>((*calls_)++), script_.size() - 1);
    return script_[i];
  }

 private:
  std::vector<PhaseMap> script_;
  int* calls_;
  std::vector<WorkPhase> phases_;
};

class FakeTokenWorkload : public Workload {
 public:
  explicit FakeTokenWorkload(std::vector<PhaseMap> script) : script_(std::move(script)) {}
  std::string Name() const override { return "tok"; }
  std::string Summary() const override { return "fake token workload"; }
  std::vector<AxisSpec> Axes() const override { return {}; }
  std::vector<MetricSpec> Metrics() const override { return TokenThroughputMetrics(); }
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec&, DeviceContext&) override {
    return std::make_unique<FakeTokenCase>(script_, &calls, work_phases);
  }
  int calls = 0;                       // PhaseSeconds calls
  std::vector<WorkPhase> work_phases;  // Work::phases of its cases

 private:
  std::vector<PhaseMap> script_;
};

MeasureOptions TenSamples() {
  MeasureOptions m;
  m.min_samples = 10;
  m.max_samples = 10;
  m.min_time_s = 0;
  m.max_time_s = 10;
  m.max_noise = 0.01;
  m.warmup_time_s = 0;
  m.min_sample_time_s = 1e-3;
  return m;
}

CaseSpec Spec() { return {"tok", {}}; }

// Ten samples with distinct phase times: ttft 10..19 ms, tpot 1.0..1.9 ms, prefill 8..17 ms.
std::vector<PhaseMap> TenPhaseSamples() {
  std::vector<PhaseMap> script;
  for (int i = 0; i < 10; ++i) {
    script.push_back({{kPhasePrefill, (8 + i) * 1e-3},
                      {kPhaseTtft, (10 + i) * 1e-3},
                      {kPhaseTpot, (1.0 + 0.1 * i) * 1e-3},
                      {kPhaseItlP50, (0.9 + 0.1 * i) * 1e-3},
                      {kPhaseItlP99, (2.0 + 0.1 * i) * 1e-3}});
  }
  return script;
}

TEST(RunnerPhasesTest, PhaseMetricsAreMediansOfThePhaseSecondsPerSample) {
  FakeTokenWorkload w(TenPhaseSamples());
  FakeContext ctx({2.5e-4});  // 0.25 ms per iteration: 4 iterations per 1 ms sample
  RunnerEnv env{TenSamples()};
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_EQ(r->iterations_per_sample, 4);
  ASSERT_EQ(r->samples_s.size(), 10u);
  EXPECT_EQ(w.calls, 10);  // once per timed sample, never in warm-up

  ASSERT_EQ(r->phase_samples_s.size(), 5u);
  for (const auto& [name, values] : r->phase_samples_s) EXPECT_EQ(values.size(), 10u) << name;
  EXPECT_DOUBLE_EQ(r->phase_samples_s.at("ttft")[3], 13e-3);

  // Iteration-time metrics: the sample time / 4 iterations = 0.25 ms.
  EXPECT_EQ(r->primary_metric, "output_tok_s");
  ASSERT_EQ(r->metrics.size(), 8u);
  EXPECT_EQ(r->metrics[0].first, "output_tok_s");
  EXPECT_NEAR(r->FindMetric("output_tok_s")->median, 256 / 2.5e-4, 1e-6);
  EXPECT_NEAR(r->FindMetric("total_tok_s")->median, (256 + 4096) / 2.5e-4, 1e-6);
  EXPECT_NEAR(r->FindMetric("tok_s_per_gpu")->median, 256 / 4 / 2.5e-4, 1e-6);
  // Phase metrics: medians over the samples of the scripted phase times, not divided by 4.
  EXPECT_NEAR(r->FindMetric("ttft_ms")->median, 14.5, 1e-9);  // median of 10..19
  EXPECT_NEAR(r->FindMetric("tpot_ms")->median, 1.45, 1e-9);  // median of 1.0..1.9
  EXPECT_NEAR(r->FindMetric("itl_p50_ms")->median, 1.35, 1e-9);
  EXPECT_NEAR(r->FindMetric("itl_p99_ms")->median, 2.45, 1e-9);
  std::vector<double> prefill_rates;
  for (int i = 0; i < 10; ++i) prefill_rates.push_back(4096 / ((8 + i) * 1e-3));
  EXPECT_NEAR(r->FindMetric("prefill_tok_s")->median, Median(prefill_rates), 1e-6);
  EXPECT_EQ(r->FindMetric("prefill_tok_s")->n, 10);
  EXPECT_FALSE(r->FindMetric("ttft_ms")->higher_is_better);
  EXPECT_EQ(r->FindMetric("ttft_ms")->unit, "ms");
}

TEST(RunnerPhasesTest, ACaseWithoutPhasesEmitsNoPhaseMetrics) {
  FakeTokenWorkload w({});
  FakeContext ctx({1e-3});
  RunnerEnv env{TenSamples()};
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_TRUE(r->phase_samples_s.empty());
  std::vector<std::string> names;
  for (const auto& [name, _] : r->metrics) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"output_tok_s", "total_tok_s", "tok_s_per_gpu"}));
  EXPECT_NEAR(r->FindMetric("output_tok_s")->median, 256 / 1e-3, 1e-6);
}

TEST(RunnerPhasesTest, OnlyTheReportedPhasesGiveFigures) {
  FakeTokenWorkload w({{{kPhaseTtft, 0.02}}});  // output_len 1: no tpot, no inter-token latency
  FakeContext ctx({1e-3});
  RunnerEnv env{TenSamples()};
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  ASSERT_NE(r->FindMetric("ttft_ms"), nullptr);
  EXPECT_NEAR(r->FindMetric("ttft_ms")->median, 20.0, 1e-9);
  EXPECT_EQ(r->FindMetric("prefill_tok_s"), nullptr);
  EXPECT_EQ(r->FindMetric("tpot_ms"), nullptr);
  EXPECT_EQ(r->FindMetric("itl_p99_ms"), nullptr);
}

TEST(RunnerPhasesTest, BadPhaseTimesOrChangingNamesFailTheCase) {
  FakeContext ctx({1e-3});
  RunnerEnv env{TenSamples()};
  FakeTokenWorkload zero({{{kPhaseTtft, 0.0}}});
  auto r = RunCase(zero, Spec(), ctx, env);
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("phase 'ttft'"), std::string::npos) << r->reason;
  EXPECT_TRUE(r->metrics.empty());

  FakeContext ctx2({1e-3});
  FakeTokenWorkload changing({{{kPhaseTtft, 0.02}}, {{kPhaseTtft, 0.02}, {kPhaseTpot, 0.001}}});
  r = RunCase(changing, Spec(), ctx2, env);
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("every sample must name the same phases"), std::string::npos)
      << r->reason;
}

// A primary metric measured from a phase cannot be left out.
class PhasePrimaryWorkload : public FakeTokenWorkload {
 public:
  PhasePrimaryWorkload() : FakeTokenWorkload({}) {}
  std::vector<MetricSpec> Metrics() const override { return {TokenThroughputMetrics()[4]}; }
};

TEST(RunnerPhasesTest, AMissingPhaseOfThePrimaryMetricFailsTheCase) {
  PhasePrimaryWorkload w;
  FakeContext ctx({1e-3});
  RunnerEnv env{TenSamples()};
  auto r = RunCase(w, Spec(), ctx, env);
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("primary metric ttft_ms needs the phase 'ttft'"), std::string::npos)
      << r->reason;
}

TEST(RunnerPhasesTest, AGpuGroupOfOneSkuHasATokenRoofline) {
  const DeviceSpec gpu{"test-gpu", "Test GPU", {{"bf16", 1000.0}}, 2000.0, 0, "test"};
  const DeviceSpec other{"other-gpu", "Other GPU", {{"bf16", 1000.0}}, 2000.0, 0, "test"};
  FakeTokenWorkload w({});
  // 10 decode steps of 8 GB over 4 GPUs at 2000 GB/s: t_min = 10 ms, 25600 tok/s attainable.
  w.work_phases = {{"decode_step", 0, 8e9, 10}};
  RunnerEnv env{TenSamples()};
  env.specs = {{"cuda:0", &gpu}, {"cuda:1", &gpu}};
  FakeContext ctx({0.02}, DeviceRef{DeviceRef::Kind::kCuda, 0, 2});  // 12800 tok/s
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  ASSERT_TRUE(r->roofline.has_value());
  EXPECT_EQ(r->roofline->bound, "memory");
  EXPECT_NEAR(r->roofline->peak, 25600, 1e-6);
  EXPECT_NEAR(r->roofline->efficiency, 0.5, 1e-9);
  // Twice the attainable rate: invalid.
  FakeContext fast({0.005}, DeviceRef{DeviceRef::Kind::kCuda, 0, 2});
  r = RunCase(w, Spec(), fast, env);
  EXPECT_EQ(r->status, CaseStatus::kInvalid);
  EXPECT_NE(r->reason.find("above the datasheet roofline"), std::string::npos) << r->reason;
  // Mixed SKUs in the group: unknown, no roofline.
  env.specs = {{"cuda:0", &gpu}, {"cuda:1", &other}};
  FakeContext mixed({0.02}, DeviceRef{DeviceRef::Kind::kCuda, 0, 2});
  r = RunCase(w, Spec(), mixed, env);
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_FALSE(r->roofline.has_value());
}

TEST(RunnerPhasesTest, RanksAgreeOnTheSlowestPhaseTimes) {
  FakeTokenWorkload w({{{kPhasePrefill, 0.008}, {kPhaseTtft, 0.01}}});
  FakeContext ctx({1e-3});
  // Rank 1 takes twice as long in every phase (the two-value calls are the phase agreements).
  FakeCommunicator world(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    if (v.size() == 2) {
      for (double& x : v) x *= 2;
    }
    return v;
  });
  RunnerEnv env{TenSamples()};
  env.comm = &world;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_DOUBLE_EQ(r->phase_samples_s.at("ttft").front(), 0.02);
  EXPECT_NEAR(r->FindMetric("ttft_ms")->median, 20.0, 1e-9);
  EXPECT_NEAR(r->FindMetric("prefill_tok_s")->median, 4096 / 0.016, 1e-6);
}

TEST(RunnerPhasesTest, RanksNamingOtherPhasesFailTheCase) {
  FakeTokenWorkload w({{{kPhaseTtft, 0.01}}});
  FakeContext ctx({1e-3});
  // Rank 1's sample agreements carry another fingerprint of the phase names (entries 3 and 4;
  // 2166136261 is that of no phases, as in warm-up).
  FakeCommunicator world(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    if (v.size() == 5 && v[3] != 2166136261.0) {
      v[3] += 1;
      v[4] += 1;
    }
    return v;
  });
  RunnerEnv env{TenSamples()};
  env.comm = &world;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kFailed);
  EXPECT_NE(r->reason.find("name different phases"), std::string::npos) << r->reason;
}

}  // namespace
}  // namespace gq
