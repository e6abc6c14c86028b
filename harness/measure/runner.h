#pragma once
// The runner: for each device and case, Prepare -> warm-up -> timed samples -> Verify -> summary.
// It measures and decides the case status; it never formats or writes files (a CaseSink does).
// runner.cc reads as those steps; the parts live beside it: sampling.h (warm-up and samples),
// stopping_rule.h, case_metrics.h (figures), case_status.h (verification, roofline, noise ->
// status), rank_sync.h (agreement over ranks).
//
// Per case:
//  1. Prepare. CaseSkipped -> status skipped; any other exception -> failed (the run goes on).
//  2. Warm-up (sampling.h): one iteration, then batches of doubling size until warmup_time_s has
//     passed; the last batch gives the time per iteration t.
//  3. iterations_per_sample = ceil(min_sample_time_s / t) (>= 1), so a sample spans >= ~1 ms.
//  4. Samples (sampling.h) until the stopping rule (stopping_rule.h, on MeasureOptions) holds;
//     reaching max_time_s (or max_samples) without the noise target -> status noisy. After each
//     sample, outside its timed region, the case's PhaseSeconds() (harness/workload.h) go to
//     CaseResult::phase_samples_s, one value per sample and phase. A phase value that is not
//     finite and > 0, or a sample naming other phases than the first -> status failed.
//  5. Verify (unless disabled): failure -> status failed with the error and tolerance
//     (case_status.h; the figures are kept).
//  6. Metrics (harness/measure/case_metrics.h): a MetricSpec without a phase from the per-iteration
//     times (sample / iterations_per_sample); one with a phase from that phase's seconds per
//     sample, not divided again (they are per iteration); a phase the case did not report gives
//     no figure (a primary metric needing it -> failed). Then (case_status.h) the roofline of the
//     primary metric and the above-peak sanity guard -> invalid, with the device's SKU from
//     env.specs (a GPU group takes its GPUs' SKU when they all share one; otherwise unknown: no
//     datasheet peaks); then noise -> noisy; else ok.
//     An ok device-bandwidth case (membw) records its figure in env.measured_bandwidth; later
//     cases on that device take it as their memory roof (rules in roofline.h).
// A step that fails drops the case's metrics (a failed verification keeps them); an exception
// outside a step (e.g. the communicator) fails the case on this rank with its message.
// Telemetry: on a CUDA device with env.telemetry set, the sampler runs over step 4 only (after
// warm-up), its summary goes to CaseResult::telemetry and, when it has energy, the metrics
// joules_per_tflop / joules_per_token are appended (see AppendEnergyMetrics in telemetry.h).
// A stop request (SIGINT) abandons the case in progress: it is not reported. The flag is read
// between iterations (harness/measure/sampling.h), so a run stops within one iteration.
// Progress (env.progress, harness/progress_sink.h): RunAll reports the run's size, each case
// run's start (its place in the run, round, noise target), its steps, samples and end.
//
// Multi-rank runs (env.comm with more than one rank; DESIGN.md §8): every rank runs the same
// cases on its own device in lockstep (see harness/measure/rank_sync.h). Each warm-up batch and each
// sample's time is the maximum over ranks (the slowest rank, as nccl-tests reports), taken after
// the timed region, so iterations per sample, the stopping rule and the case's samples are the
// same on every rank; so is each phase's seconds (every rank must name the same phases, else the
// case fails); Prepare and Verify outcomes are agreed (a skip or failure on any rank
// skips or fails the case everywhere, its reason naming the rank). This holds for every
// workload: for independent ones (gemm) the figure is the slowest GPU's. Rank 0 also records
// every rank's own median (CaseResult::ranks) and names the slowest rank when the spread exceeds
// env.straggler_threshold. Only rank 0's CaseResult is meant to be kept.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/case_sink.h"
#include "harness/device.h"
#include "harness/measure/roofline.h"
#include "harness/measure/telemetry.h"
#include "harness/options.h"
#include "harness/progress_sink.h"
#include "harness/results.h"
#include "harness/system/communicator.h"
#include "harness/system/device_specs.h"
#include "harness/workload.h"

namespace gq {

struct PlannedCase {
  Workload* workload = nullptr;
  CaseSpec spec;
  DeviceFilter device = DeviceFilter::kAny;  // cases run only on the devices this accepts
};

using ContextFactory = std::function<std::unique_ptr<DeviceContext>(const DeviceRef&)>;

struct RunnerEnv {
  MeasureOptions measure;
  ContextFactory make_context = MakeContext;
  std::map<std::string, const DeviceSpec*> specs;  // device name ("cuda:0") -> SKU; absent = unknown
  const std::atomic<bool>* stop = nullptr;         // set asynchronously to stop the run
  TelemetrySampler* telemetry = nullptr;           // samples CUDA devices during step 4; null = off
  ProgressSink* progress = nullptr;                // told how the run goes; null = nobody
  Communicator* comm = nullptr;                    // the world; null (or one rank) = single process
  double straggler_threshold = 0.10;               // slowest / fastest rank median - 1 to name one
  // Device bandwidth measured so far in this run (see step 6); shared by copies of this env.
  std::shared_ptr<MeasuredBandwidthTable> measured_bandwidth =
      std::make_shared<MeasuredBandwidthTable>();
};

// Runs one case on one device. Returns nullopt only when a stop was requested mid-case.
std::optional<CaseResult> RunCase(Workload& workload, const CaseSpec& spec, DeviceContext& ctx,
                                  const RunnerEnv& env);

// Runs every case on the targets PlanTargets (harness/measure/run_targets.h) gives: each device it
// accepts, in order (device-major), collectives on a GPU group in a process with several GPUs.
// With env.measure.repetitions = N > 1, N rounds round-robin: round r of every case before round
// r + 1 of any, device contexts kept open; a failed or skipped case takes no further rounds.
// After each round of a case the sink gets the case merged over its rounds so far
// (harness/measure/rounds.h; rounds_done < rounds_planned until its last round), so a sink keyed
// on (id, device) replaces the case each time. Returns false when the run was stopped.
bool RunAll(const std::vector<PlannedCase>& cases, const std::vector<DeviceRef>& devices,
            const RunnerEnv& env, CaseSink& sink);

}  // namespace gq
