// Warm-up and timed samples (harness/measure/sampling.h) with a scripted timer: iterations per
// sample from the warm-up, the stopping rule's verdict, phase samples, stop requests and
// failures (samples so far kept).
#include "harness/measure/sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "tests/unit/fake_workload.h"

namespace gq {
namespace {

using testing::FakeContext;
using testing::FakePrepared;

MeasureOptions Options() {
  MeasureOptions m;
  m.min_samples = 10;
  m.min_time_s = 0.005;
  m.max_time_s = 0.05;
  m.warmup_time_s = 0;
  m.min_sample_time_s = 1e-3;
  return m;
}

// A prepared case whose n-th PhaseSeconds call returns script[n] (the last one repeated), and
// whose Run throws from call `throw_at` on (-1: never).
class PhasedCase : public FakePrepared {
 public:
  PhasedCase(std::vector<std::map<std::string, double>> script, int throw_at = -1)
      : FakePrepared({}), script_(std::move(script)), throw_at_(throw_at) {}
  void Run(void* stream) override {
    if (throw_at_ >= 0 && runs_++ >= throw_at_) throw std::runtime_error("device lost");
    FakePrepared::Run(stream);
  }
  std::map<std::string, double> PhaseSeconds() override {
    if (script_.empty()) return {};
    return script_[std::min(calls_++, script_.size() - 1)];
  }

 private:
  std::vector<std::map<std::string, double>> script_;
  std::size_t calls_ = 0;
  int throw_at_;
  int runs_ = 0;
};

TEST(SamplingTest, IterationsPerSampleCoverTheMinimumSampleTime) {
  EXPECT_EQ(IterationsPerSample(1e-5, 1e-3), 100);
  EXPECT_EQ(IterationsPerSample(3e-4, 1e-3), 4);  // ceil(3.33)
  EXPECT_EQ(IterationsPerSample(2e-3, 1e-3), 1);
  EXPECT_EQ(IterationsPerSample(0, 1e-3), 1);
}

TEST(SamplingTest, WarmUpDoublesBatchesUntilItsTimeAndSizesTheSamples) {
  FakeContext ctx({1e-5});
  PhasedCase prepared({});
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  MeasureOptions m = Options();
  m.warmup_time_s = 1e-4;  // 1 + 1 + 2 + 4 + 8 iterations of 10 us reach 160 us
  Sampler sampler(prepared, ctx, *timer, alone, m, nullptr);
  WarmUpResult warm = sampler.WarmUp();
  EXPECT_FALSE(warm.stopped);
  EXPECT_TRUE(warm.outcome.ok());
  EXPECT_EQ(warm.iterations_per_sample, 100);
  EXPECT_EQ(ctx.runs(), 1 + 1 + 2 + 4 + 8);
}

TEST(SamplingTest, SamplesRunToTheStoppingRulesVerdictWithTheirPhases) {
  FakeContext ctx({1e-3});
  PhasedCase prepared({{{"ttft", 0.02}}});
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  Sampler sampler(prepared, ctx, *timer, alone, Options(), nullptr);
  SampleSet set = sampler.TakeSamples(1);
  EXPECT_TRUE(set.outcome.ok());
  EXPECT_FALSE(set.stopped);
  ASSERT_EQ(set.samples_s.size(), 10u);
  EXPECT_EQ(set.own_samples_s, set.samples_s);
  EXPECT_EQ(set.phase_samples_s.at("ttft"), std::vector<double>(10, 0.02));
  EXPECT_TRUE(set.verdict.converged);
}

TEST(SamplingTest, AStopRequestEndsAtOnceAlone) {
  FakeContext ctx({1e-3});
  PhasedCase prepared({});
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  std::atomic<bool> stop{true};
  Sampler sampler(prepared, ctx, *timer, alone, Options(), &stop);
  EXPECT_TRUE(sampler.WarmUp().stopped);
  EXPECT_TRUE(sampler.TakeSamples(1).stopped);
  EXPECT_EQ(ctx.runs(), 0);
}

TEST(SamplingTest, AFailingBatchOrBadPhasesKeepTheSamplesSoFar) {
  FakeContext ctx({1e-3});
  PhasedCase dies({}, 3);  // the fourth Run throws
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  SampleSet set = Sampler(dies, ctx, *timer, alone, Options(), nullptr).TakeSamples(1);
  EXPECT_EQ(set.outcome.status, CaseStatus::kFailed);
  EXPECT_EQ(set.outcome.reason, "device lost");
  EXPECT_EQ(set.samples_s.size(), 3u);

  FakeContext ctx2({1e-3});
  PhasedCase changing({{{"ttft", 0.02}}, {{"ttft", 0.02}}, {{"tpot", 0.001}}});
  auto timer2 = ctx2.MakeTimer();
  set = Sampler(changing, ctx2, *timer2, alone, Options(), nullptr).TakeSamples(1);
  EXPECT_EQ(set.outcome.status, CaseStatus::kFailed);
  EXPECT_NE(set.outcome.reason.find("every sample must name the same phases"), std::string::npos);
  EXPECT_EQ(set.samples_s.size(), 3u);  // the sample that named other phases included
  EXPECT_EQ(set.phase_samples_s.at("ttft").size(), 2u);
}

}  // namespace
}  // namespace gq
