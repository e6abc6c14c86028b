#pragma once
// Warm-up and timed samples of one prepared case (runner.h steps 2-4), every batch agreed over
// ranks (RankSync::AgreeBatch), as plain data for the runner to summarise and judge.
//
// A batch is `iterations` back-to-back PreparedCase::Run calls between Timer::Start and
// StopSeconds. After its timed region the ranks agree on it: its time is the slowest rank's; a
// failure, skip or stop request on any rank is seen by all; timed samples (never warm-up batches)
// also take the case's PhaseSeconds (checked finite and > 0), each phase the slowest rank's, and
// ranks naming different phases fail the case. Alone, the stop flag is read before every
// iteration (a relaxed atomic load, inside the timed region but far below a sample's 1 ms): a
// stop request ends the batch after the iteration in progress, so a run stops within one
// iteration, not one sample or a whole warm-up; the stopped batch's time is never used. With
// ranks (whose iterations may be collectives every rank must enter) a stop request is agreed
// after the batch, all together.
// With a ProgressSink, the sampler reports OnPhase(kWarmUp), OnPhase(kSample) and OnSample after
// every sample, with the noise recomputed at most every kNoiseRefreshS (harness/progress_sink.h).
//
// WarmUp: one iteration, then batches of 1, 2, 4, ... iterations (doubling while the time per
// iteration t of the last batch is > 0, never beyond IterationsPerSample(t, ...): no warm-up
// batch outgrows a timed sample, so each fits a held CUDA stream's launch queue as the samples
// do) until the agreed batch times sum to warmup_time_s; the fastest time per iteration of those
// batches (the first, cold, one left out unless it is alone) gives t_min, and
// iterations_per_sample = IterationsPerSample(t_min, ...), so no sample of the steady state is
// shorter than min_sample_time_s because one warm-up batch was slow.
// TakeSamples: samples of iterations_per_sample iterations until the StoppingRule
// (stopping_rule.h) gives its verdict; each sample's PhaseSeconds are appended as
// case_metrics.h's AppendPhaseSample does (the first sample fixes the names).
// Either ends early on a stop request (stopped), or on a batch that did not succeed or a bad
// phase sample (outcome not ok; the samples so far, the failing one included, are kept).
// TakeSamples also ends as failed, keeping its samples, on an exception outside a batch (the
// communicator; the stopping rule on a NaN time), with the exception's message.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/measure/rank_sync.h"
#include "harness/measure/stopping_rule.h"
#include "harness/options.h"
#include "harness/progress_sink.h"
#include "harness/workload.h"

namespace gq {

struct WarmUpResult {
  bool stopped = false;               // a stop was requested: the case is abandoned
  StepOutcome outcome;                // agreed; not ok: the case ends with it
  int64_t iterations_per_sample = 0;  // set when the warm-up succeeded
};

struct SampleSet {
  bool stopped = false;               // a stop was requested: the case is abandoned
  StepOutcome outcome;                // agreed; not ok: the case ends with it
  std::vector<double> samples_s;      // agreed (slowest rank's) seconds per sample
  std::vector<double> own_samples_s;  // this rank's seconds per sample, aligned with samples_s
  std::map<std::string, std::vector<double>> phase_samples_s;  // as CaseResult::phase_samples_s
  StopVerdict verdict;  // when sampling ran to the stopping rule's end
};

// ceil(min_sample_time_s / per_iteration_s), at least 1; 1 when per_iteration_s is not > 0.
int64_t IterationsPerSample(double per_iteration_s, double min_sample_time_s);

class Sampler {
 public:
  // The references must outlive the sampler (options are copied); `stop` and `progress` may be
  // null.
  Sampler(PreparedCase& prepared, DeviceContext& ctx, Timer& timer, RankSync& sync,
          const MeasureOptions& options, const std::atomic<bool>* stop,
          ProgressSink* progress = nullptr);

  WarmUpResult WarmUp();
  SampleSet TakeSamples(int64_t iterations_per_sample);

 private:
  struct Batch {
    double own_s = 0;  // this rank's time
    AgreedBatch agreed;
  };
  bool StopRequested() const;
  Batch RunBatch(int64_t iterations, bool take_phases);
  void SampleUntilVerdict(int64_t iterations_per_sample, StoppingRule& rule, SampleSet& set);
  void ReportSample(const StoppingRule& rule);

  PreparedCase& prepared_;
  DeviceContext& ctx_;
  Timer& timer_;
  RankSync& sync_;
  const MeasureOptions options_;
  const std::atomic<bool>* stop_;
  ProgressSink* progress_;
  SampleProgress shown_;                      // the last progress reported
  std::chrono::steady_clock::time_point noise_at_{};  // when shown_.noise was computed
};

}  // namespace gq
