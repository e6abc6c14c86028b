#include "harness/measure/runner.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <map>
#include <sstream>
#include <stdexcept>

#include "harness/errors.h"
#include "harness/measure/case_metrics.h"
#include "harness/measure/rank_sync.h"
#include "harness/measure/roofline.h"
#include "harness/measure/run_targets.h"
#include "harness/stats.h"

namespace gq {
namespace {

using Clock = std::chrono::steady_clock;

bool StopRequested(const RunnerEnv& env) {
  return env.stop != nullptr && env.stop->load(std::memory_order_relaxed);
}

std::string Percent(double fraction) {
  std::ostringstream os;
  os.precision(2);
  os << std::fixed << fraction * 100 << "%";
  return os.str();
}

std::string Sci(double v) {
  std::ostringstream os;
  os.precision(2);
  os << std::scientific << v;
  return os.str();
}

// Times `iterations` back-to-back runs as one sample.
double TimeBatch(PreparedCase& prepared, DeviceContext& ctx, Timer& timer, int64_t iterations) {
  timer.Start();
  for (int64_t i = 0; i < iterations; ++i) prepared.Run(ctx.stream());
  return timer.StopSeconds();
}

// 32-bit FNV-1a over the phase names (each ended by a NUL): equal on every rank that names the
// same phases; exact as a double, so ranks compare it through Max.
double NamesFingerprint(const std::map<std::string, double>& phases) {
  uint32_t h = 2166136261u;
  for (const auto& [name, _] : phases) {
    for (char c : name + '\0') h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return static_cast<double>(h);
}

// One batch, agreed over ranks after its timed region: its time is the slowest rank's, and a
// failure or stop request on any rank is seen by all. Timed samples (not warm-up batches) also
// take the case's PhaseSeconds, each phase the slowest rank's.
struct Batch {
  double own_s = 0;     // this rank's time
  double agreed_s = 0;  // max over ranks
  bool stop = false;
  StepOutcome outcome;
  std::map<std::string, double> phases;  // agreed; empty for warm-up batches
};

Batch RunBatch(PreparedCase& prepared, DeviceContext& ctx, Timer& timer, int64_t iterations,
               RankSync& sync, const RunnerEnv& env, bool take_phases) {
  Batch b;
  const bool stop = StopRequested(env);
  if (stop && !sync.multi()) {  // alone: stop at once; with ranks: after this batch, all together
    b.stop = true;
    return b;
  }
  const StepOutcome local = TryStep([&] {
    b.own_s = TimeBatch(prepared, ctx, timer, iterations);
    if (!take_phases) return;
    b.phases = prepared.PhaseSeconds();  // after the timer stopped: outside the timed region
    if (std::string bad = CheckPhaseSeconds(b.phases); !bad.empty()) throw std::runtime_error(bad);
  });
  // The names' fingerprint as max and -min over ranks: equal when every rank names the same.
  const double print = NamesFingerprint(b.phases);
  const std::vector<double> agreed =
      sync.Max({b.own_s, static_cast<double>(local.code()), stop ? 1.0 : 0.0, print, -print});
  b.agreed_s = agreed[0];
  b.stop = agreed[2] > 0;
  b.outcome = sync.Resolve(local, static_cast<int>(agreed[1]));
  if (b.stop || !b.outcome.ok()) return b;
  if (agreed[3] != -agreed[4]) {
    b.outcome = StepOutcome{CaseStatus::kFailed, "the ranks' PhaseSeconds name different phases"};
    return b;
  }
  if (b.phases.empty()) return b;  // on every rank, as the names agree
  std::vector<double> seconds;  // in key order, the same on every rank
  for (const auto& [_, s] : b.phases) seconds.push_back(s);
  seconds = sync.Max(std::move(seconds));
  std::size_t i = 0;
  for (auto& [_, s] : b.phases) s = seconds[i++];
  return b;
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

// Warm-up; returns the time of one iteration from the last (largest) batch. A batch that failed
// or was stopped ends it early; `last` holds the last batch either way.
double WarmUp(PreparedCase& prepared, DeviceContext& ctx, Timer& timer, const MeasureOptions& m,
              RankSync& sync, const RunnerEnv& env, Batch& last) {
  last = RunBatch(prepared, ctx, timer, 1, sync, env, false);
  if (last.stop || !last.outcome.ok()) return 0;
  double elapsed = last.agreed_s;
  double per_iteration = last.agreed_s;
  int64_t batch = 1;
  while (elapsed < m.warmup_time_s) {
    last = RunBatch(prepared, ctx, timer, batch, sync, env, false);
    if (last.stop || !last.outcome.ok()) return 0;
    elapsed += last.agreed_s;
    per_iteration = last.agreed_s / static_cast<double>(batch);
    // Grow the batch towards the remaining warm-up time, at most doubling.
    if (per_iteration > 0 && batch < (int64_t{1} << 30)) batch *= 2;
  }
  return per_iteration;
}

// One case on this rank. `ctx` is null when the device could not be opened (`context_error`
// says why); in a multi-rank run the case still takes part in the agreement after Prepare.
std::optional<CaseResult> RunCaseOn(Workload& workload, const CaseSpec& spec, DeviceContext* ctx,
                                    const DeviceRef& device, const std::string& context_error,
                                    const RunnerEnv& env) {
  const MeasureOptions& m = env.measure;
  RankSync sync(env.comm);
  const auto wall_start = Clock::now();
  CaseResult r;
  r.id = spec.Id();
  r.workload = workload.Name();
  r.params = spec.params;
  r.device = sync.DeviceLabel(device);
  const std::vector<MetricSpec> metrics = workload.Metrics();
  r.primary_metric = metrics.empty() ? "" : metrics.front().name;
  auto finish = [&](CaseStatus status, std::string reason) {
    r.status = status;
    r.reason = std::move(reason);
    r.wall_time_s = std::chrono::duration<double>(Clock::now() - wall_start).count();
    return r;
  };
  auto fail = [&](const StepOutcome& o) {
    if (o.status == CaseStatus::kFailed) r.metrics.clear();
    return finish(o.status, o.reason);
  };

  try {
    // 1. Prepare, agreed: a case skipped or failed on any rank is dropped by all.
    std::unique_ptr<PreparedCase> prepared;
    std::unique_ptr<Timer> timer;
    StepOutcome local{CaseStatus::kFailed, context_error};
    if (ctx != nullptr) {
      local = TryStep([&] {
        prepared = workload.Prepare(spec, *ctx);
        r.work = prepared->GetWork();
        timer = ctx->MakeTimer();
      });
    }
    if (StepOutcome o = sync.Agree(local); !o.ok()) return fail(o);

    // 2. Warm-up and 3. samples, every batch agreed.
    Batch batch;
    const double per_iteration = WarmUp(*prepared, *ctx, *timer, m, sync, env, batch);
    if (batch.stop) return std::nullopt;
    if (!batch.outcome.ok()) return fail(batch.outcome);
    r.iterations_per_sample =
        per_iteration > 0
            ? std::max<int64_t>(1, static_cast<int64_t>(std::ceil(m.min_sample_time_s / per_iteration)))
            : 1;
    std::vector<double> own_samples;
    double sampled = 0;
    bool converged = false;
    double noise = 0;
    TelemetryScope telemetry(env.telemetry, ctx->device());
    while (true) {
      batch = RunBatch(*prepared, *ctx, *timer, r.iterations_per_sample, sync, env, true);
      if (batch.stop) return std::nullopt;
      if (!batch.outcome.ok()) return fail(batch.outcome);
      own_samples.push_back(batch.own_s);
      r.samples_s.push_back(batch.agreed_s);
      // Agreed data: every rank takes the same decision.
      if (std::string bad = AppendPhaseSample(r, batch.phases); !bad.empty()) {
        return finish(CaseStatus::kFailed, bad);
      }
      sampled += batch.agreed_s;
      const int n = static_cast<int>(r.samples_s.size());
      if (n >= m.min_samples && sampled >= m.min_time_s) {
        noise = RelativeMedianNoise(r.samples_s);
        if (noise <= m.max_noise) {
          converged = true;
          break;
        }
      }
      if (sampled >= m.max_time_s || n >= m.max_samples) {
        noise = n >= 2 ? RelativeMedianNoise(r.samples_s) : 1.0;
        converged = noise <= m.max_noise;
        break;
      }
    }

    // 4. Summaries (local), agreed before anything else talks to the other ranks.
    local = TryStep([&] {
      r.telemetry = telemetry.End();
      FillMetrics(r, metrics);
      if (r.telemetry) {
        AppendEnergyMetrics(*r.telemetry, r.work,
                            static_cast<int64_t>(r.samples_s.size()) * r.iterations_per_sample, r.metrics);
      }
      r.details = prepared->Details();
      if (std::string note = timer->Note(); !note.empty()) r.details["timer"] = note;
    });
    if (StepOutcome o = sync.Agree(local); !o.ok()) return fail(o);
    if (sync.multi()) {
      const double own_median = Median(own_samples) / static_cast<double>(r.iterations_per_sample);
      r.ranks = sync.GatherFigures(ctx->device().Name(), own_median);
      r.straggler = FindStraggler(r.ranks, env.straggler_threshold);
    }

    // 5. Verify on every rank; the case passes only when every rank's output does.
    if (m.verify) {
      VerifyResult v;
      local = TryStep([&] { v = prepared->Verify(); });
      const std::vector<double> agreed = sync.Max(
          {static_cast<double>(local.code()), local.ok() && !v.passed ? 1.0 : 0.0, v.max_rel_err});
      if (StepOutcome o = sync.Resolve(local, static_cast<int>(agreed[0])); !o.ok()) return fail(o);
      const StepOutcome wrong = sync.Resolve({v.passed ? CaseStatus::kOk : CaseStatus::kFailed, v.detail},
                                             agreed[1] > 0 ? 3 : 0);
      r.verification = VerificationResult{agreed[1] == 0, agreed[2], v.tolerance, v.detail};
      if (sync.multi() && r.verification->passed) {
        r.verification->detail += "; all " + std::to_string(sync.size()) + " ranks checked, all passed";
      }
      if (!r.verification->passed) {
        if (!wrong.reason.empty()) r.verification->detail = wrong.reason;
        return finish(CaseStatus::kFailed, "verification failed: max relative error " +
                                               Sci(r.verification->max_rel_err) + " > tolerance " +
                                               Sci(v.tolerance) + " (" + r.verification->detail + ")");
      }
    }

    // 6. Roofline and the sanity guard on this rank's device; then noise.
    if (!metrics.empty()) {
      static const DeviceSpec kUnknownSku{};  // no datasheet peaks; a link peak may still apply
      const DeviceSpec* sku = SkuOf(env, ctx->device());
      MeasuredBandwidth measured;
      if (env.measured_bandwidth) {
        auto it = env.measured_bandwidth->find(r.device);
        if (it != env.measured_bandwidth->end()) measured = it->second;
      }
      RooflineCheck check =
          CheckRoofline(r.work, metrics.front(), r.metrics.front().second.median,
                        sku != nullptr ? *sku : kUnknownSku, measured.gbs, measured.case_id);
      r.roofline = check.roofline;
      if (!check.invalid_reason.empty()) return finish(CaseStatus::kInvalid, check.invalid_reason);
    }
    if (!converged) {
      return finish(CaseStatus::kNoisy, "95% CI of the median is +-" + Percent(noise) +
                                            " after " + std::to_string(r.samples_s.size()) +
                                            " samples (target +-" + Percent(m.max_noise) + ")");
    }
    CaseResult done = finish(CaseStatus::kOk, "");
    if (env.measured_bandwidth) NoteMeasuredBandwidth(done, *env.measured_bandwidth);
    return done;
  } catch (const std::exception& e) {  // not from a step (e.g. the communicator): this rank only
    r.metrics.clear();
    return finish(CaseStatus::kFailed, e.what());
  }
}

}  // namespace

std::optional<CaseResult> RunCase(Workload& workload, const CaseSpec& spec, DeviceContext& ctx,
                                  const RunnerEnv& env) {
  return RunCaseOn(workload, spec, &ctx, ctx.device(), "", env);
}

bool RunAll(const std::vector<PlannedCase>& cases, const std::vector<DeviceRef>& devices,
            const RunnerEnv& env, CaseSink& sink) {
  RankSync sync(env.comm);
  for (const RunTarget& target : PlanTargets(cases, devices)) {
    std::unique_ptr<DeviceContext> ctx;
    std::string context_error;
    try {
      ctx = env.make_context(target.device);
    } catch (const std::exception& e) {
      context_error = std::string("cannot open device ") + target.device.Name() + ": " + e.what();
    }
    for (const PlannedCase* planned : target.cases) {
      if (sync.Any(StopRequested(env))) return false;
      if (!ctx && !sync.multi()) {
        CaseResult r;
        r.id = planned->spec.Id();
        r.workload = planned->workload->Name();
        r.params = planned->spec.params;
        r.device = target.device.Name();
        r.status = CaseStatus::kFailed;
        r.reason = context_error;
        sink.OnCaseDone(r);
        continue;
      }
      std::optional<CaseResult> result =
          RunCaseOn(*planned->workload, planned->spec, ctx.get(), target.device, context_error, env);
      if (!result) return false;
      sink.OnCaseDone(*result);
    }
  }
  return !StopRequested(env);
}

}  // namespace gq
