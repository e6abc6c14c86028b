#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/plan.h"
#include "app/suite.h"
#include "harness/errors.h"
#include "tests/unit/fake_workload.h"
#include "workloads/registry.h"

namespace gq {
namespace {

WorkloadRegistry FakeRegistry() {
  WorkloadRegistry r;
  r.Add(std::make_unique<testing::FakeWorkload>("alpha"));
  r.Add(std::make_unique<testing::FakeWorkload>("beta"));
  return r;
}

const char* kSuite = R"({"schema": "gpuqual.suite/1", "name": "s", "description": "d",
  "measure": {"min_time_s": 0.2, "max_time_s": 3},
  "entries": [{"workload": "alpha", "device": "cuda", "axes": {"size": [256, 512], "causal": true}},
              {"workload": "beta", "axes": {"dtype": "fp32"}}]})";

TEST(SuiteTest, ParsesEntriesAxesAndMeasure) {
  Suite s = ParseSuite(kSuite, "s.json");
  ASSERT_EQ(s.entries.size(), 2u);
  EXPECT_EQ(s.entries[0].device, DeviceFilter::kCuda);
  EXPECT_EQ(s.entries[0].axes.at("size"), (std::vector<std::string>{"256", "512"}));
  EXPECT_EQ(s.entries[0].axes.at("causal"), (std::vector<std::string>{"true"}));
  EXPECT_EQ(s.entries[1].device, DeviceFilter::kAny);
  MeasureOptions m;
  s.measure.ApplyTo(m);
  EXPECT_DOUBLE_EQ(m.min_time_s, 0.2);
  EXPECT_DOUBLE_EQ(m.max_time_s, 3);
  EXPECT_EQ(m.min_samples, 10);  // untouched
}

TEST(SuiteTest, BadSuitesAreUsageErrorsNamingTheProblem) {
  auto error = [](const std::string& text) {
    try {
      ParseSuite(text, "s.json");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(R"({"schema": "gpuqual.suite/9", "name": "s", "entries": []})"),
            "s.json: schema: 'gpuqual.suite/9' is not gpuqual.suite/1");
  EXPECT_EQ(error(R"({"schema": "gpuqual.suite/1", "name": "s", "entries": []})"), "s.json: entries: has no entries");
  EXPECT_EQ(error(R"({"schema": "gpuqual.suite/1", "name": "s", "entries": [{"workload": "a", "device": "tpu"}]})"),
            "s.json: entries[0].device: 'tpu' is not one of any, cpu, cuda");
  EXPECT_EQ(error(R"({"schema": "gpuqual.suite/1", "name": "s", "measure": {"speed": 1}, "entries": [{"workload": "a"}]})"),
            "s.json: measure.speed: unknown measure option");
  EXPECT_NE(error("{oops").find("s.json: malformed JSON"), std::string::npos);
}

TEST(SuiteTest, ShippedSuitesParseAndNameRegisteredWorkloads) {
  const std::vector<std::string> dirs = {std::string(GQ_TEST_DATA_DIR) + "/../../suites"};
  const auto names = ListSuites(dirs);
  for (const char* expected : {"ci", "quick", "full"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  const WorkloadRegistry registry = BuildRegistry();
  for (const auto& name : names) {
    Suite s = LoadSuite(name, dirs);
    EXPECT_EQ(s.name, name);
    RunOptions options;
    EXPECT_FALSE(BuildPlan(registry, options, &s).empty()) << name;
  }
  EXPECT_THROW(LoadSuite("nosuch", dirs), UsageError);
}

TEST(PlanTest, SuitePlanAppliesOverridesOnlyWhereTheAxisExists) {
  WorkloadRegistry reg = FakeRegistry();
  Suite s = ParseSuite(kSuite, "s.json");
  RunOptions o;
  o.axes["dtype"] = {"fp32"};
  auto plan = BuildPlan(reg, o, &s);
  ASSERT_EQ(plan.size(), 4u);  // alpha: 2 sizes; beta: default sizes 64,128
  EXPECT_EQ(plan[0].spec.Id(), "alpha/dtype=fp32/size=256/causal=true");
  EXPECT_EQ(plan[0].device, DeviceFilter::kCuda);
  EXPECT_EQ(plan[3].spec.Id(), "beta/dtype=fp32/size=128/causal=false");
  o.workloads = {"beta"};
  EXPECT_EQ(BuildPlan(reg, o, &s).size(), 2u);
}

// An unrestricted suite entry of a workload with defaults per device kind is planned per kind, as
// on the command line: without a dtype, gemm runs bf16 on GPUs and fp32/fp64 on the cpu (which
// would skip bf16); membw on the cpu takes only the ops the cpu has.
TEST(PlanTest, AnUnrestrictedSuiteEntryTakesEachDeviceKindsDefaults) {
  const WorkloadRegistry reg = BuildRegistry();
  Suite s = ParseSuite(R"({"schema": "gpuqual.suite/1", "name": "s", "description": "d", "entries": [
      {"workload": "gemm", "axes": {"m": [64], "n": [64], "k": [64]}},
      {"workload": "membw", "axes": {"size": ["16M"]}}]})", "s.json");
  std::vector<std::string> cuda, cpu;
  for (const PlannedCase& p : BuildPlan(reg, {}, &s)) {
    (p.device == DeviceFilter::kCuda ? cuda : cpu).push_back(p.spec.Id());
    EXPECT_NE(p.device, DeviceFilter::kAny) << p.spec.Id();
  }
  EXPECT_EQ(cuda.front(), "gemm/dtype=bf16/m=64/n=64/k=64/layout=TN/algo=autotune");
  EXPECT_EQ(cpu, (std::vector<std::string>{"gemm/dtype=fp32/m=64/n=64/k=64/layout=TN/algo=autotune",
                                           "gemm/dtype=fp64/m=64/n=64/k=64/layout=TN/algo=autotune",
                                           "membw/op=copy/size=16777216/threads=0", "membw/op=read/size=16777216/threads=0",
                                           "membw/op=write/size=16777216/threads=0", "membw/op=triad/size=16777216/threads=0"}));
}

// The plan's size is checked from the axes before any case is made (a million-case typo must not
// allocate first), and the limit can be raised.
TEST(PlanTest, APlanOverTheLimitIsRefusedBeforeItIsMade) {
  WorkloadRegistry reg = FakeRegistry();
  RunOptions o;
  o.workloads = {"alpha"};
  std::vector<std::string> sizes, dtypes;
  for (int i = 1; i <= 2000; ++i) sizes.push_back(std::to_string(i));
  for (int i = 0; i < 1000; ++i) dtypes.push_back("t" + std::to_string(i));
  o.axes = {{"size", sizes}, {"dtype", dtypes}};  // 2,000,000 cases
  try {
    BuildPlan(reg, o, nullptr);
    FAIL() << "a 2M-case plan was built";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "the plan has more than 10000 cases (largest entry: alpha: dtype 1000 x size 2000); narrow the axes or "
              "raise the limit with --max-cases");
  }
  o.axes = {{"size", {"1", "2", "3"}}};
  o.max_cases = 2;
  EXPECT_THROW(BuildPlan(reg, o, nullptr), UsageError);
  o.max_cases = 3;
  EXPECT_EQ(BuildPlan(reg, o, nullptr).size(), 3u);
}

TEST(SuiteTest, MeasureNumbersAreFiniteAndInRange) {
  auto error = [](const std::string& measure) {
    try {
      ParseSuite(R"({"schema": "gpuqual.suite/1", "name": "s", "measure": )" + measure +
                     R"(, "entries": [{"workload": "a"}]})",
                 "s.json");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(error(R"({"max_time_s": null})"), "s.json: measure.max_time_s: must be a number in (0, 86400]");
  EXPECT_EQ(error(R"({"min_samples": 4294967301})"),
            "s.json: measure.min_samples: must be an integer in [1, 1000000] (got 4294967301)");
  EXPECT_EQ(error(R"({"max_noise": 0})"), "s.json: measure.max_noise: must be a number in (0, 1] (got 0)");
  EXPECT_EQ(error(R"({"warmup_time_s": 1e300})"), "s.json: measure.warmup_time_s: must be a number in [0, 86400] (got 1e+300)");
}

TEST(PlanTest, AdHocErrors) {
  WorkloadRegistry reg = FakeRegistry();
  RunOptions o;
  EXPECT_THROW(BuildPlan(reg, o, nullptr), UsageError);  // nothing to run
  o.workloads = {"gamma"};
  EXPECT_THROW(BuildPlan(reg, o, nullptr), UsageError);
  o.workloads = {"alpha"};
  o.axes["nope"] = {"1"};
  try {
    BuildPlan(reg, o, nullptr);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'alpha' has no axis 'nope'"), std::string::npos) << e.what();
  }
  o.axes = {{"size", {"1", "1"}}};
  EXPECT_EQ(BuildPlan(reg, o, nullptr).size(), 1u);  // duplicates kept once
}

TEST(PlanTest, CasesWhoseValuesDoNotFitTogetherAreUsageErrors) {
  const WorkloadRegistry reg = BuildRegistry();
  RunOptions o;
  o.workloads = {"e2e"};
  o.axes["tp"] = {"2"};
  EXPECT_FALSE(BuildPlan(reg, o, nullptr).empty());
  o.axes["tp"] = {"1", "3"};  // 3 divides neither llama-3-8b's 32 heads nor tiny's 4
  try {
    BuildPlan(reg, o, nullptr);
    FAIL() << "tp=3 planned";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("tp=3 must divide heads"), std::string::npos) << e.what();
  }
  o.workloads = {"attention"};
  o.axes = {{"heads", {"4"}}, {"kv_heads", {"3"}}};
  EXPECT_THROW(BuildPlan(reg, o, nullptr), UsageError);
}

}  // namespace
}  // namespace gq
