// The inputs of qualify (harness/decide/qualify_spec.h): the spec file, its merge with the flags,
// and bad input as one-line UsageErrors naming the file and key or the flag.
#include "harness/decide/qualify_spec.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "harness/errors.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

const std::vector<std::string> kWorkloads = {"gemm", "attention", "e2e"};

// A spec of schema gpuqual.qualify-spec/1 with `keys` (JSON object members) after the schema.
json Spec(const std::string& keys) {
  return json::parse(R"({"schema": "gpuqual.qualify-spec/1")" + (keys.empty() ? "" : ", " + keys) +
                     "}");
}

// The UsageError message of parsing `j` as the spec "spec.json", or "" when it parses.
std::string SpecError(const json& j) {
  try {
    ParseQualifySpec(j, "spec.json", kWorkloads);
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    return e.what();
  }
  return "";
}

TEST(QualifySpecTest, ParsesDefaultAndPerWorkloadThresholds) {
  const QualifySpec spec =
      ParseQualifySpec(Spec(R"("default": {"warn_below": 0.95, "fail_below": 0.9},
      "workloads": {"gemm": {"warn_below": 0.97, "fail_below": 0.93},
                    "e2e": {"warn_below": 1, "fail_below": 0.5}})"),
                       "spec.json", kWorkloads);
  ASSERT_TRUE(spec.default_threshold.has_value());
  EXPECT_DOUBLE_EQ(spec.default_threshold->warn_below, 0.95);
  EXPECT_DOUBLE_EQ(spec.default_threshold->fail_below, 0.9);
  ASSERT_EQ(spec.workload_thresholds.size(), 2u);
  EXPECT_DOUBLE_EQ(spec.workload_thresholds.at("gemm").warn_below, 0.97);
  EXPECT_DOUBLE_EQ(spec.workload_thresholds.at("gemm").fail_below, 0.93);
  EXPECT_DOUBLE_EQ(spec.workload_thresholds.at("e2e").fail_below, 0.5);
}

TEST(QualifySpecTest, EverySectionIsOptional) {
  const QualifySpec spec = ParseQualifySpec(Spec(""), "s.json", kWorkloads);
  EXPECT_FALSE(spec.default_threshold.has_value());
  EXPECT_TRUE(spec.workload_thresholds.empty());
  // Without a list of known workloads any name is taken.
  const QualifySpec any = ParseQualifySpec(
      Spec(R"("workloads": {"mine": {"warn_below": 0.9, "fail_below": 0.8}})"), "s.json", {});
  EXPECT_EQ(any.workload_thresholds.count("mine"), 1u);
}

TEST(QualifySpecTest, BadSpecsNameTheFileAndKey) {
  EXPECT_EQ(SpecError(json::parse("[1, 2]")), "spec.json: document: is not a JSON object");
  EXPECT_EQ(SpecError(json::parse(R"({"default": {}})")), "spec.json: schema: missing");
  EXPECT_EQ(SpecError(json::parse(R"({"schema": "gpuqual.qualify-spec/2"})")),
            "spec.json: schema: 'gpuqual.qualify-spec/2' is not gpuqual.qualify-spec/1");
  EXPECT_EQ(SpecError(Spec(R"("workload": {})")),
            "spec.json: workload: unknown key (allowed: schema, default, workloads)");
  EXPECT_EQ(SpecError(Spec(R"("default": {"warn_below": 0.9})")),
            "spec.json: default.fail_below: missing");
  EXPECT_EQ(SpecError(Spec(R"("default": {"warn_below": "high", "fail_below": 0.9})")),
            "spec.json: default.warn_below: must be a number");
  EXPECT_EQ(SpecError(Spec(R"("default": {"warn_below": 0.8, "fail_below": 0.9})")),
            "spec.json: default: needs 0 < fail_below <= warn_below <= 1.5");
  EXPECT_EQ(SpecError(Spec(R"("default": {"warn_below": null, "fail_below": 0.9})")),
            "spec.json: default: needs 0 < fail_below <= warn_below <= 1.5");
  EXPECT_EQ(SpecError(Spec(
                R"("workloads": {"gemm": {"warn_below": 0.9, "fail_below": 0.8, "note": 1}})")),
            "spec.json: workloads.gemm.note: unknown key (allowed: warn_below, fail_below)");
  EXPECT_EQ(SpecError(Spec(R"("workloads": {"gemm": {"warn_below": 0.9, "fail_below": 0}})")),
            "spec.json: workloads.gemm: needs 0 < fail_below <= warn_below <= 1.5");
  EXPECT_EQ(SpecError(Spec(R"("workloads": {"gem": {"warn_below": 0.9, "fail_below": 0.8}})")),
            "spec.json: workloads.gem: unknown workload (known: gemm, attention, e2e)");
  EXPECT_EQ(SpecError(Spec(R"("workloads": [1])")), "spec.json: workloads: must be an object");
}

TEST(QualifySpecTest, ReadsAFileAndNamesAMissingOrMalformedOne) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gq_qualify_spec_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "good.json").string(), bad = (dir / "bad.json").string();
  std::ofstream(good)
      << Spec(R"("workloads": {"gemm": {"warn_below": 0.97, "fail_below": 0.93}})").dump();
  std::ofstream(bad) << R"({"schema": )";
  EXPECT_DOUBLE_EQ(ReadQualifySpecFile(good, kWorkloads).workload_thresholds.at("gemm").fail_below,
                   0.93);
  for (const std::string& path : {bad, (dir / "absent.json").string()}) {
    try {
      ReadQualifySpecFile(path, kWorkloads);
      ADD_FAILURE() << path << " was read";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(QualifySpecTest, MergesTheSpecWithTheFlags) {
  QualifySpec spec;
  spec.default_threshold = QualifyThreshold{0.9, 0.8};
  spec.workload_thresholds["gemm"] = {0.97, 0.93};
  const QualifyOptions o = MergeQualifyOptions({"p5.48xlarge", 98.32}, spec);
  EXPECT_EQ(o.instance_type, "p5.48xlarge");
  ASSERT_TRUE(o.price_per_hour_usd.has_value());
  EXPECT_DOUBLE_EQ(*o.price_per_hour_usd, 98.32);
  ASSERT_TRUE(o.default_threshold.has_value());
  EXPECT_DOUBLE_EQ(o.default_threshold->fail_below, 0.8);
  EXPECT_DOUBLE_EQ(o.thresholds.at("gemm").warn_below, 0.97);
  EXPECT_TRUE(o.cost_metrics.empty());  // the caller's to fill

  const QualifyOptions none = MergeQualifyOptions({}, QualifySpec{});
  EXPECT_TRUE(none.instance_type.empty());
  EXPECT_FALSE(none.price_per_hour_usd.has_value());
  EXPECT_FALSE(none.default_threshold.has_value());
  EXPECT_TRUE(none.thresholds.empty());
}

TEST(QualifySpecTest, ABadPriceNamesTheFlag) {
  for (double price : {0.0, -3.0, std::numeric_limits<double>::infinity(),
                       std::numeric_limits<double>::quiet_NaN()}) {
    try {
      MergeQualifyOptions({"", price}, QualifySpec{});
      ADD_FAILURE() << price << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(
          std::string(e.what()).rfind("--price-per-hour must be a finite number > 0, not ", 0), 0u)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace gq
