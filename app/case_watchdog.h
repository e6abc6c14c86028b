#pragma once
// The hang watchdog of `gpuqual run --hang-timeout S`: a case run (one round of one case) that
// shows no progress for S seconds (no new phase: preparation, warm-up, samples, verification; no
// new sample) is taken as hung (a kernel that never ends, a lost GPU, a deadlocked collective),
// and the run stops there with that case failed and saying so, instead of waiting for ever or for
// a CI job's kill, which names nothing. A long case that keeps taking samples is not hung; one
// iteration (one warm-up batch or sample) longer than S is.
//
// CaseWatchdog is a ProgressSink (harness/progress_sink.h) put in front of the run's progress
// printer (`inner`, may be null; every call is forwarded to it): it notes which case runs, since
// when, in which phase, with how many samples and when it last moved on. The runner's thread calls
// it as a ProgressSink; the watching thread (app/prompt_stop.h) calls Overdue and StillRunning;
// one mutex guards both.
//   Overdue()          the hung case when the running one has shown no progress for longer than
//                      the limit: a failed CaseResult (workload and params from the plan, the
//                      reason in words: limit, phase, samples, round) and the token of that case
//                      run; nullopt otherwise
//   StillRunning(t)    whether case run t has not ended since
// A hang in round k of --repetitions is that case's failed round k (rounds_done = k); the gate
// that hands it over (app/prompt_stop.h) gives it the medians of the rounds before, as
// MergeRounds does for any failed round.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/measure/runner.h"
#include "harness/progress_sink.h"

namespace gq::cli {

class CaseWatchdog final : public ProgressSink {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic

  // limit_s > 0. `plan` outlives the watchdog.
  CaseWatchdog(ProgressSink* inner, double limit_s, const std::vector<PlannedCase>& plan,
               Clock clock = SteadySeconds);

  void OnRunStart(int case_runs) override;
  void OnCaseStart(const CaseProgress& c) override;
  void OnPhase(CasePhase phase) override;
  void OnSample(const SampleProgress& s) override;
  void OnCaseEnd(const CaseProgress& c, CaseStatus status, double wall_time_s) override;

  struct Hung {
    CaseResult result;
    int64_t token = 0;
  };
  std::optional<Hung> Overdue() const;
  bool StillRunning(int64_t token) const;

  static double SteadySeconds();

 private:
  ProgressSink* inner_;
  const double limit_s_;
  const std::vector<PlannedCase>& plan_;
  Clock clock_;
  mutable std::mutex mu_;
  bool running_ = false;
  int64_t token_ = 0;  // counts case runs
  CaseProgress current_;
  CasePhase phase_ = CasePhase::kPrepare;
  int64_t samples_ = 0;
  double started_s_ = 0;   // the case run's start
  double progress_s_ = 0;  // its last start, phase or sample
};

}  // namespace gq::cli
