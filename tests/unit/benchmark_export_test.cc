// `compare --export-github-benchmark / --export-bencher` (harness/record/benchmark_export.h): one
// entry per measured case, its figure metric (algbw for a collective on one rank), the median and
// its 95% CI; github-action-benchmark only takes higher-is-better figures.
#include "harness/record/benchmark_export.h"

#include <gtest/gtest.h>

namespace gq {
namespace {

CaseResult Measured(const std::string& id, CaseStatus status, const std::string& metric, const std::string& unit,
                    bool higher_is_better, double median) {
  CaseResult c;
  c.id = id;
  c.device = "cuda:0";
  c.status = status;
  c.rounds_done = 3;
  c.primary_metric = metric;
  MetricResult m{unit, higher_is_better, median};
  m.ci95_low = median * 0.98;
  m.ci95_high = median * 1.01;
  m.n = 3;
  c.metrics = {{metric, m}};
  return c;
}

ResultsDoc Doc() {
  ResultsDoc d;
  d.cases = {Measured("gemm/m=8192", CaseStatus::kOk, "tflops", "TFLOP/s", true, 800),
             Measured("membw/op=copy", CaseStatus::kNoisy, "bandwidth", "GB/s", true, 4000),
             Measured("e2e/scenario=decode", CaseStatus::kOk, "tpot_ms", "ms", false, 7.5),
             Measured("gemm/m=64", CaseStatus::kFailed, "tflops", "TFLOP/s", true, 1),
             Measured("gemm/m=32", CaseStatus::kSkipped, "tflops", "TFLOP/s", true, 1)};
  // A collective on one rank: busbw 0 by definition, its figure is algbw.
  CaseResult one = Measured("allreduce/size=1G", CaseStatus::kOk, "busbw", "GB/s", true, 0);
  MetricResult algbw{"GB/s", true, 300};
  algbw.ci95_low = 290;
  algbw.ci95_high = 310;
  one.metrics.emplace_back("algbw", algbw);
  d.cases.push_back(one);
  return d;
}

TEST(BenchmarkExportTest, GithubTakesMeasuredHigherIsBetterFigures) {
  const auto j = GithubBenchmarkJson(Doc());
  ASSERT_EQ(j.size(), 3u);  // not the lower-is-better, failed or skipped cases
  EXPECT_EQ(j[0]["name"], "gemm/m=8192 [cuda:0]");
  EXPECT_EQ(j[0]["unit"], "TFLOP/s");
  EXPECT_EQ(j[0]["value"], 800);
  EXPECT_EQ(j[0]["range"], "\u00b1 16");  // the farther CI bound: 800 - 784
  EXPECT_EQ(j[0]["extra"], "ok; 3 round(s); tflops median of 3");
  EXPECT_EQ(j[1]["name"], "membw/op=copy [cuda:0]");
  EXPECT_NE(j[1]["extra"].get<std::string>().find("noisy"), std::string::npos);
  EXPECT_EQ(j[2]["name"], "allreduce/size=1G [cuda:0]");
  EXPECT_EQ(j[2]["value"], 300);
  EXPECT_NE(j[2]["extra"].get<std::string>().find("algbw"), std::string::npos);
}

TEST(BenchmarkExportTest, BencherTakesEveryMeasuredFigureWithItsInterval) {
  const auto j = BencherJson(Doc());
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j["gemm/m=8192 [cuda:0]"]["tflops"]["value"], 800);
  EXPECT_EQ(j["gemm/m=8192 [cuda:0]"]["tflops"]["lower_value"], 784);
  EXPECT_EQ(j["gemm/m=8192 [cuda:0]"]["tflops"]["upper_value"], 808);
  EXPECT_EQ(j["e2e/scenario=decode [cuda:0]"]["tpot_ms"]["value"], 7.5);
  EXPECT_EQ(j["allreduce/size=1G [cuda:0]"].count("busbw"), 0u);
  EXPECT_EQ(j["allreduce/size=1G [cuda:0]"]["algbw"]["upper_value"], 310);
  EXPECT_FALSE(j.contains("gemm/m=64 [cuda:0]"));
  EXPECT_FALSE(j.contains("gemm/m=32 [cuda:0]"));
}

}  // namespace
}  // namespace gq
