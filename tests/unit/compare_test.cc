#include "harness/decide/compare.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "harness/decide/baseline.h"
#include "harness/decide/compare_format.h"
#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"
#include "harness/stats.h"

namespace gq {
namespace {

// A gemm-like case whose per-iteration times are `center` seconds x (1 + noise), 1 iteration per
// sample, with its tflops/time_ms metrics computed from them as the runner does.
CaseResult MakeCase(const std::string& id, double center, double noise, uint64_t seed, int n = 30,
                    const std::string& device = "cpu") {
  CaseResult c;
  c.id = id;
  c.workload = "gemm";
  c.params = {{"m", "1"}};
  c.device = device;
  c.status = CaseStatus::kOk;
  c.primary_metric = "tflops";
  c.iterations_per_sample = 1;
  c.work = {1e12, 0, 0, 0, "fp32"};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-noise, noise);
  std::vector<double> tflops, ms;
  for (int i = 0; i < n; ++i) {
    double t = center * (1 + u(rng));
    c.samples_s.push_back(t);
    tflops.push_back(1.0 / t);
    ms.push_back(t * 1e3);
  }
  auto metric = [](const std::string& unit, bool hib, const std::vector<double>& v) {
    Summary s = Summarise(v);
    return MetricResult{unit, hib, s.median, s.mean, s.stddev, s.cv, s.p10, s.p90, s.min, s.max,
                        s.ci95_low, s.ci95_high, static_cast<int64_t>(s.n)};
  };
  c.metrics = {{"tflops", metric("TFLOP/s", true, tflops)}, {"time_ms", metric("ms", false, ms)}};
  return c;
}

ResultsDoc Doc(std::vector<CaseResult> cases) {
  ResultsDoc d;
  d.run.id = "run";
  d.cases = std::move(cases);
  return d;
}

const CompareRow& Row(const CompareReport& r, const std::string& id) {
  for (const CompareRow& row : r.rows) {
    if (row.id == id) return row;
  }
  throw std::runtime_error("no row " + id);
}

TEST(BaselineTest, MergesSamplesAndRecomputesTimeDerivedMetrics) {
  ResultsDoc a = Doc({MakeCase("g/a", 1e-3, 0.01, 1)}), b = Doc({MakeCase("g/a", 1e-3, 0.01, 2)});
  b.cases[0].samples_s = {2e-3, 2e-3};  // two iterations per sample: 1 ms per iteration
  b.cases[0].iterations_per_sample = 2;
  b.cases[0].metrics[0].second.min = b.cases[0].metrics[0].second.max = 1000;  // consistent extremes
  b.cases[0].metrics[1].second.min = b.cases[0].metrics[1].second.max = 1;
  Baseline base = CreateBaseline({a, b}, {"a.json", "b.json"}, "cpu-test");
  EXPECT_EQ(base.sku, "cpu");
  ASSERT_EQ(base.cases.size(), 1u);
  EXPECT_EQ(base.cases[0].samples_s.size(), 32u);
  EXPECT_EQ(base.cases[0].sources, 2);
  const MetricResult* t = base.cases[0].FindMetric("tflops");
  EXPECT_EQ(t->n, 32);
  EXPECT_NEAR(t->median, 1000, 15);
  EXPECT_EQ(base.sources[1].file, "b.json");
}

TEST(BaselineTest, RefusesMixedSkusDuplicatesAndEmptyInput) {
  ResultsDoc gpu = Doc({MakeCase("g/a", 1e-3, 0.01, 1, 30, "cuda:0")});
  gpu.system.devices.push_back(GpuInfo{});
  gpu.system.devices[0].sku = "h100-sxm-80gb";
  ResultsDoc cpu = Doc({MakeCase("g/a", 1e-3, 0.01, 1)});
  EXPECT_THROW(CreateBaseline({gpu, cpu}, {"g", "c"}, "x"), UsageError);
  ResultsDoc dup = Doc({MakeCase("g/a", 1e-3, 0.01, 1), MakeCase("g/a", 1e-3, 0.01, 2)});
  EXPECT_THROW(CreateBaseline({dup}, {"d"}, "x"), UsageError);
  ResultsDoc failed = Doc({MakeCase("g/a", 1e-3, 0.01, 1)});
  failed.cases[0].status = CaseStatus::kFailed;
  EXPECT_THROW(CreateBaseline({failed}, {"f"}, "x"), UsageError);
}

TEST(BaselineTest, FileRoundTripAndReaderErrors) {
  Baseline b = CreateBaseline({Doc({MakeCase("g/a", 1e-3, 0.01, 1)})}, {"a.json"}, "t");
  b.workload_thresholds["gemm"] = {0.97, 0.93};
  const std::string path = ::testing::TempDir() + "/gq_baseline_test.json";
  WriteBaselineFile(path, b);
  Baseline back = ReadBaselineFile(path);
  EXPECT_EQ(back.cases[0].samples_s, b.cases[0].samples_s);
  EXPECT_DOUBLE_EQ(back.ThresholdFor("gemm").fail_below, 0.93);
  EXPECT_DOUBLE_EQ(back.ThresholdFor("attention").fail_below, 0.90);

  auto error_of = [&](const std::string& text) {
    std::ofstream(path) << text;
    try {
      ReadBaselineFile(path);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto j = nlohmann::ordered_json::parse(ReadJsonFile(path).dump());
  WriteBaselineFile(path, b);
  j["schema"] = "gpuqual.results/1";
  EXPECT_NE(error_of(j.dump()).find("this is a results file"), std::string::npos);
  j["schema"] = "gpuqual.baseline/1";
  j["cases"].push_back(j["cases"][0]);
  EXPECT_EQ(error_of(j.dump()), path + ": cases[1].id: case 'g/a' appears twice");
  j["cases"].erase(1);
  j["cases"][0].erase("samples_s");
  EXPECT_EQ(error_of(j.dump()), path + ": cases[0].samples_s: missing");
  EXPECT_NE(error_of("[1, 2").find("malformed JSON"), std::string::npos);
  std::remove(path.c_str());
}

TEST(CompareTest, IdenticalInputsAreUnchangedAndExitZero) {
  ResultsDoc a = Doc({MakeCase("g/a", 1e-3, 0.02, 1), MakeCase("g/b", 2e-3, 0.02, 2)});
  CompareReport r = Compare(a, CreateBaseline({a}, {"a"}, "a"), {});
  for (const CompareRow& row : r.rows) {
    EXPECT_EQ(row.verdict, Verdict::kUnchanged) << row.id;
    EXPECT_NEAR(row.ratio, 1.0, 1e-12);
    EXPECT_GT(row.p_value, 0.5);
  }
  EXPECT_EQ(r.ExitCode(), 0);
  EXPECT_NEAR(r.geomean_change, 0, 1e-12);
}

TEST(CompareTest, ShiftedDistributionRegressesAndExitsOne) {
  ResultsDoc base = Doc({MakeCase("g/a", 1e-3, 0.02, 1), MakeCase("g/b", 1e-3, 0.02, 2)});
  // g/a takes 12% longer per iteration (tflops 10.7% lower); g/b 2% longer (within 5%).
  ResultsDoc cand = Doc({MakeCase("g/a", 1.12e-3, 0.02, 3), MakeCase("g/b", 1.02e-3, 0.02, 4)});
  CompareReport r = Compare(cand, CreateBaseline({base}, {"b"}, "b"), {});
  const CompareRow& a = Row(r, "g/a");
  EXPECT_EQ(a.verdict, Verdict::kRegressed) << a.reason;
  EXPECT_NEAR(a.change, 1 / 1.12 - 1, 0.02);
  EXPECT_LT(a.p_value, 0.01);
  EXPECT_LT(a.ratio_high, 0.95);
  EXPECT_EQ(Row(r, "g/b").verdict, Verdict::kUnchanged);
  EXPECT_EQ(r.ExitCode(), 1);
  // A faster candidate improves; a per-workload tolerance above the shift keeps it unchanged.
  CompareReport better = Compare(base, CreateBaseline({cand}, {"c"}, "c"), {});
  EXPECT_EQ(Row(better, "g/a").verdict, Verdict::kImproved);
  CompareOptions loose;
  loose.tolerance_for["gemm"] = 0.15;
  EXPECT_EQ(Row(Compare(cand, CreateBaseline({base}, {"b"}, "b"), loose), "g/a").verdict, Verdict::kUnchanged);
}

TEST(CompareTest, NoiseWithinToleranceOrNotSignificantIsUnchanged) {
  // Very noisy (+-30%) samples with a 6% shift: not significant at alpha 0.01 with 12 samples.
  ResultsDoc base = Doc({MakeCase("g/a", 1e-3, 0.3, 5, 12)});
  ResultsDoc cand = Doc({MakeCase("g/a", 1.06e-3, 0.3, 6, 12)});
  const CompareReport report = Compare(cand, CreateBaseline({base}, {"b"}, "b"), {});
  const CompareRow& row = Row(report, "g/a");  // a reference into `report`, which outlives it
  EXPECT_GE(row.p_value, 0.01);
  EXPECT_EQ(row.verdict, Verdict::kUnchanged);
}

TEST(CompareTest, FailedMissingAndNewCases) {
  ResultsDoc base = Doc({MakeCase("g/a", 1e-3, 0.01, 1), MakeCase("g/b", 1e-3, 0.01, 2), MakeCase("g/c", 1e-3, 0.01, 3)});
  ResultsDoc cand = Doc({MakeCase("g/a", 1e-3, 0.01, 4), MakeCase("g/c", 1e-3, 0.01, 5), MakeCase("g/new", 1e-3, 0.01, 6)});
  cand.cases[0].status = CaseStatus::kFailed;
  cand.cases[0].reason = "verification failed";
  cand.cases[1].status = CaseStatus::kSkipped;
  cand.cases[1].reason = "out of memory";
  CompareOptions opt;
  CompareReport r = Compare(cand, CreateBaseline({base}, {"b"}, "b"), opt);
  EXPECT_EQ(Row(r, "g/a").verdict, Verdict::kFailed);
  EXPECT_EQ(Row(r, "g/b").verdict, Verdict::kMissing);
  EXPECT_EQ(Row(r, "g/c").verdict, Verdict::kMissing);
  EXPECT_EQ(Row(r, "g/c").reason, "skipped in the candidate: out of memory");
  EXPECT_EQ(Row(r, "g/new").verdict, Verdict::kNew);
  EXPECT_EQ(r.ExitCode(), 1);
  cand.cases[0].status = CaseStatus::kOk;
  opt.allow_missing = true;
  EXPECT_EQ(Compare(cand, CreateBaseline({base}, {"b"}, "b"), opt).ExitCode(), 0);
}

// Golden outputs: a hand-made report so every figure is fixed.
CompareReport GoldenReport() {
  CompareReport r;
  r.candidate = "cand.json";
  r.baseline = "h100 <sxm>";
  CompareRow reg{"gemm/dtype=bf16", "gemm", "cuda:0", "tflops", "TFLOP/s", true, Verdict::kRegressed,
                 "10.0% worse (tolerance 5.0%)", 780, 702, 0.9, 0.88, 0.92, -0.1, 1e-6, 0.05};
  CompareRow same{"gemm/dtype=fp16", "gemm", "cuda:0", "tflops", "TFLOP/s", true, Verdict::kUnchanged,
                  "+1.0% within tolerance 5.0%", 700, 707, 1.01, 0.99, 1.03, 0.01, 0.2, 0.05};
  CompareRow miss{"gemm/dtype=fp8_e4m3", "gemm", "", "tflops", "", true, Verdict::kMissing,
                  "in the baseline but not run (or skipped) in the candidate", 0, 0, 0, 0, 0, 0, -1, 0};
  r.rows = {reg, same, miss};
  r.counts = {{Verdict::kRegressed, 1}, {Verdict::kUnchanged, 1}, {Verdict::kMissing, 1}};
  r.geomean_change = -0.0471;
  return r;
}

std::string Golden(const std::string& name) {
  std::ifstream in(std::string(GQ_TEST_DATA_DIR) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(CompareFormatTest, MarkdownMatchesGolden) { EXPECT_EQ(CompareMarkdown(GoldenReport()), Golden("compare_golden.md")); }

TEST(CompareFormatTest, JunitMatchesGolden) { EXPECT_EQ(CompareJunit(GoldenReport()), Golden("compare_golden.xml")); }

TEST(CompareFormatTest, JsonCarriesVerdictsAndPass) {
  auto j = CompareJson(GoldenReport());
  EXPECT_EQ(j["schema"], "gpuqual.compare/1");
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["counts"]["regressed"], 1);
  EXPECT_EQ(j["rows"][0]["verdict"], "regressed");
  EXPECT_FALSE(j["rows"][2].contains("ratio"));
}

}  // namespace
}  // namespace gq
