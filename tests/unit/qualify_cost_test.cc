// Qualify's status enum, its cost figures found by the role the workloads declare, the stored
// baseline of a run, several runs judged as one, and the console format of a verdict.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "harness/decide/qualify.h"
#include "harness/decide/qualify_format.h"
#include "harness/json_fields.h"
#include "harness/record/results_json.h"
#include "harness/record/results_json_parts.h"
#include "workloads/registry.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

TEST(QualifyStatusTest, NamesRoundTripAndUnknownNamesThrow) {
  for (QualifyStatus s : {QualifyStatus::kPass, QualifyStatus::kWarn, QualifyStatus::kFail}) {
    EXPECT_EQ(ParseQualifyStatus(QualifyStatusName(s)), s);
  }
  EXPECT_STREQ(QualifyStatusName(QualifyStatus::kPass), "PASS");
  EXPECT_STREQ(QualifyStatusName(QualifyStatus::kWarn), "WARN");
  EXPECT_STREQ(QualifyStatusName(QualifyStatus::kFail), "FAIL");
  EXPECT_THROW(ParseQualifyStatus("pass"), std::invalid_argument);
  EXPECT_THROW(ParseQualifyStatus(""), std::invalid_argument);
  EXPECT_LT(QualifyStatus::kPass, QualifyStatus::kWarn);  // severity order: overall = the max
  EXPECT_LT(QualifyStatus::kWarn, QualifyStatus::kFail);
}

TEST(QualifyStatusTest, VerdictJsonKeepsTheStringsAndRejectsOthers) {
  QualifyVerdict v;
  v.overall = QualifyStatus::kWarn;
  v.checks = {{"gemm/x [cpu]", "performance", QualifyStatus::kPass, "ok", 1, 0.9, "TFLOP/s"},
              {"cuda:0 pcie", "health", QualifyStatus::kFail, "x8", 0, 0, ""}};
  const json j = VerdictToJson(v);
  EXPECT_EQ(j["overall"], "WARN");
  EXPECT_EQ(j["checks"][0]["status"], "PASS");
  EXPECT_EQ(j["checks"][1]["status"], "FAIL");
  const QualifyVerdict back = VerdictFromJson(JsonFields(j, "r.json", "verdict"));
  EXPECT_EQ(back.overall, QualifyStatus::kWarn);
  EXPECT_EQ(back.checks[1].status, QualifyStatus::kFail);
  json bad = j;
  bad["checks"][1]["status"] = "fail";
  try {
    VerdictFromJson(JsonFields(bad, "r.json", "verdict"));
    ADD_FAILURE() << "a lower-case status was read";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "r.json: verdict.checks[1].status: 'fail' must be PASS, WARN, INCOMPLETE or FAIL");
  }
}

CaseResult Case(const std::string& workload, const std::string& metric, double median,
                const std::string& device, CaseStatus status = CaseStatus::kOk) {
  CaseResult c;
  c.id = workload + "/x";
  c.workload = workload;
  c.device = device;
  c.status = status;
  c.primary_metric = metric;
  c.metrics = {{metric, MetricResult{"", true, median}}};
  return c;
}

MetricSpec WithRole(const std::string& name, CostRole role) {
  MetricSpec m;
  m.name = name;
  m.cost_role = role;
  return m;
}

// An e2e case of the default procurement scenario's shape but `batch`, on `device`.
CaseResult ScenarioCase(double tok_s, const std::string& device, int batch, CaseStatus status = CaseStatus::kOk) {
  CaseResult c = Case("e2e", "tokens", tok_s, device, status);
  c.id = "e2e/batch=" + std::to_string(batch);
  c.params = {{"model", "llama-3-8b"}, {"scenario", "offline"}, {"batch", std::to_string(batch)},
              {"input_len", "1024"},   {"output_len", "128"},   {"tp", "1"}};
  return c;
}

// Two GPUs; workloads named here only by the test: qualify finds the figures by their role.
ResultsDoc TwoGpuRun() {
  ResultsDoc d;
  d.system.devices.resize(2);
  d.cases = {Case("matmul", "rate", 100, "cuda:0"),
             Case("matmul", "rate", 400, "cuda:1"),
             Case("matmul", "rate", 9999, "cuda:0", CaseStatus::kFailed),  // not ok: left out
             Case("flash", "rate", 5000, "cuda:0"),                        // declares no role
             ScenarioCase(3000, "cuda:0", 64),
             ScenarioCase(1, "cuda:0", 1),  // not the scenario's batch: left out of $/Mtok
             ScenarioCase(1000, "cuda:1", 64, CaseStatus::kNoisy)};
  return d;
}

TEST(QualifyCostTest, FiguresComeFromTheMetricsWithACostRole) {
  QualifyOptions o;
  o.price_per_hour_usd = 10;
  o.cost_metrics.Declare(
      "matmul", {WithRole("time", CostRole::kNone), WithRole("rate", CostRole::kComputeRate)});
  o.cost_metrics.Declare("flash", {WithRole("rate", CostRole::kNone)});
  o.cost_metrics.Declare("e2e", {WithRole("tokens", CostRole::kOutputTokens)});
  ASSERT_NE(o.cost_metrics.Find("matmul", CostRole::kComputeRate), nullptr);
  EXPECT_EQ(*o.cost_metrics.Find("matmul", CostRole::kComputeRate), "rate");
  EXPECT_EQ(o.cost_metrics.Find("matmul", CostRole::kOutputTokens), nullptr);
  EXPECT_EQ(o.cost_metrics.Find("flash", CostRole::kComputeRate), nullptr);
  const QualifyVerdict v = Qualify(TwoGpuRun(), nullptr, nullptr, o);
  ASSERT_TRUE(v.cost.has_value());
  EXPECT_DOUBLE_EQ(v.cost->price_per_hour_usd, 10);
  EXPECT_NEAR(v.cost->tflops_per_usd_hour, 200.0 * 2 / 10,
              1e-9);  // geomean(100, 400) x 2 GPUs / $10
  EXPECT_NEAR(v.cost->usd_per_mtok, 10 / (4000.0 * 3600) * 1e6, 1e-12);  // the scenario's case on both GPUs
  EXPECT_EQ(v.cost->scenario, "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1");
  EXPECT_EQ(v.cost->usd_per_mtok_note.rfind(v.cost->scenario + ": 4000 output tok/s for the instance", 0), 0u);
}

TEST(QualifyCostTest, NoDeclaredRoleNoFigureAndNoPriceNoCost) {
  QualifyOptions o;
  o.price_per_hour_usd = 10;
  QualifyVerdict v = Qualify(TwoGpuRun(), nullptr, nullptr, o);
  ASSERT_TRUE(v.cost.has_value());
  EXPECT_EQ(v.cost->tflops_per_usd_hour, 0);
  EXPECT_EQ(v.cost->usd_per_mtok, 0);
  o.price_per_hour_usd.reset();
  o.cost_metrics.Declare("matmul", {WithRole("rate", CostRole::kComputeRate)});
  EXPECT_FALSE(Qualify(TwoGpuRun(), nullptr, nullptr, o).cost.has_value());
}

// The shipped workloads declare the figures the README promises: GEMM TFLOP/s per dollar-hour
// and e2e dollars per million output tokens.
TEST(QualifyCostTest, ShippedWorkloadsDeclareGemmTflopsAndE2eOutputTokens) {
  const WorkloadRegistry registry = BuildRegistry();
  CostMetrics cost;
  for (const Workload* w : registry.All()) cost.Declare(w->Name(), w->Metrics());
  ASSERT_NE(cost.Find("gemm", CostRole::kComputeRate), nullptr);
  EXPECT_EQ(*cost.Find("gemm", CostRole::kComputeRate), "tflops");
  ASSERT_NE(cost.Find("e2e", CostRole::kOutputTokens), nullptr);
  EXPECT_EQ(*cost.Find("e2e", CostRole::kOutputTokens), "output_tok_s");
  int roles = 0;
  for (const Workload* w : registry.All()) {
    for (const MetricSpec& m : w->Metrics()) roles += m.cost_role != CostRole::kNone;
  }
  EXPECT_EQ(roles, 2);
}

TEST(QualifyInputsTest, FindsTheStoredBaselineOfTheRunsSku) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("gq_qualify_baselines_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Baseline b;
  b.name = "stored-h100";
  b.sku = "h100-sxm-80gb";
  WriteBaselineFile((dir / "h100-sxm-80gb.json").string(), b);
  ResultsDoc d;
  EXPECT_FALSE(FindQualifyBaseline(d, "", dir.string()).has_value());  // a cpu run
  d.system.devices.resize(2);
  d.system.devices[0].sku = d.system.devices[1].sku = "h100-sxm-80gb";
  const std::optional<Baseline> found = FindQualifyBaseline(d, "", dir.string());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "stored-h100");
  d.system.devices[1].sku = "h100-pcie-80gb";  // mixed SKUs: no one baseline
  EXPECT_FALSE(FindQualifyBaseline(d, "", dir.string()).has_value());
  d.system.devices[1].sku = d.system.devices[0].sku = "a100-sxm-80gb";  // none stored
  EXPECT_FALSE(FindQualifyBaseline(d, "", dir.string()).has_value());
  // A given file wins over the lookup, and a missing one is bad input.
  EXPECT_EQ(FindQualifyBaseline(d, (dir / "h100-sxm-80gb.json").string(), "/nonexistent")->name,
            "stored-h100");
  EXPECT_THROW(FindQualifyBaseline(d, (dir / "absent.json").string(), dir.string()), UsageError);
  std::filesystem::remove_all(dir);
}

TEST(QualifyInputsTest, CombineRunsKeepsEveryCaseAndTheOuterHealthSnapshots) {
  ResultsDoc a, b, c;
  a.run.id = "a";
  a.cases = {Case("gemm", "tflops", 1, "cpu")};
  b.cases = {Case("membw", "bandwidth", 2, "cpu")};
  b.health.before = HealthSnapshot{"b0", {}};
  b.health.after = HealthSnapshot{"b1", {}};
  c.cases = {Case("e2e", "output_tok_s", 3, "cpu")};
  c.health.after = HealthSnapshot{"c1", {}};
  const ResultsDoc d = CombineRuns({a, b, c});
  EXPECT_EQ(d.run.id, "a");
  ASSERT_EQ(d.cases.size(), 3u);
  EXPECT_EQ(d.cases[2].workload, "e2e");
  EXPECT_EQ(d.health.before->taken_at, "b0");
  EXPECT_EQ(d.health.after->taken_at, "c1");
}

TEST(QualifyFormatTest, PrintsChecksCostAndTheOverallLine) {
  QualifyVerdict v;
  v.overall = QualifyStatus::kWarn;
  v.checks = {{"gemm/dtype=fp32 [cpu]", "performance", QualifyStatus::kPass,
               "100.0% of baseline 1 TFLOP/s", 0, 0, ""},
              {"baseline", "performance", QualifyStatus::kWarn, "no baseline", 0, 0, ""}};
  v.cost = QualifyCost{1.5, 0.4, 2.25};
  std::ostringstream out;
  PrintQualifyVerdict(out, v);
  EXPECT_EQ(out.str(),
            "PASS  performance  gemm/dtype=fp32 [cpu] 100.0% of baseline 1 TFLOP/s\n"
            "WARN  performance  baseline              no baseline\n"
            "cost: $1.50/hour, 0.4 TFLOP/s per $/hour (gemm geomean x GPUs), $2.250 per million "
            "output tokens\n"
            "\n"
            "qualify: WARN (baseline: none, instance: unknown)\n");
  std::ostringstream status;
  status << QualifyStatus::kFail;
  EXPECT_EQ(status.str(), "FAIL");
}

}  // namespace
}  // namespace gq
