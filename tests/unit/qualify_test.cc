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

// An MPI run reads rank 0's GPU alone: the other GPUs rank 0's host lists are not called
// "unavailable" one by one; one WARN says which GPUs were not read, and the throttling check names
// rank 0's GPU as what was sampled.
TEST(QualifyTest, AnMpiRunSaysItReadRankZerosGpuOnly) {
  ResultsDoc d = Machine();
  d.system.world = WorldInfo{16, 2, "mpi", {"h100-sxm-80gb"}};
  d.health.before->devices.resize(1);
  d.health.after->devices.resize(1);
  for (CaseResult& c : d.cases) c.device = "16xcuda";
  const QualifyVerdict v = Qualify(d, nullptr, nullptr, {});
  ASSERT_NE(Check(v, "cuda:0 health"), nullptr);
  EXPECT_EQ(Check(v, "cuda:0 health")->status, QualifyStatus::kPass);
  EXPECT_EQ(Check(v, "cuda:1 health"), nullptr);
  const QualifyCheck* ranks = Check(v, "health of the ranks' GPUs");
  ASSERT_NE(ranks, nullptr);
  EXPECT_EQ(ranks->status, QualifyStatus::kWarn);
  EXPECT_EQ(ranks->reason, "an MPI run reads rank 0's GPU only: the GPUs of the other 15 rank(s), on 2 node(s), were not "
                           "read; qualify each node's own single-process run for their health");
  ASSERT_NE(Check(v, "16xcuda (rank 0's GPU) throttling"), nullptr);
  // A cpu MPI run has no GPU to read: no such WARN.
  ResultsDoc cpu;
  cpu.system.world = WorldInfo{2, 1, "mpi", {"cpu"}};
  cpu.cases = {GemmCase("gemm/bf16", 1, "2xcpu")};
  EXPECT_EQ(Check(Qualify(cpu, nullptr, nullptr, {}), "health of the ranks' GPUs"), nullptr);
  // A single process with the same snapshot still calls the missing GPUs unavailable.
  d.system.world = WorldInfo{};
  EXPECT_EQ(Check(Qualify(d, nullptr, nullptr, {}), "cuda:1 health")->status, QualifyStatus::kWarn);
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

namespace gq {
namespace {

// Noisy, skipped and invalid cases: a noisy case at its baseline WARNs with the noise in the
// reason, a skipped one WARNs with its reason, an invalid one FAILs.
TEST(QualifyTest, NoisySkippedAndInvalidCases) {
  const Baseline b = H100Baseline();
  ResultsDoc d = Machine();
  d.cases[0].status = CaseStatus::kNoisy;
  d.cases[0].reason = "95% CI of the median is +-2.10% after 900 samples (target +-1.00%)";
  d.cases[1].status = CaseStatus::kSkipped;
  d.cases[1].reason = "out of memory";
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  EXPECT_EQ(Check(v, "gemm/bf16 [cuda:0]")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(v, "gemm/bf16 [cuda:0]")->reason,
            "97.4% of baseline 780 TFLOP/s; noisy: 95% CI of the median is +-2.10% after 900 samples (target +-1.00%)");
  EXPECT_EQ(Check(v, "gemm/fp16 [cuda:0]")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(v, "gemm/fp16 [cuda:0]")->reason, "skipped: out of memory");
  EXPECT_EQ(Check(v, "baseline"), nullptr);  // both cases are the baseline's: no "nothing matched"
  EXPECT_EQ(v.overall, QualifyStatus::kWarn);
  d.cases[1].status = CaseStatus::kInvalid;
  d.cases[1].reason = "above the datasheet peak";
  EXPECT_EQ(Check(Qualify(d, &b, nullptr, {}), "gemm/fp16 [cuda:0]")->status, QualifyStatus::kFail);
}

// A run whose cases the baseline does not have is not judged (one WARN); cases of the baseline
// the run lacks are named in one WARN; a failed case that is in the baseline is not "no match".
TEST(QualifyTest, BaselineMatchAndCoverage) {
  const Baseline b = H100Baseline();
  ResultsDoc other = Machine();
  other.cases = {GemmCase("gemm/tf32", 400)};
  QualifyVerdict none = Qualify(other, &b, nullptr, {});
  EXPECT_EQ(Check(none, "baseline")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(none, "baseline")->reason,
            "no case of this run is in baseline 'h100-sxm-80gb': performance not judged");
  EXPECT_EQ(none.overall, QualifyStatus::kWarn);

  ResultsDoc half = Machine();
  half.cases = {GemmCase("gemm/bf16", 780)};
  QualifyVerdict partial = Qualify(half, &b, nullptr, {});
  ASSERT_NE(Check(partial, "baseline coverage"), nullptr);
  EXPECT_EQ(Check(partial, "baseline coverage")->status, QualifyStatus::kWarn);
  EXPECT_EQ(Check(partial, "baseline coverage")->reason,
            "1 of the 2 case(s) of baseline 'h100-sxm-80gb' are not in this run (gemm/fp16): not judged");

  ResultsDoc failed = Machine();
  failed.cases[0].status = failed.cases[1].status = CaseStatus::kFailed;
  QualifyVerdict f = Qualify(failed, &b, nullptr, {});
  EXPECT_EQ(Check(f, "baseline"), nullptr) << "the cases are in the baseline; they failed";
  EXPECT_EQ(Check(f, "baseline coverage"), nullptr);
  EXPECT_EQ(f.overall, QualifyStatus::kFail);
}

// The spec given now outranks the thresholds stored in the baseline, its default included.
TEST(QualifyTest, TheSpecOutranksTheBaselinesThresholds) {
  Baseline b = H100Baseline();
  b.workload_thresholds["gemm"] = {0.9, 0.8};
  ResultsDoc d = Machine();
  d.cases[0] = GemmCase("gemm/bf16", 722);  // 92.6% of 780
  EXPECT_EQ(Check(Qualify(d, &b, nullptr, {}), "gemm/bf16 [cuda:0]")->status, QualifyStatus::kPass);
  QualifyOptions strict;
  strict.default_threshold = QualifyThreshold{0.99, 0.97};
  const QualifyVerdict v = Qualify(d, &b, nullptr, strict);
  const QualifyCheck* c = Check(v, "gemm/bf16 [cuda:0]");
  EXPECT_EQ(c->status, QualifyStatus::kFail);
  EXPECT_EQ(c->reason, "92.6% of baseline 780 TFLOP/s (below 97%)");
}

// Software thermal throttling during a case WARNs (hardware throttling FAILs: tested above).
TEST(QualifyTest, SoftwareThermalThrottlingWarns) {
  const Baseline b = H100Baseline();
  ResultsDoc d = Machine();
  d.cases[1].telemetry = TelemetrySummary{};
  d.cases[1].telemetry->available = true;
  d.cases[1].telemetry->throttle_reasons = {"sw_thermal"};
  QualifyVerdict v = Qualify(d, &b, nullptr, {});
  const QualifyCheck* throttle = Check(v, "cuda:0 throttling");
  ASSERT_NE(throttle, nullptr);
  EXPECT_EQ(throttle->status, QualifyStatus::kWarn);
  EXPECT_NE(throttle->reason.find("sw_thermal"), std::string::npos) << throttle->reason;
  EXPECT_EQ(v.overall, QualifyStatus::kWarn);
}

}  // namespace
}  // namespace gq
