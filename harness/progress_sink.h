#pragma once
// Where the runner (harness/measure/runner.h) reports how a run is going, as plain data, for a
// printer to show while cases run (harness/record/progress_printer.h). The runner never formats;
// a null ProgressSink* (the default in RunnerEnv) means no progress is reported.
//
// Calls come from the thread that runs the cases, in this order: OnRunStart once; then, for every
// case run (one round of one case on one device target), OnCaseStart, OnPhase as the case moves
// through its steps, OnSample after every timed sample, and OnCaseEnd when the case has a result
// (before the CaseSink gets it).
// A case abandoned by a stop request gets no OnCaseEnd. Implementations must be cheap and must not
// throw; they may be called from another thread than the one that made them.
#include <cstdint>
#include <limits>
#include <string>

#include "harness/results.h"

namespace gq {

struct CaseProgress {
  std::string id, device;
  int index = 0;  // 1-based position of this case run in the run
  int total = 0;  // case runs planned so far (cases x rounds, less rounds a failed or skipped case
                  // will not take)
  int round = 1, rounds = 1;
  double max_noise = 0;   // the noise target (relative half-width of the median's 95% CI)
  double max_time_s = 0;  // sampling stops here even above the target
};

enum class CasePhase { kPrepare, kWarmUp, kSample, kVerify };

struct SampleProgress {
  int64_t samples = 0;   // timed samples so far
  double sampled_s = 0;  // their seconds
  // Relative half-width of the median's 95% CI over the samples so far (RelativeMedianNoise,
  // harness/stats.h); NaN when not yet known (fewer than two samples). Recomputed at most every
  // kNoiseRefreshS of wall time, so it may lag a few samples behind.
  double noise = std::numeric_limits<double>::quiet_NaN();
};

inline constexpr double kNoiseRefreshS = 0.2;

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnRunStart(int case_runs) = 0;
  virtual void OnCaseStart(const CaseProgress& c) = 0;
  virtual void OnPhase(CasePhase phase) = 0;
  virtual void OnSample(const SampleProgress& s) = 0;
  virtual void OnCaseEnd(const CaseProgress& c, CaseStatus status, double wall_time_s) = 0;
};

}  // namespace gq
