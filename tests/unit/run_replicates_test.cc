// The GPUs of one run are not runs (harness/decide/run_replicates.h): a baseline made of one 8-GPU
// run has one replicate per round, and compare against it says "one run on each side"; a slow GPU
// moves neither the baseline's replicate (median) nor hides in rank's figure (mean).
#include "harness/decide/run_replicates.h"

#include <gtest/gtest.h>

#include "harness/decide/baseline.h"
#include "harness/decide/compare.h"
#include "harness/decide/procurement.h"
#include "harness/stats.h"

namespace gq {
namespace {

TEST(CombineDevicesTest, OneValuePerRoundOverTheDevicesThatHaveIt) {
  const auto median = [](const std::vector<double>& v) { return Median(v); };
  EXPECT_EQ(CombineDevices({{1, 10}, {3, 30}, {2, 20}}, median), (std::vector<double>{2, 20}));
  EXPECT_EQ(CombineDevices({{1, 10}, {3}}, [](const std::vector<double>& v) { return Mean(v); }),
            (std::vector<double>{2, 10}));
  EXPECT_TRUE(CombineDevices({}, median).empty());
}

// One run on `gpus` GPUs of a gemm case whose device d takes seconds[d] per iteration (3 samples
// each, one round), with tflops = 1 / t.
ResultsDoc Node(const std::string& id, const std::vector<double>& seconds) {
  ResultsDoc doc;
  doc.run.id = id;
  doc.system.cloud.instance_type = id;
  for (std::size_t d = 0; d < seconds.size(); ++d) {
    GpuInfo g;
    g.index = static_cast<int>(d);
    g.sku = "h100-sxm-80gb";
    doc.system.devices.push_back(g);
    CaseResult c;
    c.id = "gemm/m=1";
    c.workload = "gemm";
    c.device = "cuda:" + std::to_string(d);
    c.status = CaseStatus::kOk;
    c.primary_metric = "tflops";
    c.iterations_per_sample = 1;
    c.work.flops = 1e12;
    const double t = seconds[d];
    c.samples_s = {t * 0.999, t, t * 1.001};
    const double r = 1 / t;
    c.metrics = {{"tflops", MetricResult{"TFLOP/s", true, r, r, 0, 0, r, r, r / 1.001, r / 0.999, r, r, 3}}};
    doc.cases.push_back(c);
  }
  return doc;
}

TEST(RunReplicatesTest, ABaselineOfOneEightGpuRunHasOneReplicateAndASlowGpuDoesNotMoveIt) {
  std::vector<double> seconds(8, 0.010);
  seconds[3] = 0.0115;  // one GPU 13% slow
  const Baseline b = CreateBaseline({Node("a", seconds)}, {"a.json"}, "x");
  ASSERT_EQ(b.cases.size(), 1u);
  EXPECT_EQ(b.cases[0].replicate_medians_s, std::vector<double>{0.010});
  EXPECT_EQ(b.cases[0].sources, 8);
  // Two runs: two replicates.
  const Baseline two = CreateBaseline({Node("a", seconds), Node("b", std::vector<double>(8, 0.0101))},
                                      {"a.json", "b.json"}, "x");
  EXPECT_EQ(two.cases[0].replicate_medians_s.size(), 2u);
  // A candidate node 6% slower against one baseline run: one run on each side, not "8 runs".
  const CompareReport r = Compare(Node("c", std::vector<double>(8, 0.0106)), b, CompareOptions{});
  ASSERT_EQ(r.rows.size(), 8u);
  for (const CompareRow& row : r.rows) {
    EXPECT_EQ(row.verdict, Verdict::kInconclusive) << row.reason;
    EXPECT_EQ(row.runs_baseline, 1) << row.reason;
    EXPECT_EQ(row.reason.find("spread of 8 runs"), std::string::npos) << row.reason;
  }
}

TEST(RunReplicatesTest, RankScoresANodeWithASlowGpuBelowAHealthyOne) {
  std::vector<double> bad(8, 0.010);
  bad[3] = 0.0115;
  ProcurementOptions o;
  o.objective = Objective::kPerformance;
  const ProcurementReport r =
      BuildProcurement({Node("good", std::vector<double>(8, 0.010)), Node("bad", bad)}, nullptr, nullptr, nullptr, o);
  ASSERT_NE(r.Find("bad"), nullptr);
  ASSERT_TRUE(r.Find("bad")->score.has_value());
  // The mean over the GPUs: (7 + 1/1.15) / 8 of the healthy node's per-GPU rate.
  EXPECT_NEAR(r.Find("bad")->score->value, (7 + 1 / 1.15) / 8, 1e-9);
  EXPECT_EQ(r.ranking.at(0).machine, "good");
}

}  // namespace
}  // namespace gq
