// A node's GPUs judged against each other, and an MPI job's straggler rank, without a baseline
// (harness/decide/qualify_siblings.h).
#include "harness/decide/qualify_siblings.h"

#include <gtest/gtest.h>

#include "harness/decide/qualify.h"

namespace gq {
namespace {

// Case `id` on cuda:d with `metric` (TFLOP/s by default) at `value` and a 95% CI of +-`ci`
// (relative).
CaseResult Gemm(const std::string& id, int d, double value, double ci = 0.005, const std::string& metric = "tflops",
                const std::string& unit = "TFLOP/s", bool higher_is_better = true) {
  CaseResult c;
  c.id = id;
  c.workload = "gemm";
  c.device = "cuda:" + std::to_string(d);
  c.status = CaseStatus::kOk;
  c.primary_metric = metric;
  MetricResult m{unit, higher_is_better, value};
  m.ci95_low = value * (1 - ci);
  m.ci95_high = value * (1 + ci);
  c.metrics = {{metric, m}};
  return c;
}

ResultsDoc Node(double rate_of_3, double ci_of_3 = 0.005) {
  ResultsDoc doc;
  for (const char* id : {"gemm/a", "gemm/b"}) {
    for (int d = 0; d < 8; ++d) doc.cases.push_back(Gemm(id, d, d == 3 ? rate_of_3 : 600 + d, d == 3 ? ci_of_3 : 0.005));
  }
  return doc;
}

TEST(SiblingChecksTest, ASlowGpuFailsAndAHealthyNodePasses) {
  std::vector<QualifyCheck> out;
  SiblingChecks(Node(510), QualifyThreshold{}, out);  // 85% of the median
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "cuda:3 vs its siblings");
  EXPECT_EQ(out[0].status, QualifyStatus::kFail);
  EXPECT_NE(out[0].reason.find("behind the median of the run's GPUs in 2 case(s) (below 90.0% with its 95% CI); worst 84."),
            std::string::npos)
      << out[0].reason;
  EXPECT_NE(out[0].reason.find("against 7 other GPUs"), std::string::npos) << out[0].reason;
  out.clear();
  SiblingChecks(Node(570), QualifyThreshold{}, out);  // 94.5%: WARN
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, QualifyStatus::kWarn);
  out.clear();
  SiblingChecks(Node(600), QualifyThreshold{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, QualifyStatus::kPass);
  EXPECT_EQ(out[0].reason, "8 GPUs within 5.0% of their median in each of 2 case(s)");
}

// A GPU whose own 95% CI reaches the threshold is not condemned on its median alone.
TEST(SiblingChecksTest, AGpuWithinItsOwnSpreadOfTheThresholdIsNotBehind) {
  std::vector<QualifyCheck> out;
  SiblingChecks(Node(560, 0.10), QualifyThreshold{}, out);  // 93% of the median, CI reaches 103%
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, QualifyStatus::kPass) << out[0].reason;
}

// A figure where lower is better (a time): the slow GPU is the one whose time is above the others',
// judged as others / its own, and its CI's low end is the end nearest them.
TEST(SiblingChecksTest, ALowerIsBetterFigureIsJudgedByItsInverse) {
  ResultsDoc doc;
  const auto timed = [](int d, double ms, double ci) { return Gemm("e2e/latency", d, ms, ci, "ttft_ms", "ms", false); };
  for (int d = 0; d < 4; ++d) doc.cases.push_back(timed(d, d == 2 ? 12.0 : 10.0, 0.01));
  std::vector<QualifyCheck> out;
  SiblingChecks(doc, QualifyThreshold{}, out);  // cuda:2 at 10/12 = 83% of the others' speed
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "cuda:2 vs its siblings");
  EXPECT_EQ(out[0].status, QualifyStatus::kFail);
  EXPECT_NEAR(out[0].value, 10.0 / 12.0, 1e-12);
  EXPECT_NE(out[0].reason.find("worst 83.3% in e2e/latency"), std::string::npos) << out[0].reason;
  doc.cases[2] = timed(2, 10.6, 0.01);  // 94.3%, its CI's low end 10.49 ms: 95.3%, within
  out.clear();
  SiblingChecks(doc, QualifyThreshold{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, QualifyStatus::kPass) << out[0].reason;
  doc.cases[2] = timed(2, 10.6, 0.001);  // the same median, a tight CI: WARN
  out.clear();
  SiblingChecks(doc, QualifyThreshold{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, QualifyStatus::kWarn) << out[0].reason;
  doc.cases[0] = timed(0, 9.0, 0.01);  // a faster GPU is not behind
  doc.cases[2] = timed(2, 10.0, 0.01);
  out.clear();
  SiblingChecks(doc, QualifyThreshold{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].status, QualifyStatus::kPass) << out[0].reason;
}

TEST(SiblingChecksTest, FewerThanThreeGpusOrGroupDevicesAreNotJudged) {
  ResultsDoc doc;
  doc.cases = {Gemm("gemm/a", 0, 600), Gemm("gemm/a", 1, 300)};
  CaseResult group = Gemm("allreduce/a", 0, 100);
  group.device = "cuda:0-7";
  doc.cases.push_back(group);
  std::vector<QualifyCheck> out;
  SiblingChecks(doc, QualifyThreshold{}, out);
  EXPECT_TRUE(out.empty());
}

// Host-link copies differ between healthy GPUs by their place (NUMA node, PCIe switch): not judged.
TEST(SiblingChecksTest, CopiesOverALinkAreNotJudged) {
  ResultsDoc doc = Node(510);
  for (CaseResult& c : doc.cases) {
    c.workload = "membw";
    c.params = {{"op", "h2d_ce"}};
  }
  std::vector<QualifyCheck> out;
  SiblingChecks(doc, QualifyThreshold{}, out);
  EXPECT_TRUE(out.empty());
}

// A noisy case's gap between ranks may be its noise: only ok cases name a straggler.
TEST(StragglerChecksTest, ANoisyCaseNamesNoStraggler) {
  ResultsDoc doc;
  CaseResult c = Gemm("allreduce/a", 0, 100);
  c.device = "2xcpu";
  c.status = CaseStatus::kNoisy;
  c.straggler = Straggler{0, "node-a", "cpu", 0.012, 0.124};
  doc.cases = {c};
  std::vector<QualifyCheck> out;
  StragglerChecks(doc, QualifyThreshold{}, out);
  EXPECT_TRUE(out.empty());
}

TEST(StragglerChecksTest, TheSlowRankIsNamedWithItsHostAndGpu) {
  ResultsDoc doc;
  for (const char* id : {"allreduce/a", "allreduce/b", "gemm/a"}) {
    CaseResult c = Gemm(id, 0, 100);
    c.device = "16xcuda";
    doc.cases.push_back(c);
  }
  doc.cases[0].straggler = Straggler{11, "node-b", "cuda:3", 0.012, 0.176};
  doc.cases[2].straggler = Straggler{11, "node-b", "cuda:3", 0.011, 0.08};
  std::vector<QualifyCheck> out;
  StragglerChecks(doc, QualifyThreshold{}, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "rank 11 straggler");
  EXPECT_EQ(out[0].status, QualifyStatus::kFail);  // 1 / 1.176 = 85.0% < 90%
  EXPECT_EQ(out[0].reason,
            "rank 11 (node-b cuda:3) was the slowest rank in 2 case(s); worst 17.6% behind the fastest in "
            "allreduce/a (85.0% of its rate; FAIL below 90.0%)");
  // Through qualify, without a baseline: the verdict fails on it.
  EXPECT_EQ(Qualify(doc, nullptr, nullptr, {}).overall, QualifyStatus::kFail);
}

}  // namespace
}  // namespace gq
