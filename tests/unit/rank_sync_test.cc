// Multi-rank runner logic with a fake world (tests/unit/fake_communicator.h): the typed
// agreements (a batch: slowest time, worst outcome, any stop, same phase names; a verification:
// every rank passed, largest error, the failing rank named), samples are the slowest rank's, every
// rank's median is gathered to rank 0 with its host, the straggler is named above the threshold,
// and a rank that cannot prepare a case skips it everywhere with its reason.
#include "harness/measure/rank_sync.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/measure/runner.h"
#include "tests/unit/fake_communicator.h"
#include "tests/unit/fake_gpu_monitor.h"
#include "tests/unit/fake_workload.h"

namespace gq {
namespace {

using testing::FakeCommunicator;
using testing::FakeContext;
using testing::FakeWorkload;

MeasureOptions FastMeasure() {
  MeasureOptions m;
  m.min_samples = 10;
  m.min_time_s = 0.005;
  m.max_time_s = 0.05;
  m.warmup_time_s = 0;
  return m;
}

CaseSpec Spec() { return {"fake", {{"dtype", "bf16"}, {"size", "64"}, {"causal", "false"}}}; }

// Rank r reports rank 0's first value times factors[r] (times, medians; codes stay 0).
FakeCommunicator::PeerDoubles Scaled(std::vector<double> factors) {
  return [factors](int, int rank, const std::vector<double>& own) {
    std::vector<double> v = own;
    if (!v.empty()) v[0] *= factors[static_cast<std::size_t>(rank)];
    return v;
  };
}

TEST(FindStragglerTest, NamesTheSlowestRankAboveTheThreshold) {
  std::vector<RankFigure> ranks = {{0, "a", "cuda:0", 1.0e-3},
                                   {1, "a", "cuda:1", 1.05e-3},
                                   {2, "b", "cuda:0", 1.30e-3},
                                   {3, "b", "cuda:1", 0.0}};
  auto s = FindStraggler(ranks, 0.10);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->rank, 2);
  EXPECT_EQ(s->host, "b");
  EXPECT_EQ(s->device, "cuda:0");
  EXPECT_NEAR(s->spread, 0.30, 1e-12);
  EXPECT_FALSE(FindStraggler(ranks, 0.30).has_value());  // not strictly above
  EXPECT_FALSE(FindStraggler({}, 0.1).has_value());
  EXPECT_FALSE(FindStraggler({{0, "a", "cpu", 0.0}}, 0.1).has_value());
}

TEST(RankSyncTest, SingleProcessIsTheIdentity) {
  RankSync alone(nullptr);
  EXPECT_FALSE(alone.multi());
  EXPECT_EQ(alone.Max({1.0, 2.0}), (std::vector<double>{1.0, 2.0}));
  StepOutcome skipped{CaseStatus::kSkipped, "no fp8"};
  EXPECT_EQ(alone.Agree(skipped).reason, "no fp8");
  EXPECT_TRUE(alone.GatherFigures("cpu", 1.0).empty());
  EXPECT_EQ(alone.DeviceLabel({DeviceRef::Kind::kCuda, 0, 8}), "cuda:0-7");
  auto one = MakeSingleProcessCommunicator("h");
  EXPECT_FALSE(RankSync(one.get()).multi());  // one rank is a single process
}

TEST(RankSyncTest, AgreementPicksTheWorstOutcomeAndNamesItsRank) {
  // Rank 2 failed, rank 1 skipped only because of a peer.
  FakeCommunicator world(
      4,
      [](int, int rank, const std::vector<double>&) {
        return std::vector<double>{rank == 2 ? 3.0 : rank == 1 ? 1.0 : 0.0};
      },
      [](int rank, const std::string&) { return rank == 2 ? "cudaMalloc failed" : "peer"; });
  RankSync sync(&world);
  StepOutcome o = sync.Agree({});
  EXPECT_EQ(o.status, CaseStatus::kFailed);
  EXPECT_EQ(o.reason, "rank 2: cudaMalloc failed");
  EXPECT_EQ(sync.DeviceLabel({DeviceRef::Kind::kCuda, 3}), "4xcuda");
  EXPECT_EQ(sync.DeviceLabel({DeviceRef::Kind::kCpu, 0}), "4xcpu");
}

TEST(RankSyncTest, PeerSkipRanksBelowARealSkip) {
  StepOutcome peer = TryStep([] { throw PeerCouldNotContinue("another rank could not prepare"); });
  StepOutcome own = TryStep([] { throw CaseSkipped("needs 16 GiB"); });
  StepOutcome fail = TryStep([] { throw std::runtime_error("boom"); });
  EXPECT_EQ(peer.status, CaseStatus::kSkipped);
  EXPECT_LT(peer.code(), own.code());
  EXPECT_LT(own.code(), fail.code());
  EXPECT_EQ(TryStep([] { throw std::bad_alloc(); }).reason, "out of host memory");
}

TEST(RankSyncTest, ABatchAloneIsTakenAsReported) {
  RankSync alone(nullptr);
  BatchReport report{2e-3, {}, false, {{"ttft", 0.01}}};
  AgreedBatch b = alone.AgreeBatch(report);
  EXPECT_EQ(b.slowest_s, 2e-3);
  EXPECT_TRUE(b.outcome.ok());
  EXPECT_FALSE(b.stop);
  EXPECT_TRUE(b.same_phase_names);
  EXPECT_EQ(b.phases, report.phases);
  report.outcome = {CaseStatus::kFailed, "kernel fault"};
  EXPECT_EQ(alone.AgreeBatch(report).outcome.reason, "kernel fault");
}

TEST(RankSyncTest, ABatchTakesTheSlowestRankAndAnyRanksStop) {
  // Rank 1: 3 ms instead of 1 ms, phases twice as long, and a stop request.
  FakeCommunicator world(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    if (v.size() == 5) {
      v[0] = 3e-3;
      v[2] = 1.0;
    } else {
      for (double& x : v) x *= 2;
    }
    return v;
  });
  RankSync sync(&world);
  AgreedBatch b = sync.AgreeBatch({1e-3, {}, false, {{"prefill", 0.008}, {"ttft", 0.01}}});
  EXPECT_EQ(b.slowest_s, 3e-3);
  EXPECT_TRUE(b.stop);
  EXPECT_TRUE(b.phases.empty());  // a stop: the phases are not agreed
  EXPECT_EQ(world.calls(), 1);
  FakeCommunicator slow(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    if (v.size() == 2) {
      for (double& x : v) x *= 2;
    }
    return v;
  });
  RankSync sync2(&slow);
  b = sync2.AgreeBatch({1e-3, {}, false, {{"prefill", 0.008}, {"ttft", 0.01}}});
  EXPECT_FALSE(b.stop);
  EXPECT_TRUE(b.same_phase_names);
  EXPECT_EQ(b.phases, (std::map<std::string, double>{{"prefill", 0.016}, {"ttft", 0.02}}));
}

TEST(RankSyncTest, ABatchSeesAPeersFailureAndOtherPhaseNames) {
  FakeCommunicator failed(
      2,
      [](int call, int, const std::vector<double>& own) {
        std::vector<double> v = own;
        if (call == 0) v[1] = 3.0;  // rank 1's severity: failed
        if (call == 1) v = {3.0};   // the gathered severity
        return v;
      },
      [](int, const std::string&) { return std::string("illegal address"); });
  RankSync sync(&failed);
  AgreedBatch b = sync.AgreeBatch({1e-3, {}, false, {}});
  EXPECT_EQ(b.outcome.status, CaseStatus::kFailed);
  EXPECT_EQ(b.outcome.reason, "rank 1: illegal address");

  FakeCommunicator other_names(2, [](int, int, const std::vector<double>& own) {
    std::vector<double> v = own;
    v[3] += 1;  // another fingerprint on rank 1
    v[4] += 1;
    return v;
  });
  RankSync sync2(&other_names);
  b = sync2.AgreeBatch({1e-3, {}, false, {{"ttft", 0.01}}});
  EXPECT_TRUE(b.outcome.ok());
  EXPECT_FALSE(b.same_phase_names);
  EXPECT_TRUE(b.phases.empty());
}

TEST(RankSyncTest, VerificationAloneIsTheOwnVerdict) {
  RankSync alone(nullptr);
  AgreedVerification ok = alone.AgreeVerification({{}, {true, 1e-6, 1e-3, "exact"}});
  EXPECT_TRUE(ok.outcome.ok());
  EXPECT_TRUE(ok.passed);
  EXPECT_EQ(ok.max_rel_err, 1e-6);
  EXPECT_EQ(ok.failure_reason, "");
  AgreedVerification wrong = alone.AgreeVerification({{}, {false, 0.5, 1e-3, "3 wrong"}});
  EXPECT_FALSE(wrong.passed);
  EXPECT_EQ(wrong.failure_reason, "3 wrong");
  AgreedVerification threw = alone.AgreeVerification({{CaseStatus::kFailed, "no reference"}, {}});
  EXPECT_EQ(threw.outcome.reason, "no reference");
}

TEST(RankSyncTest, VerificationFailsOnEveryRankWhenOneRanksOutputIsWrong) {
  FakeCommunicator world(
      2,
      [](int call, int, const std::vector<double>& own) {
        if (call == 0) return std::vector<double>{0.0, 1.0, 0.25};  // rank 1 wrong
        if (call == 1) return std::vector<double>{3.0};             // its output's severity
        return own;
      },
      [](int, const std::string&) { return std::string("exact check: 3 wrong"); });
  RankSync sync(&world);
  AgreedVerification v = sync.AgreeVerification({{}, {true, 1e-6, 1e-3, "exact"}});
  EXPECT_TRUE(v.outcome.ok());
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.max_rel_err, 0.25);
  EXPECT_EQ(v.failure_reason, "rank 1: exact check: 3 wrong");
}

TEST(RunnerRanksTest, SamplesAreTheSlowestRanksAndFiguresAreGathered) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  FakeCommunicator world(4, Scaled({1.0, 1.02, 1.5, 1.01}));
  RunnerEnv env{FastMeasure()};
  env.comm = &world;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kOk) << r->reason;
  EXPECT_EQ(r->device, "4xcpu");
  ASSERT_FALSE(r->samples_s.empty());
  for (double s : r->samples_s) EXPECT_NEAR(s, 1.5e-3 * r->iterations_per_sample, 1e-12);
  EXPECT_NEAR(r->FindMetric("time_ms")->median, 1.5, 1e-9);  // the slowest rank's time
  ASSERT_EQ(r->ranks.size(), 4u);
  EXPECT_EQ(r->ranks[0].rank, 0);
  EXPECT_EQ(r->ranks[0].host, "node0");
  EXPECT_EQ(r->ranks[2].host, "node1");
  EXPECT_EQ(r->ranks[2].device, "cpu");
  EXPECT_NEAR(r->ranks[0].median_s, 1e-3, 1e-12);  // each rank's own median per iteration
  EXPECT_NEAR(r->ranks[2].median_s, 1.5e-3, 1e-12);
  ASSERT_TRUE(r->straggler.has_value());
  EXPECT_EQ(r->straggler->rank, 2);
  EXPECT_EQ(r->straggler->host, "node1");
  EXPECT_NEAR(r->straggler->spread, 0.5, 1e-9);
}

// Under MPI only rank 0's GPU is sampled: its telemetry stays (throttling), but no energy per
// unit of work is given, which would count one GPU's energy against every rank's work.
TEST(RunnerRanksTest, NoEnergyRateFromOneRanksTelemetry) {
  FakeWorkload w;
  FakeContext ctx({1e-3}, DeviceRef{DeviceRef::Kind::kCuda, 0});
  testing::FakeGpuMonitor monitor;
  monitor.SetReadings({testing::Reading(1980, 2619, 650, 70), testing::Reading(1950, 2619, 700, 72)});
  monitor.SetEnergy({10000, 15000});
  TelemetrySampler sampler(monitor, 3600);
  FakeCommunicator world(2);
  RunnerEnv env{FastMeasure()};
  env.comm = &world;
  env.telemetry = &sampler;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->telemetry.has_value());
  EXPECT_DOUBLE_EQ(r->telemetry->energy_j, 5.0);
  EXPECT_EQ(r->FindMetric("joules_per_tflop"), nullptr);
}

TEST(RunnerRanksTest, NoStragglerWithinTheThreshold) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  FakeCommunicator world(2, Scaled({1.0, 1.05}));
  RunnerEnv env{FastMeasure()};
  env.comm = &world;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ranks.size(), 2u);
  EXPECT_FALSE(r->straggler.has_value());
  env.straggler_threshold = 0.01;
  FakeContext ctx2({1e-3});
  FakeCommunicator world2(2, Scaled({1.0, 1.05}));
  env.comm = &world2;
  r = RunCase(w, Spec(), ctx2, env);
  ASSERT_TRUE(r->straggler.has_value());
  EXPECT_EQ(r->straggler->rank, 1);
}

TEST(RunnerRanksTest, ARankThatCannotPrepareSkipsTheCaseEverywhere) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  // The first agreement (after Prepare) and the gathers it triggers: rank 1 skipped.
  FakeCommunicator world(
      2,
      [](int call, int, const std::vector<double>& own) {
        return call <= 1 ? std::vector<double>{2.0} : own;
      },
      [](int, const std::string&) {
        return std::string("needs 9.00 GiB on cuda:1, 4.00 GiB free");
      });
  RunnerEnv env{FastMeasure()};
  env.comm = &world;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kSkipped);
  EXPECT_EQ(r->reason, "rank 1: needs 9.00 GiB on cuda:1, 4.00 GiB free");
  EXPECT_TRUE(r->samples_s.empty());
  EXPECT_EQ(ctx.runs(), 0);  // rank 0 never ran the case alone
}

TEST(RunnerRanksTest, AVerificationFailureOnAnotherRankFailsTheCase) {
  FakeWorkload w;
  FakeContext ctx({1e-3});
  int verify_call = -1;
  FakeCommunicator world(
      2,
      [&verify_call](int call, int, const std::vector<double>& own) {
        // The verification agreement is the only 3-value call whose first value is a code (0)
        // after sampling; mark rank 1's output wrong there: {code 0, wrong 1, max_rel_err 0.5}.
        if (own.size() == 3 && own[0] == 0.0 && own[1] == 0.0 && own[2] > 0 && own[2] < 1e-3) {
          verify_call = call;
          return std::vector<double>{0.0, 1.0, 0.5};
        }
        if (call == verify_call + 1 && verify_call >= 0)
          return std::vector<double>{3.0};  // its code
        return own;
      },
      [](int, const std::string&) { return std::string("exact check: 3 wrong"); });
  RunnerEnv env{FastMeasure()};
  env.comm = &world;
  auto r = RunCase(w, Spec(), ctx, env);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, CaseStatus::kFailed) << r->reason;
  ASSERT_TRUE(r->verification.has_value());
  EXPECT_FALSE(r->verification->passed);
  EXPECT_DOUBLE_EQ(r->verification->max_rel_err, 0.5);
  EXPECT_NE(r->reason.find("rank 1: exact check: 3 wrong"), std::string::npos) << r->reason;
}

}  // namespace
}  // namespace gq
