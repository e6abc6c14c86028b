#pragma once
// The case watchdog of `gpuqual run --case-timeout S`: a case run (one round of one case: its
// preparation, warm-up, samples and verification) still going after S seconds is taken as hung (a
// kernel that never ends, a lost GPU, a deadlocked collective), and the run stops there with that
// case failed and saying so, instead of waiting for ever or for a CI job's kill, which names
// nothing.
//
// CaseWatchdog is a ProgressSink (harness/progress_sink.h) put in front of the run's progress
// printer (`inner`, may be null; every call is forwarded to it): it notes which case runs, since
// when, in which phase and with how many samples. The runner's thread calls it as a ProgressSink;
// the watching thread (app/prompt_stop.h) calls Overdue and StillRunning; one mutex guards both.
//   Overdue()          the hung case when the running one has passed the limit: a failed
//                      CaseResult (workload and params from the plan, the reason in words: limit,
//                      phase, samples so far) and the token of that case run; nullopt otherwise
//   StillRunning(t)    whether case run t has not ended since
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

  double limit_s() const { return limit_s_; }
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
  double started_s_ = 0;
};

}  // namespace gq::cli
