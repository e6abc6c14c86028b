#include "harness/runner.h"

#include <chrono>
#include <cmath>
#include <exception>
#include <sstream>

#include "harness/errors.h"
#include "harness/roofline.h"
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

// Warm-up; returns the time of one iteration from the last (largest) batch.
double WarmUp(PreparedCase& prepared, DeviceContext& ctx, Timer& timer, const MeasureOptions& m) {
  double elapsed = 0;
  int64_t batch = 1;
  double per_iteration = TimeBatch(prepared, ctx, timer, 1);
  elapsed += per_iteration;
  while (elapsed < m.warmup_time_s) {
    double t = TimeBatch(prepared, ctx, timer, batch);
    elapsed += t;
    per_iteration = t / static_cast<double>(batch);
    // Grow the batch towards the remaining warm-up time, at most doubling.
    if (per_iteration > 0 && batch < (int64_t{1} << 30)) batch *= 2;
  }
  return per_iteration;
}

void FillMetrics(CaseResult& r, const std::vector<MetricSpec>& metrics) {
  for (const auto& spec : metrics) {
    std::vector<double> values;
    values.reserve(r.samples_s.size());
    for (double s : r.samples_s) {
      values.push_back(spec.FromTime(s / static_cast<double>(r.iterations_per_sample), r.work));
    }
    Summary sum = Summarise(values);
    MetricResult m{spec.unit, spec.higher_is_better, sum.median, sum.mean, sum.stddev, sum.cv,
                   sum.p10, sum.p90, sum.min, sum.max, sum.ci95_low, sum.ci95_high,
                   static_cast<int64_t>(sum.n)};
    r.metrics.emplace_back(spec.name, m);
  }
}

}  // namespace

std::optional<CaseResult> RunCase(Workload& workload, const CaseSpec& spec, DeviceContext& ctx,
                                  const RunnerEnv& env) {
  const MeasureOptions& m = env.measure;
  const auto wall_start = Clock::now();
  CaseResult r;
  r.id = spec.Id();
  r.workload = workload.Name();
  r.params = spec.params;
  r.device = ctx.device().Name();
  const std::vector<MetricSpec> metrics = workload.Metrics();
  r.primary_metric = metrics.empty() ? "" : metrics.front().name;
  auto finish = [&](CaseStatus status, std::string reason) {
    r.status = status;
    r.reason = std::move(reason);
    r.wall_time_s = std::chrono::duration<double>(Clock::now() - wall_start).count();
    return r;
  };

  std::unique_ptr<PreparedCase> prepared;
  try {
    prepared = workload.Prepare(spec, ctx);
    r.work = prepared->GetWork();
    auto timer = ctx.MakeTimer();
    const double per_iteration = WarmUp(*prepared, ctx, *timer, m);
    r.iterations_per_sample =
        per_iteration > 0
            ? std::max<int64_t>(1, static_cast<int64_t>(std::ceil(m.min_sample_time_s / per_iteration)))
            : 1;

    double sampled = 0;
    bool converged = false;
    double noise = 0;
    TelemetryScope telemetry(env.telemetry, ctx.device());
    while (true) {
      if (StopRequested(env)) return std::nullopt;
      const double s = TimeBatch(*prepared, ctx, *timer, r.iterations_per_sample);
      r.samples_s.push_back(s);
      sampled += s;
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
    r.telemetry = telemetry.End();
    FillMetrics(r, metrics);
    if (r.telemetry) {
      AppendEnergyMetrics(*r.telemetry, r.work,
                          static_cast<int64_t>(r.samples_s.size()) * r.iterations_per_sample, r.metrics);
    }
    r.details = prepared->Details();

    if (m.verify) {
      VerifyResult v = prepared->Verify();
      r.verification = VerificationResult{v.passed, v.max_rel_err, v.tolerance, v.detail};
      if (!v.passed) {
        return finish(CaseStatus::kFailed, "verification failed: max relative error " +
                                               Sci(v.max_rel_err) + " > tolerance " +
                                               Sci(v.tolerance) + " (" + v.detail + ")");
      }
    }

    if (!metrics.empty()) {
      static const DeviceSpec kUnknownSku{};  // no datasheet peaks; a link peak may still apply
      auto spec_it = env.specs.find(r.device);
      const bool known = spec_it != env.specs.end() && spec_it->second != nullptr;
      MeasuredBandwidth measured;
      if (env.measured_bandwidth) {
        auto it = env.measured_bandwidth->find(r.device);
        if (it != env.measured_bandwidth->end()) measured = it->second;
      }
      RooflineCheck check =
          CheckRoofline(r.work, metrics.front(), r.metrics.front().second.median,
                        known ? *spec_it->second : kUnknownSku, measured.gbs, measured.case_id);
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
  } catch (const CaseSkipped& e) {
    return finish(CaseStatus::kSkipped, e.what());
  } catch (const std::bad_alloc&) {
    return finish(CaseStatus::kSkipped, "out of host memory");
  } catch (const std::exception& e) {
    r.metrics.clear();
    return finish(CaseStatus::kFailed, e.what());
  }
}

bool RunAll(const std::vector<PlannedCase>& cases, const std::vector<DeviceRef>& devices,
            const RunnerEnv& env, CaseSink& sink) {
  for (const DeviceRef& device : devices) {
    std::unique_ptr<DeviceContext> ctx;
    std::string context_error;
    try {
      ctx = env.make_context(device);
    } catch (const std::exception& e) {
      context_error = std::string("cannot open device ") + device.Name() + ": " + e.what();
    }
    for (const PlannedCase& planned : cases) {
      if (!Accepts(planned.device, device)) continue;
      if (StopRequested(env)) return false;
      sink.OnCaseStart(planned.spec, device);
      if (!ctx) {
        CaseResult r;
        r.id = planned.spec.Id();
        r.workload = planned.workload->Name();
        r.params = planned.spec.params;
        r.device = device.Name();
        r.status = CaseStatus::kFailed;
        r.reason = context_error;
        sink.OnCaseDone(r);
        continue;
      }
      std::optional<CaseResult> result = RunCase(*planned.workload, planned.spec, *ctx, env);
      if (!result) return false;
      sink.OnCaseDone(*result);
    }
  }
  return !StopRequested(env);
}

}  // namespace gq
