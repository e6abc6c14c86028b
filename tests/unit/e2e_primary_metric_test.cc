// The figure of an e2e case: output tokens per second, except in the prefill scenario, whose one
// output token per sequence would make output_tok_s the rate of whole prefills (sequences per
// second); there the case's figure is prefill_tok_s, prompt tokens per second (ANCHORS' prefill).
#include <gtest/gtest.h>

#include "app/plan.h"
#include "harness/case_figure.h"
#include "harness/measure/runner.h"
#include "workloads/registry.h"

namespace gq {
namespace {

TEST(E2ePrimaryMetricTest, ThePrefillScenarioIsFollowedByPrefillTokensPerSecond) {
  const WorkloadRegistry registry = BuildRegistry();
  RunOptions o;
  o.workloads = {"e2e"};
  o.device = "cpu";
  o.axes = {{"model", {"tiny"}}, {"scenario", {"prefill", "offline"}}, {"batch", {"2"}}};
  const std::vector<PlannedCase> plan = BuildPlan(registry, o, nullptr);
  RunnerEnv env;
  env.measure.min_samples = 3;
  env.measure.min_time_s = 0.01;
  env.measure.max_time_s = 0.1;
  env.measure.warmup_time_s = 0.01;
  auto ctx = MakeCpuContext();
  int checked = 0;
  for (const PlannedCase& p : plan) {
    if (p.device == DeviceFilter::kCuda) continue;
    const auto r = RunCase(*p.workload, p.spec, *ctx, env);
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy) << r->reason;
    const bool prefill = p.spec.Get("scenario") == "prefill";
    EXPECT_EQ(r->primary_metric, prefill ? "prefill_tok_s" : "output_tok_s") << p.spec.Id();
    if (prefill) {  // 64 prompt tokens per sequence against one output token
      EXPECT_GT(r->FindMetric("prefill_tok_s")->median, 10 * r->FindMetric("output_tok_s")->median);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

// A prefill case written before its figure was prefill_tok_s named output_tok_s: every reader
// (case_figure.h FigureMetric) follows it by prefill_tok_s, so old and new runs of one case are
// compared in one metric; the offline scenario keeps output_tok_s.
TEST(E2ePrimaryMetricTest, OlderPrefillCasesAreReadByPrefillTokensPerSecond) {
  CaseResult old;
  old.workload = "e2e";
  old.params = {{"model", "tiny"}, {"scenario", "prefill"}};
  old.primary_metric = "output_tok_s";
  old.metrics = {{"output_tok_s", MetricResult{"tok/s", true, 400}}, {"prefill_tok_s", MetricResult{"tok/s", true, 25600}}};
  EXPECT_EQ(FigureMetric(old), "prefill_tok_s");
  old.params[1].second = "offline";
  EXPECT_EQ(FigureMetric(old), "output_tok_s");
}

}  // namespace
}  // namespace gq
