// The hang watchdog of `gpuqual run --hang-timeout` (app/case_watchdog.h) on a fake clock: a case
// run without progress (phase or sample) for longer than the limit is overdue, as a failed result
// with the plan's workload and params and a reason naming the limit, the phase, the samples and the
// round; progress restarts the clock; an ended case or a later one is not overdue; every progress
// call reaches the printer behind it.
#include "app/case_watchdog.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/case_progress.h"
#include "tests/unit/fake_workload.h"

namespace gq::cli {
namespace {

// Counts the calls it gets.
class CountingSink final : public ProgressSink {
 public:
  void OnRunStart(int) override { ++calls; }
  void OnCaseStart(const CaseProgress&) override { ++calls; }
  void OnPhase(CasePhase) override { ++calls; }
  void OnSample(const SampleProgress&) override { ++calls; }
  void OnCaseEnd(const CaseProgress&, CaseStatus, double) override { ++calls; }
  int calls = 0;
};

CaseProgress Progress(const std::string& id, int round, int rounds) {
  return testing::CaseRunProgress(id, "cuda:0", round, rounds);
}

TEST(CaseWatchdogTest, ACaseRunPastTheLimitIsOverdueWithItsPhaseAndPlan) {
  testing::FakeWorkload workload("gemm");
  std::vector<PlannedCase> plan = {{&workload, CaseSpec{"gemm", {{"dtype", "bf16"}, {"size", "64"}}}, DeviceFilter::kAny}};
  const std::string id = plan[0].spec.Id();
  double now = 100;
  CountingSink printer;
  CaseWatchdog watchdog(&printer, 30, plan, [&now] { return now; });

  watchdog.OnRunStart(2);
  EXPECT_FALSE(watchdog.Overdue());  // no case running
  watchdog.OnCaseStart(Progress(id, 2, 3));
  now = 120;
  watchdog.OnPhase(CasePhase::kSample);
  SampleProgress s;
  for (s.samples = 1; s.samples <= 7; ++s.samples) {  // a sample every 20 s: 140 s in all, never hung
    now += 20;
    EXPECT_FALSE(watchdog.Overdue());
    watchdog.OnSample(s);
  }
  s.samples = 7;
  now = 260 + 30;
  EXPECT_FALSE(watchdog.Overdue());  // exactly at the limit since the last sample
  now = 290.5;
  const auto hung = watchdog.Overdue();
  ASSERT_TRUE(hung);
  const CaseResult& r = hung->result;
  EXPECT_EQ(r.id, id);
  EXPECT_EQ(r.workload, "gemm");
  EXPECT_EQ(r.params, plan[0].spec.params);
  EXPECT_EQ(r.device, "cuda:0");
  EXPECT_EQ(r.status, CaseStatus::kFailed);
  EXPECT_EQ(r.rounds_planned, 3);
  EXPECT_DOUBLE_EQ(r.wall_time_s, 190.5);  // since the case started
  EXPECT_EQ(r.reason,
            "hung: no progress for 30 s (--hang-timeout) while sampling after 7 sample(s), round 2 of 3: a kernel "
            "that never ends, a lost device or a deadlock; the run stopped here (raise --hang-timeout if one "
            "iteration of the case is only slow)");
  EXPECT_TRUE(watchdog.StillRunning(hung->token));

  watchdog.OnCaseEnd(Progress(id, 2, 3), CaseStatus::kOk, 31);
  EXPECT_FALSE(watchdog.StillRunning(hung->token));  // it ended after all: no longer hung
  EXPECT_FALSE(watchdog.Overdue());
  watchdog.OnCaseStart(Progress(id, 3, 3));  // the next run starts its own clock
  EXPECT_FALSE(watchdog.Overdue());
  EXPECT_FALSE(watchdog.StillRunning(hung->token));
  watchdog.OnPhase(CasePhase::kPrepare);
  now = 400;
  ASSERT_TRUE(watchdog.Overdue());
  EXPECT_NE(watchdog.Overdue()->result.reason.find("while preparing, round 3 of 3:"), std::string::npos)
      << watchdog.Overdue()->result.reason;
  EXPECT_EQ(printer.calls, 13);  // every call went on to the printer
}

TEST(CaseWatchdogTest, WorksWithoutAPrinter) {
  std::vector<PlannedCase> plan;
  double now = 0;
  CaseWatchdog watchdog(nullptr, 1, plan, [&now] { return now; });
  watchdog.OnCaseStart(Progress("x/a=1", 1, 1));
  watchdog.OnPhase(CasePhase::kVerify);
  now = 2;
  const auto hung = watchdog.Overdue();
  ASSERT_TRUE(hung);
  EXPECT_EQ(hung->result.workload, "");  // not in the plan: the id alone
  EXPECT_NE(hung->result.reason.find("while verifying: "), std::string::npos) << hung->result.reason;
}

}  // namespace
}  // namespace gq::cli
