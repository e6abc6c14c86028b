// harness/decide/history_trend: a case's series over the stored runs with the change point where
// the runs slowed down, failed runs listed but not used, the trend JSON the report draws, and
// the console text of `history show` / `history trend`.
#include "harness/decide/history_trend.h"

#include <gtest/gtest.h>

#include <sstream>

#include "harness/decide/history_trend_format.h"
#include "harness/errors.h"
#include "tests/unit/history_fixture.h"

namespace gq {
namespace {

using testing::AddRun;
using testing::GemmCase;
using testing::MakeRun;
using testing::StartedAt;

constexpr const char* kCase = "gemm/dtype=fp32/m=256";

class HistoryTrendTest : public testing::HistorySeriesTest {
 protected:
  void SetUp() override {
    HistorySeriesTest::SetUp();
    // 12 runs: from r06 on every iteration takes 25% longer (tflops falls 20%).
    std::vector<double> s;
    for (int i = 0; i < 12; ++i) s.push_back((i < 6 ? 1e-3 : 1.25e-3) * (1 + 0.003 * (i % 3)));
    Fill(s);
  }
};

TEST_F(HistoryTrendTest, FindsTheSlowdownAtItsCommit) {
  const auto series = BuildTrend(*store_, {}, {}, {});
  ASSERT_EQ(series.size(), 1u);
  const TrendSeries& s = series[0];
  EXPECT_EQ(s.case_id, kCase);
  EXPECT_EQ(s.device, "cpu");
  EXPECT_EQ(s.metric, "tflops");
  EXPECT_EQ(s.points.size(), 12u);
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].index, 6u);
  EXPECT_EQ(s.points[6].labels.at("commit"), "c06");
  EXPECT_EQ(s.changes[0].decision.call, ChangeCall::kRegressed);
  EXPECT_NEAR(s.changes[0].decision.change, -0.2, 0.01);
  ASSERT_EQ(s.segments.size(), 2u);
  EXPECT_EQ(s.segments[1].begin, 6u);
  EXPECT_EQ(s.segments[1].end, 12u);
  // Following time_ms instead: lower is better, the same point.
  TrendOptions time;
  time.metric = "time_ms";
  const auto t = BuildTrend(*store_, {}, {kCase}, time);
  EXPECT_FALSE(t[0].higher_is_better);
  ASSERT_EQ(t[0].changes.size(), 1u);
  EXPECT_EQ(t[0].changes[0].decision.call, ChangeCall::kRegressed);
}

// Runs of two GPU models under one device name (two machines, cuda:0 each) are two series: the
// slower model's runs are not a regression of the faster one.
using HistorySkuTest = testing::HistoryDirTest;

TEST_F(HistorySkuTest, OneDeviceNameOfTwoSkusIsTwoSeries) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  for (int i = 0; i < 10; ++i) {
    ResultsDoc run = MakeRun("m" + std::to_string(i), StartedAt(i), {}, {GemmCase("cuda:0", i < 5 ? 1e-3 : 2e-3)});
    if (i >= 5) {
      run.system.devices[0].name = "NVIDIA A100-SXM4-80GB";
      run.system.devices[0].sku = "a100-sxm4-80gb";
    }
    AddRun(store, run);
  }
  const auto series = BuildTrend(store, {}, {}, {});
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].sku, "a100-sxm4-80gb");
  EXPECT_EQ(series[1].sku, "h100-sxm-80gb");
  for (const TrendSeries& s : series) {
    EXPECT_EQ(s.device, "cuda:0");
    EXPECT_EQ(s.points.size(), 5u);
    EXPECT_TRUE(s.changes.empty()) << s.sku;
  }
}

// Runs of one GPU model on two machines (another cloud's instance type; a "machine" label over
// both) are series of their own: moving to the slower machine is no change point of the faster.
TEST_F(HistorySkuTest, TwoMachinesOfOneSkuAreTwoSeries) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  for (int i = 0; i < 10; ++i) {
    ResultsDoc run = MakeRun("m" + std::to_string(i), StartedAt(i), {}, {GemmCase("cuda:0", i < 5 ? 1e-3 : 1.1e-3)});
    run.system.cloud.instance_type = i < 5 ? "p5.48xlarge" : "a3-highgpu-8g";
    if (i == 9) run.run.labels = {{"machine", "rack-7"}};
    AddRun(store, run);
  }
  const auto series = BuildTrend(store, {}, {}, {});
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].machine, "a3-highgpu-8g");
  EXPECT_EQ(series[0].points.size(), 4u);
  EXPECT_EQ(series[1].machine, "p5.48xlarge");
  EXPECT_EQ(series[2].machine, "rack-7");
  for (const TrendSeries& s : series) EXPECT_TRUE(s.changes.empty()) << s.machine;
  EXPECT_EQ(TrendToJson(series, {}, {}, "h.db")["series"][1]["machine"], "p5.48xlarge");
}

// CI runners in containers: a new hostname every job, no instance type: one series, and the step
// is found.
TEST_F(HistorySkuTest, RunsOnHostsThatChangeEveryJobAreOneSeries) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  for (int i = 0; i < 10; ++i) {
    ResultsDoc run = MakeRun("m" + std::to_string(i), StartedAt(i), {}, {GemmCase("cuda:0", i < 5 ? 1e-3 : 1.25e-3)});
    run.system.host.hostname = "runner-" + std::to_string(i);
    AddRun(store, run);
  }
  const auto series = BuildTrend(store, {}, {}, {});
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].machine, "");
  ASSERT_EQ(series[0].changes.size(), 1u);
  EXPECT_EQ(series[0].changes[0].index, 5u);
}

TEST_F(HistoryTrendTest, FailedRunsAreListedButNotUsed) {
  CaseResult failed = GemmCase("cpu", 1e-3);
  failed.status = CaseStatus::kFailed;
  failed.reason = "cublas error";
  failed.metrics.clear();
  AddRun(*store_, MakeRun("r-fail", StartedAt(3) + "x", {{"branch", "main"}, {"commit", "cf"}}, {failed}));
  const TrendSeries s = BuildTrend(*store_, {}, {kCase}, {})[0];
  ASSERT_EQ(s.points.size(), 13u);
  EXPECT_EQ(s.points[4].run_id, "r-fail");
  EXPECT_FALSE(s.used[4]);
  EXPECT_FALSE(s.points[4].has_metric);
  // Indexes are into the points, the failed one included.
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].index, 7u);
  EXPECT_EQ(s.segments[0].end, 7u);
  const auto j = TrendToJson({s}, {}, {}, "h.db");
  EXPECT_TRUE(j["series"][0]["points"][4]["median"].is_null());
  EXPECT_EQ(j["series"][0]["points"][4]["status"], "failed");
}

TEST_F(HistoryTrendTest, FiltersAndUnknownCases) {
  EXPECT_TRUE(BuildTrend(*store_, {"", {{"branch", "dev"}}, ""}, {}, {}).empty());
  EXPECT_EQ(BuildTrend(*store_, {"", {}, StartedAt(8)}, {}, {})[0].points.size(), 4u);
  EXPECT_THROW(BuildTrend(*store_, {}, {"gemm/none"}, {}), UsageError);
  // An id with its later axes left out is answered with the stored ids it could mean.
  try {
    BuildTrend(*store_, {}, {"gemm/dtype=fp32"}, {});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("has this case; stored: gemm/dtype=fp32/m=256"), std::string::npos)
        << e.what();
  }
  try {
    BuildTrend(*store_, {}, {"attention/x=1"}, {});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("(gpuqual history list shows the runs)"), std::string::npos) << e.what();
  }
  TrendOptions bad;
  bad.metric = "no_such_metric";
  EXPECT_THROW(BuildTrend(*store_, {}, {kCase}, bad), UsageError);
}

TEST_F(HistoryTrendTest, TrendJsonCarriesWhatTheReportDraws) {
  const auto series = BuildTrend(*store_, {"cpu", {{"branch", "main"}}, ""}, {}, {});
  const auto j = TrendToJson(series, {"cpu", {{"branch", "main"}}, ""}, {}, "/x/h.db");
  EXPECT_EQ(j["schema"], kTrendSchema);
  EXPECT_EQ(j["database"], "/x/h.db");
  EXPECT_EQ(j["filters"]["labels"]["branch"], "main");
  EXPECT_TRUE(j["filters"]["machine"].is_null());
  EXPECT_EQ(j["filters"]["text"], "sku cpu, label branch=main");
  HistoryFilter rack{"cpu", {}, "", "rack-7"};
  EXPECT_EQ(TrendToJson({}, rack, {}, "/x/h.db")["filters"]["machine"], "rack-7");
  EXPECT_EQ(TrendToJson({}, rack, {}, "/x/h.db")["filters"]["text"], "sku cpu, machine rack-7");
  EXPECT_EQ(j["rule"]["window"], 4);
  EXPECT_NE(j["rule"]["text"].get<std::string>().find("Welch t"), std::string::npos);
  const auto& s = j["series"][0];
  EXPECT_EQ(s["points"].size(), 12u);
  EXPECT_EQ(s["points"][0]["commit"], "c00");
  EXPECT_TRUE(s["points"][0]["used"].get<bool>());
  EXPECT_LE(s["points"][0]["ci95_low"].get<double>(), s["points"][0]["median"].get<double>());
  ASSERT_EQ(s["change_points"].size(), 1u);
  EXPECT_EQ(s["change_points"][0]["index"], 6);
  EXPECT_EQ(s["change_points"][0]["commit"], "c06");
  EXPECT_EQ(s["change_points"][0]["call"], "regressed");
  EXPECT_EQ(s["segments"].size(), 2u);
}

TEST_F(HistoryTrendTest, ConsoleTextMarksTheChangePoint) {
  const auto series = BuildTrend(*store_, {}, {}, {});
  std::ostringstream table, summary;
  PrintTrendTable(table, series);
  PrintTrendSummary(summary, series);
  EXPECT_NE(table.str().find("<< -19.9%"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("change point at c06"), std::string::npos) << table.str();
  EXPECT_NE(summary.str().find("1 series, 1 change point(s)"), std::string::npos) << summary.str();
}

// A series too short for the rule is not called free of change points: it was not looked at.
TEST_F(HistoryTrendTest, ASeriesTooShortForTheRuleSaysSo) {
  TrendOptions wide;
  wide.rule.window = 7;  // 14 runs needed, 12 stored
  const auto series = BuildTrend(*store_, {}, {}, wide);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_FALSE(series[0].Searched());
  std::ostringstream table, summary;
  PrintTrendTable(table, series);
  PrintTrendSummary(summary, series);
  const std::string why = "too few runs to look for change points (12 with the metric; 14 needed at --window 7)";
  EXPECT_NE(table.str().find(why), std::string::npos) << table.str();
  EXPECT_EQ(table.str().find("no change point"), std::string::npos) << table.str();
  EXPECT_NE(summary.str().find(why), std::string::npos) << summary.str();
  TrendOptions flat;  // the default window looks, and finds the step
  EXPECT_TRUE(BuildTrend(*store_, {}, {}, flat)[0].Searched());
}

}  // namespace
}  // namespace gq
