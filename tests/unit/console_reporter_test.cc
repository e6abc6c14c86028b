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
  r.iterations_per_sample = 10;
  r.samples_s = {1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.00};  // median 1.00, 95% CI [0.98, 1.02]
  return r;
}

TEST(ConsoleReporterTest, RowShowsStatusMedianSpreadEfficiencyAndErrorUnderUnitsInTheHeader) {
  const std::string header = FormatTableHeader(16);
  for (const char* column : {"median (unit)", "+-95% (%)", "peak (%)", "verify (max rel err)"}) {
    EXPECT_NE(header.find(column), std::string::npos) << header;
  }
  std::string row = FormatCaseRow(Ok(), 16);
  EXPECT_EQ(row.rfind("ok      cuda:0  gemm/dtype=bf16", 0), 0u) << row;
  EXPECT_NE(row.find("781.2 TFLOP/s"), std::string::npos) << row;
  EXPECT_EQ(row.find(" 2.00 "), header.find("+-95% (%)") - 1) << row;  // from the samples, in its column
  EXPECT_NE(row.find(" 79.0 "), std::string::npos) << row;
  EXPECT_NE(row.find("4.1e-03"), std::string::npos) << row;
  // A check with no tolerance that found no difference reads "exact"; one that found any, its error.
  CaseResult copy = Ok();
  copy.verification = VerificationResult{true, 0, 0, ""};
  EXPECT_EQ(FormatCaseRow(copy, 16).substr(header.find("verify")), "exact");
  copy.verification = VerificationResult{false, 0.5, 0, ""};
  EXPECT_EQ(FormatCaseRow(copy, 16).substr(header.find("verify")), "5.0e-01 FAIL");
  copy.verification = VerificationResult{true, 0, 1e-2, ""};  // a tolerance: the figure, 0
  EXPECT_EQ(FormatCaseRow(copy, 16).substr(header.find("verify")), "0.0e+00");
}

// The spread column and a noisy case's reason quote one figure: the relative half-width of the
// median's 95% CI over the samples (what the stopping rule judged); with rounds, between rounds.
TEST(ConsoleReporterTest, SpreadIsTheFigureTheNoiseNoteQuotesAndWithRoundsTheirSpread) {
  CaseResult r = Ok();
  r.status = CaseStatus::kNoisy;
  r.reason = "95% CI of the median is +-2.00% after 7 samples (target +-1.00%)";
  EXPECT_NE(FormatCaseRow(r, 16).find(" 2.00 "), std::string::npos);
  r.rounds_planned = r.rounds_done = 3;
  r.round_medians_s = {0.1, 0.103, 0.0995};  // [min, max] with 3 rounds: +-3% of 0.1, marked *
  EXPECT_NE(FormatCaseRow(r, 16).find(" 3.00* "), std::string::npos) << FormatCaseRow(r, 16);
  r.round_medians_s = {0.1, 0.103, 0.0995, 0.1, 0.1, 0.1};  // 6 rounds: a 95% interval, unmarked
  EXPECT_EQ(FormatCaseRow(r, 16).find("*"), std::string::npos) << FormatCaseRow(r, 16);
  r.rounds_planned = r.rounds_done = 1;
  r.round_medians_s.clear();
  r.samples_s = {0.1};  // one sample: no spread to show
  EXPECT_NE(FormatCaseRow(r, 16).find(" -  "), std::string::npos) << FormatCaseRow(r, 16);
}

// A collective on one rank shows algbw, the figure compare judges, and no roofline beside it.
TEST(ConsoleReporterTest, SingleRankCollectivesShowAlgbw) {
  CaseResult r = Ok();
  r.id = "allreduce/size=1M";
  r.primary_metric = "busbw";
  r.work.busbw_factor = 0;
  r.metrics = {{"busbw", MetricResult{"GB/s", true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7}},
               {"algbw", MetricResult{"GB/s", true, 4.21, 0, 0, 0, 0, 0, 0, 0, 4.2, 4.22, 7}}};
  const std::string row = FormatCaseRow(r, 18);
  EXPECT_NE(row.find("4.21 GB/s algbw"), std::string::npos) << row;
  EXPECT_EQ(row.find("79.0"), std::string::npos) << row;
  r.work.busbw_factor = 1.5;  // several ranks: busbw
  r.metrics[0].second.median = 6.3;
  EXPECT_NE(FormatCaseRow(r, 18).find("6.30 GB/s "), std::string::npos) << FormatCaseRow(r, 18);
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
  EXPECT_NE(row.find(" 61.7 "), std::string::npos) << row;
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
  EXPECT_NE(text.find("+-95%: half-width of the median's 95% confidence interval"), std::string::npos) << text;
  EXPECT_NE(text.find("-> fp8 needs compute capability >= 8.9"), std::string::npos);
  EXPECT_NE(text.find("2 case(s): 1 ok 1 skipped"), std::string::npos) << text;
  EXPECT_NE(text.find("results: results/x.json"), std::string::npos);
}

}  // namespace
}  // namespace gq
