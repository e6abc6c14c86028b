#include "harness/case_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "app/plan.h"
#include "harness/record/results_json.h"
#include "workloads/registry.h"

namespace gq {
namespace {

const char* kOldE2eId =
    "e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/dtype=bf16/tp=1/layers=0/"
    "hidden=0/heads=0/kv_heads=0/ffn=0/vocab=0";
const char* kNewE2eId = "e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/dtype=bf16/tp=1";

TEST(CaseIdTest, AutomaticAxesStayOutOfNewIds) {
  const Params params = {{"backend", "cpu"}, {"heads", "4"}, {"kv_heads", "0"}, {"seq_q", "128"},
                         {"seq_kv", "0"},    {"dtype", "bf16"}};
  EXPECT_EQ(CaseId("attention", params), "attention/backend=cpu/heads=4/seq_q=128/dtype=bf16");
  EXPECT_EQ(CaseId("attention", {{"kv_heads", "2"}, {"seq_kv", "64"}}), "attention/kv_heads=2/seq_kv=64");
  // Only the workloads whose axis is automatic: membw's threads=0 and gemm's axes stay.
  EXPECT_EQ(CaseId("membw", {{"op", "copy"}, {"threads", "0"}}), "membw/op=copy/threads=0");
  EXPECT_EQ(CaseId("gemm", {}), "gemm");
}

TEST(CaseIdTest, OldIdsMapToNewOnesAndTheMappingIsIdempotent) {
  EXPECT_EQ(CanonicalCaseId(kOldE2eId), kNewE2eId);
  EXPECT_EQ(CanonicalCaseId(kNewE2eId), kNewE2eId);
  EXPECT_EQ(CanonicalCaseId("e2e/model=tiny/layers=2/hidden=0"), "e2e/model=tiny/layers=2");
  EXPECT_EQ(CanonicalCaseId("gemm/dtype=bf16/m=0"), "gemm/dtype=bf16/m=0");
  EXPECT_EQ(CanonicalCaseId("gemm"), "gemm");
  EXPECT_EQ(CanonicalCaseId("attention/odd/kv_heads=0/"), "attention/odd/");
}

// Every automatic value names an integer axis of its workload whose default it is, and the ids
// the plan makes are canonical.
TEST(CaseIdTest, TableMatchesTheWorkloadsAndPlannedIdsAreCanonical) {
  const WorkloadRegistry registry = BuildRegistry();
  for (const AutomaticAxis& a : kAutomaticAxes) {
    const Workload& w = registry.Get(a.workload);
    const auto axes = w.Axes();
    auto it = std::find_if(axes.begin(), axes.end(), [&](const AxisSpec& s) { return s.name == a.axis; });
    ASSERT_NE(it, axes.end()) << a.workload << "." << a.axis;
    EXPECT_EQ(it->kind, AxisKind::kInt) << a.axis;
    EXPECT_EQ(it->defaults, std::vector<std::string>{a.value}) << a.axis;
  }
  RunOptions options;
  options.workloads = {"e2e", "attention"};
  for (const PlannedCase& c : BuildPlan(registry, options, nullptr)) {
    EXPECT_EQ(CanonicalCaseId(c.spec.Id()), c.spec.Id());
    EXPECT_EQ(c.spec.Id().find("=0/"), std::string::npos) << c.spec.Id();
  }
}

// A results file written before the change reads with today's ids; its params keep every axis.
TEST(CaseIdTest, OldResultsFilesReadWithCanonicalIds) {
  const ResultsDoc doc = ReadResultsFile(std::string(GQ_TEST_DATA_DIR) + "/aa/run1.json");
  auto it = std::find_if(doc.cases.begin(), doc.cases.end(), [](const CaseResult& c) { return c.workload == "e2e"; });
  ASSERT_NE(it, doc.cases.end());
  EXPECT_EQ(it->id, kNewE2eId);
  EXPECT_EQ(it->params.size(), 13u);
}

}  // namespace
}  // namespace gq
