#include "harness/measure/runner.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <utility>

#include "harness/measure/case_metrics.h"
#include "harness/measure/case_status.h"
#include "harness/measure/rank_sync.h"
#include "harness/measure/roofline.h"
#include "harness/case_figure.h"
#include "harness/measure/rounds.h"
#include "harness/measure/run_targets.h"
#include "harness/measure/sampling.h"
#include "harness/stats.h"

namespace gq {
namespace {

using Clock = std::chrono::steady_clock;

bool StopRequested(const RunnerEnv& env) {
  return env.stop != nullptr && env.stop->load(std::memory_order_relaxed);
}

// The SKU of a device (env.specs), or null when unknown. A GPU group (cuda:F-L) has its GPUs'
// SKU when they all share one.
const DeviceSpec* SkuOf(const RunnerEnv& env, const DeviceRef& device) {
  const DeviceSpec* sku = nullptr;
  for (int i = 0; i < device.count; ++i) {
    DeviceRef one = device;
    one.index += i;
    one.count = 1;
    auto it = env.specs.find(one.Name());
    if (it == env.specs.end() || it->second == nullptr) return nullptr;
    if (sku != nullptr && it->second != sku) return nullptr;
    sku = it->second;
  }
  return sku;
}

// The device bandwidth measured earlier in this run on the case's device; none: gbs 0.
MeasuredBandwidth MeasuredOn(const RunnerEnv& env, const std::string& device_label) {
  if (!env.measured_bandwidth) return {};
  auto it = env.measured_bandwidth->find(device_label);
  return it != env.measured_bandwidth->end() ? it->second : MeasuredBandwidth{};
}

// One case on this rank (runner.h), as named steps: Prepare -> warm-up -> samples -> Summarise
// -> Verify -> Judge. Each step's outcome is agreed over ranks before the next; a step that did
// not succeed ends the case with it (Fail), a stop request abandons it (nullopt). `ctx` is null
// when the device could not be opened (`context_error` says why); in a multi-rank run the case
// still takes part in the agreement after Prepare.
class CaseRun {
 public:
  CaseRun(Workload& workload, const CaseSpec& spec, DeviceContext* ctx, const DeviceRef& device,
          const RunnerEnv& env);
  std::optional<CaseResult> Run(const std::string& context_error);

 private:
  std::optional<CaseResult> Measure(const std::string& context_error);
  StepOutcome Prepare(const std::string& context_error);
  void KeepSamples(SampleSet& samples);
  StepOutcome Summarise(TelemetryScope& telemetry);
  void GatherRankFigures(const std::vector<double>& own_samples_s);
  StepOutcome Verify();
  CaseResult Judge();
  CaseResult Finish(CaseStatus status, std::string reason);
  CaseResult Fail(const StepOutcome& outcome);

  Workload& workload_;
  const CaseSpec& spec_;
  DeviceContext* ctx_;
  const RunnerEnv& env_;
  RankSync sync_;
  const Clock::time_point wall_start_;
  const std::vector<MetricSpec> metrics_;  // primary first
  std::string declared_primary_;            // the case's primary metric as the workload names it
  std::unique_ptr<PreparedCase> prepared_;
  std::unique_ptr<Timer> timer_;
  CaseEvidence evidence_;  // gathered along the steps for Judge
  CaseResult r_;
};

CaseRun::CaseRun(Workload& workload, const CaseSpec& spec, DeviceContext* ctx,
                 const DeviceRef& device, const RunnerEnv& env)
    : workload_(workload),
      spec_(spec),
      ctx_(ctx),
      env_(env),
      sync_(env.comm),
      wall_start_(Clock::now()),
      metrics_(workload.Metrics()) {
  r_.id = spec.Id();
  r_.workload = workload.Name();
  r_.params = spec.params;
  r_.device = sync_.DeviceLabel(device);
  r_.primary_metric = workload.PrimaryMetricFor(spec);
  if (r_.primary_metric.empty()) r_.primary_metric = metrics_.empty() ? "" : metrics_.front().name;
  declared_primary_ = r_.primary_metric;  // Summarise may show algbw for a collective on one rank
}

std::optional<CaseResult> CaseRun::Run(const std::string& context_error) {
  try {
    return Measure(context_error);
  } catch (const std::exception& e) {  // not from a step (e.g. the communicator): this rank only
    r_.metrics.clear();
    return Finish(CaseStatus::kFailed, e.what());
  }
}

std::optional<CaseResult> CaseRun::Measure(const std::string& context_error) {
  if (env_.progress != nullptr) env_.progress->OnPhase(CasePhase::kPrepare);
  if (StepOutcome o = sync_.Agree(Prepare(context_error)); !o.ok()) return Fail(o);

  Sampler sampler(*prepared_, *ctx_, *timer_, sync_, env_.measure, env_.stop, env_.progress);
  const WarmUpResult warm = sampler.WarmUp();
  if (warm.stopped) return std::nullopt;
  if (!warm.outcome.ok()) return Fail(warm.outcome);
  r_.iterations_per_sample = warm.iterations_per_sample;

  TelemetryScope telemetry(env_.telemetry, ctx_->device());  // over the timed samples only
  SampleSet samples = sampler.TakeSamples(r_.iterations_per_sample);
  if (samples.stopped) return std::nullopt;
  KeepSamples(samples);
  if (!samples.outcome.ok()) return Fail(samples.outcome);

  if (StepOutcome o = sync_.Agree(Summarise(telemetry)); !o.ok()) return Fail(o);
  GatherRankFigures(samples.own_samples_s);

  if (env_.measure.verify) {
    if (env_.progress != nullptr) env_.progress->OnPhase(CasePhase::kVerify);
    if (StepOutcome o = Verify(); !o.ok()) return Fail(o);
  }
  return Judge();
}

// Step 1: the case's inputs, its work counts and a timer; agreed by the caller.
StepOutcome CaseRun::Prepare(const std::string& context_error) {
  if (ctx_ == nullptr) return {CaseStatus::kFailed, context_error};
  return TryStep([&] {
    prepared_ = workload_.Prepare(spec_, *ctx_);
    r_.work = prepared_->GetWork();
    timer_ = ctx_->MakeTimer();
  });
}

// The agreed samples go to the result even when sampling failed part-way.
void CaseRun::KeepSamples(SampleSet& samples) {
  r_.samples_s = std::move(samples.samples_s);
  r_.phase_samples_s = std::move(samples.phase_samples_s);
  evidence_.stopping = samples.verdict;
}

// Summaries of this rank's data (metrics, energy, details), agreed by the caller before anything
// else talks to the other ranks.
StepOutcome CaseRun::Summarise(TelemetryScope& telemetry) {
  return TryStep([&] {
    r_.telemetry = telemetry.End();
    FillMetrics(r_, metrics_);
    r_.primary_metric = FigureMetric(r_);  // algbw for a collective on one rank (busbw undefined)
    r_.rounds_planned = env_.measure.repetitions;
    if (!r_.samples_s.empty()) r_.round_medians_s = {Median(r_.PerIterationSeconds())};
    // Energy per unit of work needs every GPU's energy; under MPI only rank 0's GPU is sampled
    // (its telemetry still explains throttling), so no energy rate is given there.
    if (r_.telemetry && !sync_.multi()) {
      const int64_t iterations =
          static_cast<int64_t>(r_.samples_s.size()) * r_.iterations_per_sample;
      AppendEnergyMetrics(*r_.telemetry, r_.work, iterations, r_.metrics);
    }
    r_.details = prepared_->Details();
    if (std::string note = timer_->Note(); !note.empty()) r_.details["timer"] = note;
  });
}

// Multi-rank: every rank's own median per iteration to rank 0, and the straggler if any.
void CaseRun::GatherRankFigures(const std::vector<double>& own_samples_s) {
  if (!sync_.multi()) return;
  const double own_median = Median(own_samples_s) / static_cast<double>(r_.iterations_per_sample);
  r_.ranks = sync_.GatherFigures(ctx_->device().Name(), own_median);
  r_.straggler = FindStraggler(r_.ranks, env_.straggler_threshold);
}

// Step 5 on every rank, agreed; returns the outcome of calling Verify (its verdict is judged).
StepOutcome CaseRun::Verify() {
  VerifyReport report;
  report.outcome = TryStep([&] { report.result = prepared_->Verify(); });
  evidence_.verification = sync_.AgreeVerification(report);
  evidence_.own_verification = report.result;
  return evidence_.verification->outcome;
}

// Step 6: verification, roofline and noise decide the status (case_status.h).
CaseResult CaseRun::Judge() {
  evidence_.ranks = sync_.size();
  // The roofline of the case's primary metric (e2e prefill: prefill_tok_s), which its figure is.
  evidence_.primary = nullptr;
  for (const MetricSpec& m : metrics_) {
    if (m.name == declared_primary_) evidence_.primary = &m;
  }
  evidence_.sku = SkuOf(env_, ctx_->device());
  evidence_.measured = MeasuredOn(env_, r_.device);
  evidence_.max_noise = env_.measure.max_noise;
  evidence_.max_time_s = env_.measure.max_time_s;
  const Judgement judgement = JudgeCase(r_, evidence_);
  CaseResult done = Finish(judgement.status, judgement.reason);
  if (judgement.ok() && env_.measured_bandwidth) {
    NoteMeasuredBandwidth(done, *env_.measured_bandwidth);
  }
  return done;
}

CaseResult CaseRun::Finish(CaseStatus status, std::string reason) {
  r_.status = status;
  r_.reason = std::move(reason);
  r_.wall_time_s = std::chrono::duration<double>(Clock::now() - wall_start_).count();
  return r_;
}

// A step that did not succeed: a failed case keeps no figures.
CaseResult CaseRun::Fail(const StepOutcome& outcome) {
  if (outcome.status == CaseStatus::kFailed) r_.metrics.clear();
  return Finish(outcome.status, outcome.reason);
}

// A case whose device could not be opened (single process: nothing to agree on).
CaseResult ContextFailure(const PlannedCase& planned, const DeviceRef& device, const std::string& error, int rounds) {
  CaseResult r;
  r.id = planned.spec.Id();
  r.workload = planned.workload->Name();
  r.params = planned.spec.params;
  r.device = device.Name();
  r.status = CaseStatus::kFailed;
  r.reason = error;
  r.rounds_planned = rounds;
  return r;
}

}  // namespace

std::optional<CaseResult> RunCase(Workload& workload, const CaseSpec& spec, DeviceContext& ctx,
                                  const RunnerEnv& env) {
  return CaseRun(workload, spec, &ctx, ctx.device(), env).Run("");
}

// The rounds (MeasureOptions::repetitions) go round-robin: round r of every case on every target
// before round r + 1 of any. Device contexts stay open across rounds. After each round of a case
// the sink gets the case merged over its rounds so far (rounds.h); a case that failed or was
// skipped takes no further rounds.
bool RunAll(const std::vector<PlannedCase>& cases, const std::vector<DeviceRef>& devices,
            const RunnerEnv& env, CaseSink& sink) {
  RankSync sync(env.comm);
  const std::vector<RunTarget> targets = PlanTargets(cases, devices);
  std::vector<std::unique_ptr<DeviceContext>> contexts(targets.size());
  std::vector<std::string> context_errors(targets.size());
  for (std::size_t t = 0; t < targets.size(); ++t) {
    try {
      contexts[t] = env.make_context(targets[t].device);
    } catch (const std::exception& e) {
      context_errors[t] = std::string("cannot open device ") + targets[t].device.Name() + ": " + e.what();
    }
  }
  std::vector<std::vector<std::vector<CaseResult>>> rounds(targets.size());  // [target][case][round]
  const int repetitions = std::max(1, env.measure.repetitions);
  CaseProgress progress;
  progress.rounds = repetitions;
  progress.max_noise = env.measure.max_noise;
  progress.max_time_s = env.measure.max_time_s;
  for (std::size_t t = 0; t < targets.size(); ++t) {
    rounds[t].resize(targets[t].cases.size());
    progress.total += static_cast<int>(targets[t].cases.size()) * repetitions;
  }
  if (env.progress != nullptr) env.progress->OnRunStart(progress.total);
  for (int round = 0; round < repetitions; ++round) {
    for (std::size_t t = 0; t < targets.size(); ++t) {
      for (std::size_t i = 0; i < targets[t].cases.size(); ++i) {
        std::vector<CaseResult>& done = rounds[t][i];
        if (!done.empty() && (done.back().status == CaseStatus::kFailed || done.back().status == CaseStatus::kSkipped)) continue;
        if (sync.Any(StopRequested(env))) return false;
        const PlannedCase& planned = *targets[t].cases[i];
        ++progress.index;
        progress.round = round + 1;
        progress.id = planned.spec.Id();
        progress.device = sync.DeviceLabel(targets[t].device);
        if (env.progress != nullptr) env.progress->OnCaseStart(progress);
        std::optional<CaseResult> result =
            !contexts[t] && !sync.multi()
                ? ContextFailure(planned, targets[t].device, context_errors[t], env.measure.repetitions)
                : CaseRun(*planned.workload, planned.spec, contexts[t].get(), targets[t].device, env).Run(context_errors[t]);
        if (!result) return false;
        if (result->status == CaseStatus::kFailed || result->status == CaseStatus::kSkipped) {
          progress.total -= repetitions - progress.round;  // no further rounds for this case
        }
        if (env.progress != nullptr) env.progress->OnCaseEnd(progress, result->status, result->wall_time_s);
        done.push_back(std::move(*result));
        sink.OnCaseDone(MergeRounds(done, env.measure.max_noise));
      }
    }
  }
  return !StopRequested(env);
}

}  // namespace gq
