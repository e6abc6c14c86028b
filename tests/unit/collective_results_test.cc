// What the collectives add to results and their readers: per-rank figures and the straggler in
// the JSON both ways (absent keys read as a single process), single-rank cases qualified and
// compared on algbw (their busbw is 0), and ad-hoc plans with
// per-device-kind size defaults.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/plan.h"
#include "harness/decide/compare.h"
#include "harness/decide/qualify.h"
#include "harness/record/results_json.h"

namespace gq {
namespace {

CaseResult CollectiveCase(double busbw, bool single_rank) {
  CaseResult c;
  c.id = "allreduce/size=1073741824/dtype=fp32/op=sum/in_place=false/graph=false";
  c.workload = "allreduce";
  c.params = {{"size", "1073741824"},
              {"dtype", "fp32"},
              {"op", "sum"},
              {"in_place", "false"},
              {"graph", "false"}};
  c.device = single_rank ? "cuda:0" : "8xcuda";
  c.status = CaseStatus::kOk;
  c.primary_metric = "busbw";
  c.metrics = {{"busbw", MetricResult{"GB/s", true, busbw}},
               {"algbw", MetricResult{"GB/s", true, 200}}};
  c.work.bytes = 1073741824;
  c.work.busbw_factor = single_rank ? 0 : 1.75;
  if (single_rank)
    c.details = {{"single_rank", "true"}, {"note", "single rank: bus bandwidth undefined"}};
  return c;
}

ResultsDoc Doc() {
  ResultsDoc d;
  d.run.id = "r";
  d.system.world = {8, 2, "mpi"};
  CaseResult c = CollectiveCase(350, false);
  c.ranks = {{0, "node-a", "cuda:0", 5.1e-3},
             {1, "node-a", "cuda:1", 5.0e-3},
             {7, "node-b", "cuda:3", 6.2e-3}};
  c.straggler = Straggler{7, "node-b", "cuda:3", 6.2e-3, 0.24};
  d.cases.push_back(c);
  return d;
}

TEST(CollectiveResultsTest, RankFiguresAndStragglerRoundTrip) {
  const ResultsDoc d = Doc();
  const auto j = ResultsToJson(d);
  EXPECT_EQ(j["system"]["world"]["backend"], "mpi");
  EXPECT_EQ(j["cases"][0]["ranks"].size(), 3u);
  EXPECT_EQ(j["cases"][0]["ranks"][2]["host"], "node-b");
  EXPECT_EQ(j["cases"][0]["straggler"]["rank"], 7);
  const ResultsDoc back = ResultsFromJson(j, "mem.json");
  EXPECT_EQ(back.system.world.ranks, 8);
  EXPECT_EQ(back.system.world.nodes, 2);
  const CaseResult& c = back.cases.at(0);
  ASSERT_EQ(c.ranks.size(), 3u);
  EXPECT_EQ(c.ranks[1].device, "cuda:1");
  EXPECT_DOUBLE_EQ(c.ranks[2].median_s, 6.2e-3);
  ASSERT_TRUE(c.straggler.has_value());
  EXPECT_EQ(c.straggler->host, "node-b");
  EXPECT_DOUBLE_EQ(c.straggler->spread, 0.24);
  EXPECT_DOUBLE_EQ(c.work.busbw_factor, 1.75);

  // A single-process case writes an empty list and null, and files without the keys still read.
  ResultsDoc single;
  single.run.id = "s";
  single.cases.push_back(CollectiveCase(0, true));
  auto js = ResultsToJson(single);
  EXPECT_TRUE(js["cases"][0]["ranks"].empty());
  EXPECT_TRUE(js["cases"][0]["straggler"].is_null());
  js["cases"][0].erase("ranks");
  js["cases"][0].erase("straggler");
  const ResultsDoc old = ResultsFromJson(js, "old.json");
  EXPECT_TRUE(old.cases.at(0).ranks.empty());
  EXPECT_FALSE(old.cases.at(0).straggler.has_value());
}

// A single-rank case (busbw 0, undefined) qualifies on algbw, as compare judges it, also from a
// file written before the runner named algbw its primary metric.
TEST(CollectiveResultsTest, SingleRankCasesQualifyOnAlgbw) {
  ResultsDoc d;
  d.cases = {CollectiveCase(0, true)};
  d.cases[0].metrics[1].second.median = 190;  // algbw 95% of the baseline's 200: PASS
  Baseline b;
  b.name = "base";
  b.cases = {{d.cases[0].id,
              "allreduce",
              {},
              "busbw",
              {{"busbw", MetricResult{"GB/s", true, 400}}, {"algbw", MetricResult{"GB/s", true, 200}}},
              {},
              {},
              1}};
  const auto allreduce = [](const QualifyVerdict& v) {
    for (const QualifyCheck& c : v.checks) {
      if (c.name.rfind("allreduce", 0) == 0) return c;
    }
    return QualifyCheck{};
  };
  QualifyCheck check = allreduce(Qualify(d, &b, nullptr, {}));
  EXPECT_EQ(check.status, QualifyStatus::kPass) << check.reason;
  EXPECT_NE(check.reason.find("95.0% of baseline 200 GB/s"), std::string::npos) << check.reason;
  // The same case with 8 ranks against a baseline of one rank: not judged (a copy is no allreduce).
  d.cases = {CollectiveCase(200, false)};
  check = allreduce(Qualify(d, &b, nullptr, {}));
  EXPECT_EQ(check.status, QualifyStatus::kWarn) << check.reason;
  EXPECT_NE(check.reason.find("not comparable: this run ran this collective on several ranks (bus factor 1.75), "
                              "baseline base on one rank"),
            std::string::npos)
      << check.reason;
  // Against a baseline of 8 ranks it is judged on busbw (and fails here: 200 of 400 GB/s).
  b.cases[0].work.busbw_factor = 1.75;
  check = allreduce(Qualify(d, &b, nullptr, {}));
  EXPECT_EQ(check.status, QualifyStatus::kFail) << check.reason;
  EXPECT_NE(check.reason.find("50.0% of baseline 400 GB/s"), std::string::npos) << check.reason;
}

TEST(CollectiveResultsTest, SingleRankCasesCompareOnAlgbw) {
  ResultsDoc d;
  d.cases = {CollectiveCase(0, true)};
  d.cases[0].metrics[1].second.median = 190;  // algbw 5% below the baseline's 200
  Baseline b;
  b.name = "base";
  b.cases = {
      {d.cases[0].id,
       "allreduce",
       {},
       "busbw",
       {{"busbw", MetricResult{"GB/s", true, 0}}, {"algbw", MetricResult{"GB/s", true, 200}}},
       {},
       {},
       1}};
  CompareOptions opt;
  opt.tolerance = 0.10;
  CompareReport report = Compare(d, b, opt);
  ASSERT_EQ(report.rows.size(), 1u);
  EXPECT_EQ(report.rows[0].metric, "algbw");
  // (one figure per side: no between-run spread, so compared but not decided)
  EXPECT_EQ(report.rows[0].verdict, Verdict::kInconclusive) << report.rows[0].reason;
  EXPECT_NEAR(report.rows[0].change, -0.05, 1e-12);
  EXPECT_EQ(report.ExitCode(), 0);
  // Several ranks against a baseline of one: not comparable, and the gate fails saying so.
  d.cases = {CollectiveCase(350, false)};
  report = Compare(d, b, opt);
  EXPECT_EQ(report.rows.at(0).verdict, Verdict::kFailed);
  EXPECT_EQ(report.rows[0].reason,
            "not comparable: the candidate ran this collective on several ranks (bus factor 1.75), the baseline on "
            "one rank (a copy; figure algbw): the same number of ranks (GPUs) on both sides is needed");
  EXPECT_EQ(report.ExitCode(), 1);
  // With several ranks on both sides busbw is the figure.
  b.cases[0].work.busbw_factor = 1.75;
  b.cases[0].metrics[0].second.median = 350;
  report = Compare(d, b, opt);
  EXPECT_EQ(report.rows.at(0).metric, "busbw");
  EXPECT_NEAR(report.rows[0].change, 0, 1e-12);
  // One rank against a baseline of several: not comparable either.
  d.cases = {CollectiveCase(0, true)};
  report = Compare(d, b, opt);
  EXPECT_EQ(report.rows.at(0).verdict, Verdict::kFailed);
  EXPECT_NE(report.rows[0].reason.find("the candidate ran this collective on one rank"), std::string::npos);
}

// 16 ranks on 2 nodes of 8 GPUs against 16 ranks on 4 nodes of 4: one bus factor, but the traffic
// crosses the network on both and between a different number of nodes: not comparable. A file
// that does not state its nodes (written before they were recorded) is judged on the factor.
TEST(CollectiveResultsTest, TheSameRanksOnAnotherNumberOfNodesAreNotComparable) {
  ResultsDoc d;
  d.cases = {CollectiveCase(350, false)};
  d.cases[0].work.nodes = 2;
  Baseline b;
  b.name = "base";
  b.cases = {{d.cases[0].id, "allreduce", {}, "busbw", {{"busbw", MetricResult{"GB/s", true, 350}}}, {}, {}, 1}};
  b.cases[0].work.busbw_factor = d.cases[0].work.busbw_factor;
  b.cases[0].work.nodes = 4;
  CompareReport report = Compare(d, b, {});
  EXPECT_EQ(report.rows.at(0).verdict, Verdict::kFailed);
  EXPECT_EQ(report.rows[0].reason,
            "not comparable: the candidate ran this collective on several ranks (bus factor 1.75) over 2 nodes, the "
            "baseline on several ranks (bus factor 1.75) over 4 nodes: the same number of nodes on both sides is "
            "needed (links within a node and the network between nodes are different paths)");
  b.cases[0].work.nodes = 0;  // not stated
  EXPECT_NE(Compare(d, b, {}).rows.at(0).verdict, Verdict::kFailed);
  b.cases[0].work.nodes = 2;
  EXPECT_NE(Compare(d, b, {}).rows.at(0).verdict, Verdict::kFailed);
  // The nodes survive the results file.
  const ResultsDoc back = ResultsFromJson(ResultsToJson(d), "t");
  EXPECT_EQ(back.cases.at(0).work.nodes, 2);
}

TEST(CollectiveResultsTest, AdHocPlansUseSmallerSizesOnTheCpu) {
  const WorkloadRegistry registry = BuildRegistry();
  RunOptions o;
  o.workloads = {"allreduce"};
  const auto plan = BuildPlan(registry, o, nullptr);
  int cuda = 0, cpu = 0;
  for (const PlannedCase& c : plan) {
    (c.device == DeviceFilter::kCuda ? cuda : cpu) += 1;
    EXPECT_NE(c.device, DeviceFilter::kAny);
  }
  EXPECT_EQ(cuda, 12);  // 1K .. 1G x4, 8G
  EXPECT_EQ(cpu, 9);    // 1K .. 64M x4
  EXPECT_EQ(plan.front().spec.Id(),
            "allreduce/size=1024/dtype=fp32/op=sum/in_place=false/graph=false");
  o.axes["size"] = {"4K"};
  EXPECT_EQ(BuildPlan(registry, o, nullptr).size(), 2u);  // one per device kind
  o.workloads = {"gemm"};
  o.axes.clear();
  const auto gemm = BuildPlan(registry, o, nullptr);  // its defaults differ per device kind too
  ASSERT_EQ(gemm.size(), 3u);
  EXPECT_EQ(gemm[0].device, DeviceFilter::kCuda);
  EXPECT_EQ(gemm[0].spec.Get("dtype"), "bf16");
  EXPECT_EQ(gemm[1].device, DeviceFilter::kCpu);
  EXPECT_EQ(gemm[1].spec.Get("dtype"), "fp32");
  EXPECT_EQ(gemm[2].spec.Get("dtype"), "fp64");
  o.workloads = {"membw"};  // the cpu takes its STREAM-style ops only
  const auto membw = BuildPlan(registry, o, nullptr);
  EXPECT_EQ(std::count_if(membw.begin(), membw.end(), [](const PlannedCase& c) { return c.device == DeviceFilter::kCuda; }),
            8);
  EXPECT_EQ(std::count_if(membw.begin(), membw.end(), [](const PlannedCase& c) { return c.device == DeviceFilter::kCpu; }),
            4);
}

}  // namespace
}  // namespace gq
