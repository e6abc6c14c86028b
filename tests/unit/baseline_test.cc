// Baselines of token (e2e) cases (harness/decide/baseline.h): metrics from the iteration time are
// recomputed from the merged samples, metrics measured from a phase take the median of the
// source medians; compare judges such cases on output_tok_s.
#include "harness/decide/baseline.h"

#include <gtest/gtest.h>

#include "harness/decide/compare.h"
#include "harness/errors.h"
#include "harness/measure/case_metrics.h"

namespace gq {
namespace {

Work TokenWork() {
  Work w;
  w.tokens = 1024;
  w.prefill_tokens = 16384;
  w.gpus = 2;
  return w;
}

// An ok e2e-like case on the cpu with its metrics made as the runner makes them.
CaseResult TokenCase(std::vector<double> samples_s, int64_t iterations, std::vector<double> ttft_s,
                     std::vector<double> prefill_s) {
  CaseResult c;
  c.id = "e2e/batch=8";
  c.workload = "e2e";
  c.device = "cpu";
  c.status = CaseStatus::kOk;
  c.primary_metric = "output_tok_s";
  c.samples_s = std::move(samples_s);
  c.iterations_per_sample = iterations;
  c.work = TokenWork();
  c.phase_samples_s = {{kPhaseTtft, std::move(ttft_s)}, {kPhasePrefill, std::move(prefill_s)}};
  FillMetrics(c, TokenThroughputMetrics());
  return c;
}

ResultsDoc Doc(CaseResult c) {
  ResultsDoc d;
  static int runs = 0;  // each document its own run (a baseline counts a run once)
  d.run.id = "run-" + std::to_string(++runs);
  d.cases = {std::move(c)};
  return d;
}

TEST(BaselineTest, TokenMetricsFromIterationTimeByName) {
  const Work w = TokenWork();
  EXPECT_DOUBLE_EQ(*MetricFromIterationTime("output_tok_s", "tok/s", 0.5, w), 2048);
  EXPECT_DOUBLE_EQ(*MetricFromIterationTime("total_tok_s", "tok/s", 0.5, w), (1024 + 16384) / 0.5);
  EXPECT_DOUBLE_EQ(*MetricFromIterationTime("tok_s_per_gpu", "tok/s", 0.5, w), 1024);
  Work one = w;
  one.gpus = 0;
  EXPECT_DOUBLE_EQ(*MetricFromIterationTime("tok_s_per_gpu", "tok/s", 0.5, one), 2048);
  for (const char* phase_metric :
       {"prefill_tok_s", "ttft_ms", "tpot_ms", "itl_p50_ms", "itl_p99_ms"}) {
    EXPECT_FALSE(
        MetricFromIterationTime(phase_metric, phase_metric[0] == 'p' ? "tok/s" : "ms", 0.5, w))
        << phase_metric;
  }
  EXPECT_DOUBLE_EQ(*MetricFromIterationTime("time_ms", "ms", 0.5, w), 500);  // others as before
}

TEST(BaselineTest, TokenCaseMergesSamplesAndTakesMediansOfPhaseMetrics) {
  // a: 1 iteration per sample; b: 2 per sample. Per iteration: 1.0, 1.1, 0.9 | 1.0, 1.1 s.
  ResultsDoc a = Doc(TokenCase({1.0, 1.1, 0.9}, 1, {0.05, 0.06, 0.04}, {0.4, 0.5, 0.6}));
  ResultsDoc b = Doc(TokenCase({2.0, 2.2}, 2, {0.07, 0.08}, {0.8, 0.8}));
  Baseline base = CreateBaseline({a, b}, {"a.json", "b.json"}, "e2e");
  ASSERT_EQ(base.cases.size(), 1u);
  const BaselineCase& c = base.cases[0];
  EXPECT_EQ(c.samples_s, (std::vector<double>{1.0, 1.1, 0.9, 1.0, 1.1}));
  ASSERT_EQ(c.metrics.size(), 5u);  // the case reported no tpot / itl phases
  const MetricResult* out = c.FindMetric("output_tok_s");
  EXPECT_EQ(out->n, 5);
  EXPECT_DOUBLE_EQ(out->median, 1024 / 1.0);
  EXPECT_DOUBLE_EQ(out->max, 1024 / 0.9);
  EXPECT_EQ(c.FindMetric("total_tok_s")->n, 5);
  EXPECT_DOUBLE_EQ(c.FindMetric("total_tok_s")->median, (1024 + 16384) / 1.0);
  EXPECT_DOUBLE_EQ(c.FindMetric("tok_s_per_gpu")->median, 512);
  // Phase metrics: one figure per source, its median. ttft 50 and 75 ms; prefill 16384 / 0.5
  // and 16384 / 0.8 tok/s.
  const MetricResult* ttft = c.FindMetric("ttft_ms");
  EXPECT_EQ(ttft->n, 2);
  EXPECT_DOUBLE_EQ(ttft->median, 62.5);
  EXPECT_FALSE(ttft->higher_is_better);
  const MetricResult* prefill = c.FindMetric("prefill_tok_s");
  EXPECT_EQ(prefill->n, 2);
  EXPECT_DOUBLE_EQ(prefill->median, (16384 / 0.5 + 16384 / 0.8) / 2);
}

TEST(BaselineTest, CompareJudgesTokenCasesOnOutputTokS) {
  std::vector<double> base_s, slow_s;
  for (int i = 0; i < 20; ++i) {
    base_s.push_back(1.0 + 0.001 * i);
    slow_s.push_back(1.2 + 0.001 * i);
  }
  std::vector<double> ttft(20, 0.05), prefill(20, 0.5);
  // Three rounds per side (the replicates a decision needs), around each side's samples.
  auto rounds = [](CaseResult c, double center) {
    c.rounds_planned = c.rounds_done = 3;
    c.round_medians_s = {center, center * 1.002, center * 0.998};
    return c;
  };
  Baseline base = CreateBaseline({Doc(rounds(TokenCase(base_s, 1, ttft, prefill), 1.0095))}, {"b.json"}, "e2e");
  CompareReport r = Compare(Doc(rounds(TokenCase(slow_s, 1, ttft, prefill), 1.2095)), base, {});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].metric, "output_tok_s");
  EXPECT_EQ(r.rows[0].verdict, Verdict::kRegressed) << r.rows[0].reason;
  EXPECT_NEAR(r.rows[0].change, 1.0095 / 1.2095 - 1, 1e-4);
}

}  // namespace
}  // namespace gq

namespace gq {
namespace {

// Runs of a collective at other rank counts are not replicates of one setup: refused, naming both.
TEST(BaselineTest, CollectivesAtOtherRankCountsDoNotMerge) {
  auto run = [](const std::string& id, double factor) {
    ResultsDoc d;
    d.run.id = id;
    CaseResult c;
    c.id = "allreduce/size=1G";
    c.workload = "allreduce";
    c.device = "cpu";
    c.status = CaseStatus::kOk;
    c.primary_metric = factor == 0 ? "algbw" : "busbw";
    c.metrics = {{c.primary_metric, MetricResult{"GB/s", true, 100, 100, 0, 0, 100, 100, 100, 100, 100, 100, 3}}};
    c.samples_s = {0.01, 0.01, 0.01};
    c.iterations_per_sample = 1;
    c.work.bytes = 1e9;
    c.work.busbw_factor = factor;
    d.cases = {c};
    return d;
  };
  EXPECT_NO_THROW(CreateBaseline({run("r1", 1.0), run("r2", 1.0)}, {"a.json", "b.json"}, "x"));
  try {
    CreateBaseline({run("r1", 1.0), run("r2", 0)}, {"a.json", "b.json"}, "x");
    FAIL() << "one rank and two merged";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "case 'allreduce/size=1G': not comparable: b.json ran this collective on one rank (a copy; figure "
              "algbw), a.json on several ranks (bus factor 1): the same number of ranks (GPUs) on both sides is needed (a "
              "baseline merges runs of one setup)");
  }
}

TEST(BaselineTest, OnlyFinishedRunsMakeABaseline) {
  ResultsDoc d;
  d.cases.resize(3);
  EXPECT_NO_THROW(RequireFinishedRun(d, "ok.json"));
  d.run.interrupted = true;
  try {
    RequireFinishedRun(d, "int.json");
    FAIL() << "an interrupted run was taken";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "int.json: the run was interrupted after 3 case(s) (a baseline is made of finished runs; --allow-incomplete "
              "takes it anyway)");
  }
  d.run.interrupted = false;
  d.run.complete = false;
  EXPECT_THROW(RequireFinishedRun(d, "cut.json"), UsageError);
}

}  // namespace
}  // namespace gq
