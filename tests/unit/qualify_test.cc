#include "harness/decide/qualify.h"

#include <gtest/gtest.h>

#include "harness/decide/qualify_format.h"

namespace gq {
namespace {

CaseResult GemmCase(const std::string& id, double tflops, const std::string& device = "cuda:0") {
  CaseResult c;
  c.id = id;
  c.workload = "gemm";
  c.device = device;
  c.status = CaseStatus::kOk;
  c.primary_metric = "tflops";
  c.metrics = {{"tflops", MetricResult{"TFLOP/s", true, tflops}}};
  return c;
}

DeviceHealth Healthy(int index) {
  DeviceHealth h;
  h.index = index;
  h.available = true;
  h.ecc_volatile_uncorrected = 0;
  h.ecc_aggregate_uncorrected = 0;
  h.retired_pages_sbe = h.retired_pages_dbe = 0;
  h.retired_pages_pending = 0;
  h.remapped_rows_uncorrectable = 0;
  h.remapped_rows_pending = h.remapped_rows_failure = 0;
  h.pcie = {5, 16, 5, 16};
  h.power_limit_w = h.power_default_limit_w = 700;
  return h;
}

// An 8 x H100 SXM run with healthy GPUs and telemetry that saw only power capping.
ResultsDoc Machine() {
  ResultsDoc d;
  for (int i = 0; i < 8; ++i) {
    GpuInfo g;
    g.index = i;
    g.name = "NVIDIA H100 80GB HBM3";
    g.sku = "h100-sxm-80gb";
    d.system.devices.push_back(g);
  }
  d.cases = {GemmCase("gemm/bf16", 760), GemmCase("gemm/fp16", 700)};
  TelemetrySummary t;
  t.available = true;
  t.throttle_reasons = {"sw_power_cap"};
  d.cases[0].telemetry = t;
  HealthSnapshot before{"t0", {}}, after{"t1", {}};
  for (int i = 0; i < 8; ++i) {
    before.devices.push_back(Healthy(i));
    after.devices.push_back(Healthy(i));
  }
  d.health = {before, after};
  return d;
}

Baseline H100Baseline() {
  Baseline b;
  b.name = "h100-sxm-80gb";
  b.cases = {{"gemm/bf16", "gemm", {}, "tflops", {{"tflops", MetricResult{"TFLOP/s", true, 780}}}, {}, {}, 1},
             {"gemm/fp16", "gemm", {}, "tflops", {{"tflops", MetricResult{"TFLOP/s", true, 760}}}, {}, {}, 1}};
  return b;
}

InstanceCatalog Catalog() { return {"test", {{"aws", "p5.48xlarge", "h100-sxm-80gb", 8, "nvlink", "efa", "test"}}}; }

const QualifyCheck* Check(const QualifyVerdict& v, const std::string& name) {
  for (const QualifyCheck& c : v.checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(QualifyTest, HealthyMachineAtBaselinePasses) {
  ResultsDoc d = Machine();
  d.cases[1] = GemmCase("gemm/fp16", 750);  // 98.7% of 760
  const Baseline b = H100Baseline();
  const InstanceCatalog cat = Catalog();
  QualifyOptions opt;
  opt.instance_type = "p5.48xlarge";
  QualifyVerdict v = Qualify(d, &b, &cat, opt);
  EXPECT_EQ(v.overall, QualifyStatus::kPass);
  const QualifyCheck* bf16 = Check(v, "gemm/bf16 [cuda:0]");
  ASSERT_NE(bf16, nullptr);
  EXPECT_EQ(bf16->status, QualifyStatus::kPass);
  EXPECT_DOUBLE_EQ(bf16->threshold, 780 * 0.90);
  EXPECT_EQ(bf16->reason, "97.4% of baseline 780 TFLOP/s");
  EXPECT_EQ(Check(v, "gpu count")->status, QualifyStatus::kPass);
  EXPECT_EQ(Check(v, "cuda:0 throttling")->reason, "no thermal or hardware throttling (seen: sw_power_cap)");
}

TEST(QualifyTest, PerformanceBelowThresholdsWarnsThenFails) {
  ResultsDoc d = Machine();
  d.cases[0] = GemmCase("gemm/bf16", 720);  // 92.3% -> WARN
  d.cases[1] = GemmCase("gemm/fp16", 650);  // 85.5% -> FAIL
  const Baseline b = H100Baseline();
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  EXPECT_EQ(Check(v, "gemm/bf16 [cuda:0]")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(v, "gemm/fp16 [cuda:0]")->status, QualifyStatus::kFail);
  EXPECT_EQ(v.overall, QualifyStatus::kFail);
  QualifyOptions lenient;
  lenient.thresholds["gemm"] = {0.85, 0.80};
  QualifyVerdict v2 = Qualify(d, &b, nullptr, lenient);
  EXPECT_EQ(Check(v2, "gemm/fp16 [cuda:0]")->status, QualifyStatus::kPass);
  EXPECT_EQ(v2.overall, QualifyStatus::kPass);
}

TEST(QualifyTest, InjectedEccErrorsAndPendingRemapFail) {
  ResultsDoc d = Machine();
  d.health.after->devices[3].ecc_volatile_uncorrected = 2;
  d.health.after->devices[5].ecc_aggregate_uncorrected = 4;  // grew from 0 during the run
  d.health.after->devices[6].remapped_rows_pending = 1;
  d.health.after->devices[7].retired_pages_dbe = 1;
  const Baseline b = H100Baseline();
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  EXPECT_EQ(v.overall, QualifyStatus::kFail);
  EXPECT_EQ(Check(v, "cuda:3 ecc")->status, QualifyStatus::kFail);
  EXPECT_NE(Check(v, "cuda:5 ecc")->reason.find("grew during the run (0 -> 4)"), std::string::npos);
  EXPECT_EQ(Check(v, "cuda:6 row remap")->status, QualifyStatus::kFail);
  EXPECT_EQ(Check(v, "cuda:7 retired pages")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(v, "cuda:0 health")->status, QualifyStatus::kPass);
}

TEST(QualifyTest, DegradedPcieAndPowerCapAndThermalThrottling) {
  ResultsDoc d = Machine();
  d.health.after->devices[1].pcie = {5, 8, 5, 16};   // x8 of x16: FAIL
  d.health.after->devices[2].pcie = {1, 16, 5, 16};  // gen 1 after the run: WARN
  d.health.after->devices[4].power_limit_w = 500;    // capped: WARN
  d.cases[1].telemetry = TelemetrySummary{};
  d.cases[1].telemetry->available = true;
  d.cases[1].telemetry->throttle_reasons = {"hw_thermal", "sw_power_cap"};
  const Baseline b = H100Baseline();
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  EXPECT_EQ(Check(v, "cuda:1 pcie")->status, QualifyStatus::kFail);
  EXPECT_EQ(Check(v, "cuda:2 pcie")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(v, "cuda:4 power limit")->reason, "power limit 500 W below the default 700 W");
  const QualifyCheck* throttle = Check(v, "cuda:0 throttling");
  EXPECT_EQ(throttle->status, QualifyStatus::kFail);
  EXPECT_EQ(throttle->reason, "hw_thermal during 1 case(s), e.g. gemm/fp16");
  EXPECT_EQ(v.overall, QualifyStatus::kFail);
}

// A case driving a group of GPUs: throttling is judged per GPU, so the GPU that throttled is named.
TEST(QualifyTest, ThrottlingInAGroupNamesTheGpu) {
  ResultsDoc d = Machine();
  CaseResult& c = d.cases[1];
  c.device = "cuda:0-7";
  c.telemetry = TelemetrySummary{};
  c.telemetry->available = true;
  c.telemetry->throttle_reasons = {"hw_power_brake"};  // the union
  for (int i = 0; i < 8; ++i) {
    GpuTelemetry g;
    g.index = i;
    if (i == 5) g.throttle_reasons = {"hw_power_brake"};
    c.telemetry->gpus.push_back(g);
  }
  const Baseline b = H100Baseline();
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  ASSERT_NE(Check(v, "cuda:5 throttling"), nullptr);
  EXPECT_EQ(Check(v, "cuda:5 throttling")->status, QualifyStatus::kFail);
  EXPECT_EQ(Check(v, "cuda:0-7 throttling"), nullptr);
  EXPECT_NE(Check(v, "cuda:4 throttling")->status, QualifyStatus::kFail);
}

TEST(QualifyTest, InventoryAgainstTheCatalog) {
  ResultsDoc d = Machine();
  d.system.devices.pop_back();  // 7 GPUs visible on an 8-GPU instance
  d.health.after->devices.pop_back();
  d.health.before->devices.pop_back();
  const Baseline b = H100Baseline();
  const InstanceCatalog cat = Catalog();
  QualifyOptions opt;
  opt.instance_type = "P5.48XLARGE";  // case-insensitive
  QualifyVerdict v = Qualify(d, &b, &cat, opt);
  EXPECT_EQ(Check(v, "gpu count")->status, QualifyStatus::kFail);
  EXPECT_EQ(Check(v, "gpu count")->reason, "7 GPU(s) visible, p5.48xlarge has 8");
  EXPECT_EQ(Check(v, "gpu sku h100-sxm-80gb")->status, QualifyStatus::kPass);
  opt.instance_type = "nosuch.8xlarge";
  EXPECT_EQ(Check(Qualify(d, &b, &cat, opt), "instance")->status, QualifyStatus::kWarn);
}

TEST(QualifyTest, FailedCasesNoBaselineHealthUnavailableAndCost) {
  ResultsDoc d = Machine();
  d.cases[1].status = CaseStatus::kFailed;
  d.cases[1].reason = "verification failed";
  d.health = {};
  QualifyOptions opt;
  opt.price_per_hour_usd = 98.32;
  MetricSpec tflops = TflopsMetric();  // as the gemm workload declares it
  tflops.cost_role = CostRole::kComputeRate;
  opt.cost_metrics.Declare("gemm", {tflops});
  QualifyVerdict v = Qualify(d, nullptr, nullptr, opt);
  EXPECT_EQ(Check(v, "gemm/fp16 [cuda:0]")->status, QualifyStatus::kFail);
  EXPECT_EQ(Check(v, "baseline")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(v, "cuda:0 health")->status, QualifyStatus::kWarn);
  ASSERT_TRUE(v.cost.has_value());
  EXPECT_NEAR(v.cost->tflops_per_usd_hour, 760.0 * 8 / 98.32, 1e-9);  // only the ok gemm case
  EXPECT_EQ(v.cost->usd_per_mtok, 0);
  EXPECT_EQ(v.overall, QualifyStatus::kFail);
}

}  // namespace
}  // namespace gq

namespace gq {
namespace {

// A run that did not finish qualifies nothing: INCOMPLETE (exit 1), unless a FAIL is already
// certain; a run with no measured case is INCOMPLETE too.
TEST(QualifyTest, AnUnfinishedRunIsIncomplete) {
  const Baseline b = H100Baseline();
  ResultsDoc d = Machine();
  d.run.interrupted = true;
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  EXPECT_EQ(v.overall, QualifyStatus::kIncomplete);
  EXPECT_EQ(Check(v, "run complete")->reason, "the run was interrupted (2 case(s) finished, 2 measured): run it again to qualify");
  d.run.interrupted = false;
  d.run.complete = false;
  EXPECT_NE(Check(Qualify(d, &b, nullptr, {}), "run complete")->reason.find("cut off"), std::string::npos);
  d.health.after->devices[3].ecc_volatile_uncorrected = 2;  // a certain FAIL outranks INCOMPLETE
  EXPECT_EQ(Qualify(d, &b, nullptr, {}).overall, QualifyStatus::kFail);
  ResultsDoc empty = Machine();
  empty.cases.clear();
  QualifyVerdict none = Qualify(empty, &b, nullptr, {});
  EXPECT_EQ(none.overall, QualifyStatus::kIncomplete);
  EXPECT_EQ(Check(none, "run complete")->reason, "no case was measured (0 case(s) finished, 0 measured)");
  EXPECT_EQ(std::string(QualifyStatusName(QualifyStatus::kIncomplete)), "INCOMPLETE");
  EXPECT_EQ(ParseQualifyStatus("INCOMPLETE"), QualifyStatus::kIncomplete);
}

}  // namespace
}  // namespace gq
