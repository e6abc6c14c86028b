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
#include <functional>
#include <thread>
#include <vector>

#include "tests/unit/case_progress.h"

namespace gq::cli {
namespace {

// Writes every case it gets to stderr, where the death test reads it.
class PrintingSink final : public CaseSink {
 public:
  void OnCaseDone(const CaseResult& r) override {
    std::fprintf(stderr, "recorded %s %s (round %d of %d, %zu round median(s)): %s\n", r.id.c_str(),
                 CaseStatusName(r.status), r.rounds_done, r.rounds_planned, r.round_medians_s.size(), r.reason.c_str());
    ++cases;
  }
  int cases = 0;
};

CaseProgress Progress(const std::string& id, int round = 1, int rounds = 1) {
  return testing::CaseRunProgress(id, "cpu", round, rounds);
}

// The case as the runner hands it over after `rounds` rounds of `planned`: merged, one median each.
CaseResult Done(const std::string& id, int rounds = 1, int planned = 1) {
  CaseResult r;
  r.id = id;
  r.device = "cpu";
  r.status = CaseStatus::kOk;
  r.rounds_done = rounds;
  r.rounds_planned = planned;
  r.round_medians_s.assign(rounds, 0.5);
  return r;
}

// A watched run: the stop flag, a watchdog with a 5 s limit on a clock the test sets, a printing
// sink, and the watch, declared last (destroyed first: it may end the process).
struct Watched {
  explicit Watched(double grace_s = 1.0) : watch(stop, false, grace_s, &watchdog) {}
  bool Run(const std::function<bool(CaseSink& gated)>& work) { return watch.Run(sink, work); }

  std::atomic<bool> stop{false};
  std::atomic<double> now{0};
  const std::vector<PlannedCase> plan;
  CaseWatchdog watchdog{nullptr, 5, plan, [this] { return now.load(); }};
  PrintingSink sink;
  PromptStop watch;
};

TEST(PromptStopTest, ARunThatEndsByItselfKeepsItsResultAndIsNotHung) {
  Watched w;
  const bool finished = w.Run([&](CaseSink& gated) {
    for (const char* id : {"a/x=1", "a/x=2"}) {
      w.watchdog.OnCaseStart(Progress(id));
      w.now = w.now + 4;  // under the limit each
      w.watchdog.OnCaseEnd(Progress(id), CaseStatus::kOk, 4);
      gated.OnCaseDone(Done(id));
    }
    return true;
  });
  EXPECT_TRUE(finished);
  EXPECT_FALSE(w.watch.hung());
  EXPECT_FALSE(w.watch.abandoned());
  EXPECT_EQ(w.sink.cases, 2);
}

TEST(PromptStopDeathTest, AHungCaseIsRecordedFailedAndTheProcessEndsWithOne) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        Watched w;
        w.Run([&](CaseSink& gated) {
          w.watchdog.OnCaseStart(Progress("a/x=1"));
          w.now = 4;
          w.watchdog.OnCaseEnd(Progress("a/x=1"), CaseStatus::kOk, 4);
          gated.OnCaseDone(Done("a/x=1"));
          w.watchdog.OnCaseStart(Progress("a/x=2"));
          w.now = 10;  // no progress for 6 s: hung
          for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
          return true;
        });
        std::fprintf(stderr, "Run returned: hung %d\n", w.watch.hung());
      },  // ~PromptStop ends the process
      ::testing::ExitedWithCode(1),
      "recorded a/x=1 ok \\(round 1 of 1, 1 round median\\(s\\)\\): \n"
      ".*recorded a/x=2 failed \\(round 1 of 1, 0 round median\\(s\\)\\): hung: no progress for 5 s "
      "\\(--hang-timeout\\) while preparing"
      ".*\n.*Run returned: hung 1");
}

// --repetitions 3: both cases finish round 1 and round 2; a/x=2 hangs in round 3. Its failed
// record keeps the two medians of its earlier rounds; a/x=1's rounds are its own.
TEST(PromptStopDeathTest, AHangInALaterRoundKeepsTheMediansOfTheRoundsBefore) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        Watched w;
        w.Run([&](CaseSink& gated) {
          for (int round = 1; round <= 2; ++round) {
            for (const char* id : {"a/x=1", "a/x=2"}) {
              w.watchdog.OnCaseStart(Progress(id, round, 3));
              w.now = w.now + 1;
              w.watchdog.OnCaseEnd(Progress(id, round, 3), CaseStatus::kOk, 1);
              gated.OnCaseDone(Done(id, round, 3));
            }
          }
          w.watchdog.OnCaseStart(Progress("a/x=1", 3, 3));
          w.watchdog.OnCaseEnd(Progress("a/x=1", 3, 3), CaseStatus::kOk, 1);
          gated.OnCaseDone(Done("a/x=1", 3, 3));
          w.watchdog.OnCaseStart(Progress("a/x=2", 3, 3));
          w.now = w.now + 6;
          for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
          return true;
        });
      },
      ::testing::ExitedWithCode(1),
      "recorded a/x=1 ok \\(round 3 of 3, 3 round median\\(s\\)\\)"
      ".*\n.*recorded a/x=2 failed \\(round 3 of 3, 2 round median\\(s\\)\\): hung: .*round 3 of 3");
}

TEST(PromptStopDeathTest, AStopRequestStillEndsWith130) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        Watched w(0.1);  // the clock stands still: never hung
        w.Run([&](CaseSink&) {
          w.watchdog.OnCaseStart(Progress("a/x=1"));
          w.stop = true;
          for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
          return true;
        });
      },
      ::testing::ExitedWithCode(130), "");
}

}  // namespace
}  // namespace gq::cli
