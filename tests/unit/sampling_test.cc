// Warm-up and timed samples (harness/measure/sampling.h) with a scripted timer: iterations per
// sample from the warm-up, the stopping rule's verdict, phase samples, stop requests and
// failures (samples so far kept).
#include "harness/measure/sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// The samples are sized by the fastest warm-up batch: a slow last batch (10x, a neighbour's load)
// would have made every sample a tenth of the minimum sample time.
TEST(SamplingTest, ASlowWarmUpBatchDoesNotShortenTheSamples) {
  FakeContext ctx({1e-5, 1e-5, 1e-5, 1e-5, 1e-4});  // first, 1, 2, 4 at 10 us; 8 at 100 us
  PhasedCase prepared({});
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  MeasureOptions m = Options();
  m.warmup_time_s = 1e-4;
  Sampler sampler(prepared, ctx, *timer, alone, m, nullptr);
  const WarmUpResult warm = sampler.WarmUp();
  EXPECT_EQ(ctx.runs(), 1 + 1 + 2 + 4 + 8);
  EXPECT_EQ(warm.iterations_per_sample, 100);  // 1 ms of 10 us iterations, not 10 of 100 us
}

TEST(SamplingTest, WarmUpBatchesNeverOutgrowATimedSample) {
  FakeContext ctx({1e-5});
  PhasedCase prepared({});
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  MeasureOptions m = Options();
  m.warmup_time_s = 0.01;  // 1 + (1 + 2 + ... + 64) = 128 iterations (1.28 ms), then samples of 100
  Sampler sampler(prepared, ctx, *timer, alone, m, nullptr);
  WarmUpResult warm = sampler.WarmUp();
  EXPECT_EQ(warm.iterations_per_sample, 100);
  // 1.28 ms + 9 batches of 100 x 10 us reach 10 ms; doubling on would have run 1 + 1 + ... + 512.
  EXPECT_EQ(ctx.runs(), 128 + 9 * 100);
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


// A case whose Run sets the stop flag on its n-th call, as a Ctrl-C during a long batch would.
class StopsOnRun : public FakePrepared {
 public:
  StopsOnRun(std::atomic<bool>& stop, int at) : FakePrepared({}), stop_(stop), at_(at) {}
  void Run(void* stream) override {
    FakePrepared::Run(stream);
    if (++runs_ == at_) stop_.store(true);
  }

 private:
  std::atomic<bool>& stop_;
  int at_;
  int runs_ = 0;
};

TEST(SamplingTest, AStopRequestEndsABatchBetweenIterations) {
  FakeContext ctx({1e-3});
  std::atomic<bool> stop{false};
  StopsOnRun prepared(stop, 3);
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  Sampler sampler(prepared, ctx, *timer, alone, Options(), &stop);
  const SampleSet set = sampler.TakeSamples(1000);  // one sample would be 1000 iterations
  EXPECT_TRUE(set.stopped);
  EXPECT_TRUE(set.samples_s.empty());
  EXPECT_EQ(ctx.runs(), 3);

  FakeContext warm_ctx({1e-3});
  std::atomic<bool> warm_stop{false};
  StopsOnRun warming(warm_stop, 5);
  auto warm_timer = warm_ctx.MakeTimer();
  MeasureOptions m = Options();
  m.warmup_time_s = 100;  // batches of 1, 1, 2, 4, ...: the stop lands inside the 4-batch
  EXPECT_TRUE(Sampler(warming, warm_ctx, *warm_timer, alone, m, &warm_stop).WarmUp().stopped);
  EXPECT_EQ(warm_ctx.runs(), 5);
}

class RecordingProgress : public ProgressSink {
 public:
  void OnRunStart(int) override {}
  void OnCaseStart(const CaseProgress&) override {}
  void OnPhase(CasePhase p) override { phases.push_back(p); }
  void OnSample(const SampleProgress& s) override { samples.push_back(s); }
  void OnCaseEnd(const CaseProgress&, CaseStatus, double) override {}
  std::vector<CasePhase> phases;
  std::vector<SampleProgress> samples;
};

TEST(SamplingTest, ProgressFollowsWarmUpAndEverySample) {
  FakeContext ctx({1e-3, 1e-3, 1e-3, 2e-3});
  PhasedCase prepared({});
  auto timer = ctx.MakeTimer();
  RankSync alone(nullptr);
  RecordingProgress progress;
  Sampler sampler(prepared, ctx, *timer, alone, Options(), nullptr, &progress);
  sampler.WarmUp();
  const SampleSet set = sampler.TakeSamples(1);
  EXPECT_EQ(progress.phases, (std::vector<CasePhase>{CasePhase::kWarmUp, CasePhase::kSample}));
  ASSERT_EQ(progress.samples.size(), set.samples_s.size());
  EXPECT_EQ(progress.samples.back().samples, static_cast<int64_t>(set.samples_s.size()));
  EXPECT_TRUE(std::isnan(progress.samples.front().noise));  // one sample: no interval yet
  EXPECT_FALSE(std::isnan(progress.samples[1].noise));      // the first refresh, at two samples
}

}  // namespace
}  // namespace gq
