// The watch over a run's cases (app/prompt_stop.h) with the hang watchdog (app/case_watchdog.h)
// on a controlled clock: a run that ends by itself returns its result and nothing is hung; a case
// without progress past the limit is handed to the sink as failed, the gate closes and the process
// ends with exit code 1 (a death test: the hung worker cannot be joined); a stop request still
// ends with 130.
#include "app/prompt_stop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

namespace gq::cli {
namespace {

// Writes every case it gets to stderr, where the death test reads it.
class PrintingSink final : public CaseSink {
 public:
  void OnCaseDone(const CaseResult& r) override {
    std::fprintf(stderr, "recorded %s %s: %s\n", r.id.c_str(), CaseStatusName(r.status), r.reason.c_str());
    ++cases;
  }
  int cases = 0;
};

CaseProgress Progress(const std::string& id) {
  CaseProgress c;
  c.id = id;
  c.device = "cpu";
  return c;
}

CaseResult Done(const std::string& id) {
  CaseResult r;
  r.id = id;
  r.status = CaseStatus::kOk;
  return r;
}

TEST(PromptStopTest, ARunThatEndsByItselfKeepsItsResultAndIsNotHung) {
  std::atomic<bool> stop{false};
  std::atomic<double> now{0};
  const std::vector<PlannedCase> plan;
  CaseWatchdog watchdog(nullptr, 5, plan, [&now] { return now.load(); });
  PrintingSink sink;
  PromptStop watch(stop, false, 1.0, &watchdog);
  const bool finished = watch.Run(sink, [&](CaseSink& gated) {
    for (const char* id : {"a/x=1", "a/x=2"}) {
      watchdog.OnCaseStart(Progress(id));
      now = now + 4;  // under the limit each
      watchdog.OnCaseEnd(Progress(id), CaseStatus::kOk, 4);
      gated.OnCaseDone(Done(id));
    }
    return true;
  });
  EXPECT_TRUE(finished);
  EXPECT_FALSE(watch.hung());
  EXPECT_FALSE(watch.abandoned());
  EXPECT_EQ(sink.cases, 2);
}

TEST(PromptStopDeathTest, AHungCaseIsRecordedFailedAndTheProcessEndsWithOne) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        std::atomic<bool> stop{false};
        std::atomic<double> now{0};
        const std::vector<PlannedCase> plan;
        CaseWatchdog watchdog(nullptr, 5, plan, [&now] { return now.load(); });
        PrintingSink sink;
        PromptStop watch(stop, false, 1.0, &watchdog);
        watch.Run(sink, [&](CaseSink& gated) {
          watchdog.OnCaseStart(Progress("a/x=1"));
          now = 4;
          watchdog.OnCaseEnd(Progress("a/x=1"), CaseStatus::kOk, 4);
          gated.OnCaseDone(Done("a/x=1"));
          watchdog.OnCaseStart(Progress("a/x=2"));
          now = 10;  // no progress for 6 s: hung
          for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
          return true;
        });
        std::fprintf(stderr, "Run returned: hung %d\n", watch.hung());
      },  // ~PromptStop ends the process
      ::testing::ExitedWithCode(1),
      "recorded a/x=1 ok: \n.*recorded a/x=2 failed: hung: no progress for 5 s \\(--hang-timeout\\) while preparing"
      ".*\n.*Run returned: hung 1");
}

TEST(PromptStopDeathTest, AStopRequestStillEndsWith130) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        std::atomic<bool> stop{false};
        const std::vector<PlannedCase> plan;
        CaseWatchdog watchdog(nullptr, 1000, plan);
        PrintingSink sink;
        PromptStop watch(stop, false, 0.1, &watchdog);
        watch.Run(sink, [&](CaseSink&) {
          watchdog.OnCaseStart(Progress("a/x=1"));
          stop = true;
          for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
          return true;
        });
      },
      ::testing::ExitedWithCode(130), "");
}

}  // namespace
}  // namespace gq::cli
