#include "harness/record/progress_printer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

namespace gq {
namespace {

using Clock = std::chrono::steady_clock;

CaseProgress Case(int index, int total, int round = 1, int rounds = 1) {
  CaseProgress c;
  c.id = "gemm/dtype=fp32/m=8192";
  c.device = "cpu";
  c.index = index;
  c.total = total;
  c.round = round;
  c.rounds = rounds;
  c.max_noise = 0.01;
  c.max_time_s = 15;
  return c;
}

TEST(ProgressPrinterTest, LineShowsPlaceElapsedSamplesNoiseAgainstTargetAndTimeLeft) {
  ProgressView v;
  v.c = Case(3, 14, 2, 3);
  v.phase = CasePhase::kSample;
  v.sample.samples = 12;
  v.sample.noise = 0.0084;
  v.elapsed_s = 31.2;
  v.left_s = 80;
  EXPECT_EQ(FormatProgressLine(v),
            "[3/14 round 2/3] 0:31 sampling: 12 samples, median +-0.84% (target 1.00%), ~1:20 left | "
            "gemm/dtype=fp32/m=8192 on cpu");
  v.c = Case(1, 1);
  v.phase = CasePhase::kWarmUp;
  v.left_s = -1;
  EXPECT_EQ(FormatProgressLine(v), "[1/1] 0:31 warming up | gemm/dtype=fp32/m=8192 on cpu");
  EXPECT_EQ(FormatDuration(3723), "1:02:03");
  EXPECT_EQ(FormatDuration(7), "0:07");
}

TEST(ProgressPrinterTest, PlainModePrintsALinePerCaseWithTheTimeLeftOnceACaseEnded) {
  Clock::time_point t{};
  std::ostringstream out;
  ProgressPrinter p(out, ProgressPrinter::Mode::kPlain, 80, 0, [&] { return t; });
  p.OnRunStart(3);
  p.OnCaseStart(Case(1, 3));
  p.OnPhase(CasePhase::kSample);
  p.OnSample(SampleProgress{5, 1.0, 0.02});
  t += std::chrono::seconds(10);
  p.OnCaseEnd(Case(1, 3), CaseStatus::kOk, 10);
  p.OnCaseStart(Case(2, 3));
  p.Finish();
  EXPECT_EQ(out.str(),
            "[1/3] gemm/dtype=fp32/m=8192 on cpu\n"
            "[2/3] gemm/dtype=fp32/m=8192 on cpu (~0:20 left)\n");
}

TEST(ProgressPrinterTest, LineModeRewritesOneLineCutToTheWidthAndErasesItAtTheEnd) {
  Clock::time_point t{};
  std::ostringstream out;
  ProgressPrinter p(out, ProgressPrinter::Mode::kLine, 40, 0, [&] { return t; });
  p.OnCaseStart(Case(1, 2));
  p.OnPhase(CasePhase::kWarmUp);
  const std::string drawn = out.str();
  EXPECT_EQ(drawn.rfind("\r[1/2] 0:00 preparing", 0), 0u) << drawn;
  const std::size_t last = drawn.rfind('\r');
  EXPECT_EQ(drawn.substr(last), "\r[1/2] 0:00 warming up | gemm/dtype=fp32\033[K");  // 39 columns
  p.OnCaseEnd(Case(1, 2), CaseStatus::kOk, 1);
  EXPECT_EQ(out.str().substr(out.str().size() - 4), "\r\033[K");
  const std::size_t size = out.str().size();
  p.Finish();  // nothing left to erase
  EXPECT_EQ(out.str().size(), size);
}

}  // namespace
}  // namespace gq
