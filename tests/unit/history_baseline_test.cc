// harness/decide/history_baseline: a baseline from the newest N matching runs carries each run's
// median as a replicate (so compare decides on the spread between those runs), leaves out the
// candidate's own run and unfinished runs, keeps only the SKU asked for, refuses runs of two
// machines, and says when no run matches.
#include "harness/decide/history_baseline.h"

#include <gtest/gtest.h>


#include "harness/decide/compare.h"
#include "harness/errors.h"
#include "tests/unit/history_fixture.h"

namespace gq {
namespace {

using testing::AddRun;
using testing::GemmCase;
using testing::MakeRun;
using testing::StartedAt;

class HistoryBaselineTest : public testing::HistorySeriesTest {
 protected:
  void SetUp() override {
    HistorySeriesTest::SetUp();
    std::vector<double> s;
    for (int i = 0; i < 8; ++i) s.push_back(1e-3 * (1 + 0.004 * (i % 4)));
    Fill(s);
  }
};

TEST_F(HistoryBaselineTest, EachRunIsAReplicate) {
  const HistoryBaseline hb = BaselineFromHistory(*store_, {"cpu", {{"branch", "main"}}, ""}, 5, "cpu-history", false);
  EXPECT_EQ(hb.run_ids, (std::vector<std::string>{"r07", "r06", "r05", "r04", "r03"}));
  ASSERT_EQ(hb.baseline.cases.size(), 1u);
  EXPECT_EQ(hb.baseline.cases[0].replicate_medians_s.size(), 5u);
  EXPECT_EQ(hb.baseline.name, "cpu-history");
  EXPECT_EQ(hb.baseline.sources.size(), 5u);
}

TEST_F(HistoryBaselineTest, CompareDecidesOnTheSpreadBetweenRuns) {
  const Baseline b = BaselineFromHistory(*store_, {"cpu", {}, ""}, 8, "h", false).baseline;
  // 3 rounds each: the same speed is unchanged, 30% slower is a regression.
  CompareOptions opt;
  const CompareReport same = Compare(MakeRun("cand", StartedAt(20), {}, {GemmCase("cpu", 1.002e-3, 3)}), b, opt);
  EXPECT_EQ(same.rows.at(0).verdict, Verdict::kUnchanged) << same.rows.at(0).reason;
  const CompareReport slow = Compare(MakeRun("cand", StartedAt(20), {}, {GemmCase("cpu", 1.3e-3, 3)}), b, opt);
  EXPECT_EQ(slow.rows.at(0).verdict, Verdict::kRegressed) << slow.rows.at(0).reason;
}

TEST_F(HistoryBaselineTest, LeavesOutTheCandidateUnfinishedRunsAndOtherSkus) {
  ResultsDoc cut = MakeRun("cut", StartedAt(30), {{"branch", "main"}}, {GemmCase("cpu", 1e-3), GemmCase("cuda:0", 1e-5)});
  cut.run.interrupted = true;
  AddRun(*store_, cut);
  AddRun(*store_, MakeRun("gpu", StartedAt(31), {{"branch", "main"}}, {GemmCase("cpu", 1e-3), GemmCase("cuda:0", 1e-5)}));
  HistoryBaseline hb = BaselineFromHistory(*store_, {"cpu", {}, ""}, 3, "h", false, "gpu");
  EXPECT_EQ(hb.run_ids, (std::vector<std::string>{"r07", "r06", "r05"}));
  hb = BaselineFromHistory(*store_, {"h100-sxm-80gb", {}, ""}, 3, "h", true);
  EXPECT_EQ(hb.run_ids, (std::vector<std::string>{"gpu", "cut"}));
  ASSERT_EQ(hb.baseline.cases.size(), 1u);  // only the cuda:0 case
  EXPECT_EQ(hb.baseline.sku, "h100-sxm-80gb");
  try {
    BaselineFromHistory(*store_, {"cpu", {{"branch", "dev"}}, ""}, 3, "h", false);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no finished run matches (filters: sku cpu, label branch=dev)"),
              std::string::npos) << e.what();
  }
}

// Runs of two machines (one GPU model on two clouds' instances) make no baseline together: the
// error lists them, and --machine (filter.machine) picks one.
TEST_F(HistoryBaselineTest, RunsOfTwoMachinesMakeNoBaselineUntilOneIsNamed) {
  for (int i = 0; i < 4; ++i) {
    ResultsDoc run = MakeRun("g" + std::to_string(i), StartedAt(40 + i), {}, {GemmCase("cuda:0", i % 2 ? 1e-5 : 1.2e-5)});
    run.system.cloud.instance_type = i % 2 ? "p5.48xlarge" : "a3-highgpu-8g";
    AddRun(*store_, run);
  }
  HistoryFilter f{"h100-sxm-80gb", {}, ""};
  try {
    BaselineFromHistory(*store_, f, 4, "h", false);
    FAIL() << "made a baseline of two machines";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("are of 2 machines (a3-highgpu-8g: 2 run(s), p5.48xlarge: 2 run(s)); "
                                         "a baseline is of one: give --machine M"),
              std::string::npos) << e.what();
  }
  f.machine = "p5.48xlarge";
  const HistoryBaseline hb = BaselineFromHistory(*store_, f, 4, "h", false);
  EXPECT_EQ(hb.run_ids, (std::vector<std::string>{"g3", "g1"}));
  EXPECT_EQ(HistoryFilterText(f), "sku h100-sxm-80gb, machine p5.48xlarge");
  // The cpu runs name no machine: "" picks them, and they are one machine already.
  f = {"cpu", {}, "", std::string()};
  EXPECT_EQ(BaselineFromHistory(*store_, f, 2, "h", false).run_ids, (std::vector<std::string>{"r07", "r06"}));
  EXPECT_EQ(HistoryFilterText(f), "sku cpu, machine (none)");
}

}  // namespace
}  // namespace gq
