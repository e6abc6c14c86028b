#include "harness/record/console_reporter.h"

#include <gtest/gtest.h>

#include <sstream>

namespace gq {
namespace {

CaseResult Ok() {
  CaseResult r;
  r.id = "gemm/dtype=bf16";
  r.device = "cuda:0";
  r.status = CaseStatus::kOk;
  r.primary_metric = "tflops";
  r.metrics.emplace_back("tflops", MetricResult{"TFLOP/s", true, 781.25, 0, 0, 0, 0, 0, 0, 0, 780, 783, 10});
  r.roofline = Roofline{"compute", 989.4, 0.7896, "d"};
  r.verification = VerificationResult{true, 4.1e-3, 1e-2, ""};
  return r;
}

TEST(ConsoleReporterTest, RowShowsStatusMedianNoiseEfficiencyAndError) {
  std::string row = FormatCaseRow(Ok(), 16);
  EXPECT_EQ(row.rfind("ok      cuda:0  gemm/dtype=bf16", 0), 0u) << row;
  EXPECT_NE(row.find("781.2 TFLOP/s"), std::string::npos) << row;
  EXPECT_NE(row.find("0.2%"), std::string::npos) << row;  // max(1.25, 1.75)/781.25
  EXPECT_NE(row.find("79.0%"), std::string::npos) << row;
  EXPECT_NE(row.find("4.1e-03"), std::string::npos) << row;
}

TEST(ConsoleReporterTest, TokenRateRowsAndWideDevicesStayInColumns) {
  CaseResult r;
  r.id = "e2e/batch=64/tp=8";
  r.device = "cuda:0-7";  // as wide as its column
  r.status = CaseStatus::kOk;
  r.primary_metric = "output_tok_s";
  r.metrics.emplace_back("output_tok_s", MetricResult{"tok/s", true, 123456.78, 0, 0, 0, 0, 0,
                                                      0, 0, 123000, 124000, 10});
  r.metrics.emplace_back("ttft_ms",
                         MetricResult{"ms", false, 35.2, 0, 0, 0, 0, 0, 0, 0, 35, 36, 10});
  r.roofline = Roofline{"memory", 200000, 0.6173, "d"};
  const std::string row = FormatCaseRow(r, 18);
  EXPECT_EQ(row.rfind("ok      cuda:0-7 e2e/batch=64/tp=8", 0), 0u) << row;
  EXPECT_NE(row.find("123456.8 tok/s"), std::string::npos) << row;  // the primary metric only
  EXPECT_EQ(row.find("ms"), std::string::npos) << row;
  EXPECT_NE(row.find("61.7%"), std::string::npos) << row;
}

TEST(ConsoleReporterTest, FailedCasesShowTheirReasonAndSummaryCounts) {
  std::ostringstream out;
  ConsoleReporter rep(out, 20);
  CaseResult failed;
  failed.id = "gemm/dtype=fp8_e4m3";
  failed.device = "cuda:0";
  failed.status = CaseStatus::kSkipped;
  failed.reason = "fp8 needs compute capability >= 8.9";
  rep.OnCaseDone(Ok());
  rep.OnCaseDone(failed);
  ResultsDoc doc;
  doc.cases = {Ok(), failed};
  rep.PrintSummary(doc, "results/x.json");
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("status", 0), 0u);
  EXPECT_NE(text.find("-> fp8 needs compute capability >= 8.9"), std::string::npos);
  EXPECT_NE(text.find("2 case(s): 1 ok 1 skipped"), std::string::npos) << text;
  EXPECT_NE(text.find("results: results/x.json"), std::string::npos);
}

}  // namespace
}  // namespace gq
