#include "harness/measure/sampling.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>
#include <utility>

#include "harness/measure/case_metrics.h"
#include "harness/number_text.h"
#include "harness/stats.h"

namespace gq {
namespace {

// Warm-up batches the timer may give 0 s in a row before the case fails.
constexpr int kMaxUntimedBatches = 1000;

}  // namespace

int64_t IterationsPerSample(double per_iteration_s, double min_sample_time_s) {
  if (!(per_iteration_s > 0)) return 1;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(min_sample_time_s / per_iteration_s)));
}

Sampler::Sampler(PreparedCase& prepared, DeviceContext& ctx, Timer& timer, RankSync& sync,
                 const MeasureOptions& options, const std::atomic<bool>* stop,
                 ProgressSink* progress)
    : prepared_(prepared),
      ctx_(ctx),
      timer_(timer),
      sync_(sync),
      options_(options),
      stop_(stop),
      progress_(progress) {}

bool Sampler::StopRequested() const {
  return stop_ != nullptr && stop_->load(std::memory_order_relaxed);
}

Sampler::Batch Sampler::RunBatch(int64_t iterations, bool take_phases) {
  BatchReport report;
  report.stop = StopRequested();
  Batch b;
  if (report.stop && !sync_.multi()) {
    b.agreed.stop = true;
    return b;
  }
  // Between iterations a stop needs no more than one; not with ranks, whose iterations may be
  // collectives every rank must enter (they stop together after the batch).
  const bool stop_inside = !sync_.multi();
  report.outcome = TryStep([&] {
    timer_.Start();
    for (int64_t i = 0; i < iterations; ++i) {
      if (stop_inside && StopRequested()) {
        report.stop = true;
        break;
      }
      prepared_.Run(ctx_.stream());
    }
    report.seconds = timer_.StopSeconds();
    if (report.stop || !take_phases) return;
    report.phases = prepared_.PhaseSeconds();  // after the timer stopped: outside the timed region
    if (std::string bad = CheckPhaseSeconds(report.phases); !bad.empty()) {
      throw std::runtime_error(bad);
    }
  });
  b.own_s = report.seconds;
  b.agreed = sync_.AgreeBatch(report);
  if (!b.agreed.stop && b.agreed.outcome.ok() && !b.agreed.same_phase_names) {
    b.agreed.outcome =
        StepOutcome{CaseStatus::kFailed, "the ranks' PhaseSeconds name different phases"};
  }
  return b;
}

WarmUpResult Sampler::WarmUp() {
  if (progress_ != nullptr) progress_->OnPhase(CasePhase::kWarmUp);
  WarmUpResult out;
  auto ended = [&out](const Batch& b) {
    out.stopped = b.agreed.stop;
    out.outcome = b.agreed.outcome;
    return out.stopped || !out.outcome.ok();
  };
  Batch last = RunBatch(1, false);
  if (ended(last)) return out;
  double elapsed = last.agreed.slowest_s;
  double per_iteration = last.agreed.slowest_s;
  double fastest = -1;  // the fastest time per iteration of a batch after the first (cold) one
  int64_t batch = 1;
  int untimed = 0;  // consecutive batches the timer gave no time (agreed: every rank counts alike)
  while (elapsed < options_.warmup_time_s) {
    last = RunBatch(batch, false);
    if (ended(last)) return out;
    const double t = last.agreed.slowest_s;
    if (!(t > 0) || !std::isfinite(t)) {  // a broken timer must not warm up forever
      const bool zero = t == 0;
      if (!zero || ++untimed >= kMaxUntimedBatches) {
        const std::string what = zero ? "0 s for " + std::to_string(kMaxUntimedBatches) + " batches running"
                                      : NumberText("%g", t) + " s for a batch";
        out.outcome = StepOutcome{CaseStatus::kFailed, "warm-up: the timer gave " + what + " of " +
                                                           std::to_string(batch) + " iteration(s): the timing is broken"};
        return out;
      }
      continue;
    }
    untimed = 0;
    elapsed += last.agreed.slowest_s;
    per_iteration = last.agreed.slowest_s / static_cast<double>(batch);
    if (per_iteration > 0 && (fastest < 0 || per_iteration < fastest)) fastest = per_iteration;
    // Grow the batch, at most doubling, up to one timed sample's size: a larger batch would not
    // fit a held CUDA stream's launch queue (about 1000 launches), and the hold's timeout would
    // leave the case's timed samples unheld (harness/gpu/cuda_event_timer.cu).
    if (per_iteration > 0) {
      batch = std::min(2 * batch, IterationsPerSample(per_iteration, options_.min_sample_time_s));
    }
  }
  // Sized by the fastest batch: one slow batch (a neighbour's load, a clock ramp) would otherwise
  // make every sample shorter than min_sample_time_s.
  out.iterations_per_sample = IterationsPerSample(fastest > 0 ? fastest : per_iteration, options_.min_sample_time_s);
  return out;
}

void Sampler::SampleUntilVerdict(int64_t iterations_per_sample, StoppingRule& rule,
                                 SampleSet& set) {
  while (true) {
    Batch b = RunBatch(iterations_per_sample, true);
    set.stopped = b.agreed.stop;
    set.outcome = b.agreed.outcome;
    if (set.stopped || !set.outcome.ok()) return;
    set.own_samples_s.push_back(b.own_s);
    rule.Add(b.agreed.slowest_s);
    // Agreed data: every rank takes the same decision.
    const std::string bad =
        AppendPhaseSample(set.phase_samples_s, rule.samples().size(), b.agreed.phases);
    if (!bad.empty()) {
      set.outcome = StepOutcome{CaseStatus::kFailed, bad};
      return;
    }
    if (progress_ != nullptr) ReportSample(rule);
    if (std::optional<StopVerdict> verdict = rule.Check()) {
      set.verdict = *verdict;
      return;
    }
  }
}

// Progress after a sample; the noise (O(n) in the samples) at most every kNoiseRefreshS.
void Sampler::ReportSample(const StoppingRule& rule) {
  shown_.samples = static_cast<int64_t>(rule.samples().size());
  shown_.sampled_s = rule.sampled_s();
  const auto now = std::chrono::steady_clock::now();
  if (shown_.samples >= 2 && now - noise_at_ >= std::chrono::duration<double>(kNoiseRefreshS)) {
    noise_at_ = now;
    try {
      shown_.noise = RelativeMedianNoise(rule.samples());
    } catch (const std::exception&) {  // a NaN sample: the stopping rule reports it
    }
  }
  progress_->OnSample(shown_);
}

SampleSet Sampler::TakeSamples(int64_t iterations_per_sample) {
  if (progress_ != nullptr) progress_->OnPhase(CasePhase::kSample);
  SampleSet set;
  StoppingRule rule(options_);
  try {
    SampleUntilVerdict(iterations_per_sample, rule, set);
  } catch (const std::exception& e) {  // not from a batch's step: recorded like the runner does
    set.outcome = StepOutcome{CaseStatus::kFailed, e.what()};
  }
  set.samples_s = rule.samples();
  return set;
}

}  // namespace gq
