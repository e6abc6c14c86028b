#include "harness/decide/compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <utility>

#include "harness/decide/baseline.h"
#include "harness/decide/compare_format.h"
#include "harness/errors.h"
#include "harness/measure/rounds.h"
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

// `c` as a noisy case (a round whose median's CI never reached the noise target), with `reason`.
CaseResult Noisy(CaseResult c, const std::string& reason = "") {
  c.status = CaseStatus::kNoisy;
  c.reason = reason;
  return c;
}

ResultsDoc Doc(std::vector<CaseResult> cases) {
  ResultsDoc d;
  static int runs = 0;  // each document its own run (a baseline counts a run once)
  d.run.id = "run-" + std::to_string(++runs);
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

// The case measured in rounds (--repetitions): round medians `center` x each factor.
CaseResult WithRounds(CaseResult c, double center, const std::vector<double>& factors) {
  c.rounds_planned = c.rounds_done = static_cast<int>(factors.size());
  c.round_medians_s.clear();
  for (double f : factors) c.round_medians_s.push_back(center * f);
  return c;
}

TEST(BaselineTest, KeepsEverySourceRoundAsAReplicate) {
  ResultsDoc a = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.01, 1), 1e-3, {1.0, 1.01, 0.99})});
  ResultsDoc b = Doc({MakeCase("g/a", 1e-3, 0.01, 2)});  // a file from before rounds: its median
  b.cases[0].status = CaseStatus::kNoisy;
  Baseline base = CreateBaseline({a, b}, {"a", "b"}, "t");
  ASSERT_EQ(base.cases[0].replicate_medians_s.size(), 4u);
  EXPECT_DOUBLE_EQ(base.cases[0].replicate_medians_s[1], 1.01e-3);
  EXPECT_TRUE(base.cases[0].noisy);
}

// The same run given twice would be two replicates that agree exactly (a spread of zero).
TEST(BaselineTest, RefusesOneRunGivenTwice) {
  ResultsDoc a = Doc({MakeCase("g/a", 1e-3, 0.01, 1)});
  ResultsDoc b = Doc({MakeCase("g/a", 1e-3, 0.01, 2)});
  a.run.id = "r1";
  b.run.id = "r2";
  EXPECT_NO_THROW(CreateBaseline({a, b}, {"a.json", "b.json"}, "t"));
  try {
    CreateBaseline({a, b, a}, {"a.json", "b.json", "copy.json"}, "t");
    FAIL() << "one run counted twice";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "copy.json: run r1 is also a.json (the same run given twice would count as two that agree "
                           "exactly)");
  }
}

TEST(CompareTest, IdenticalRunsAreUnchangedAndExitZero) {
  const std::vector<double> rounds = {1.0, 1.003, 0.998};
  ResultsDoc a = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.02, 1), 1e-3, rounds),
                      WithRounds(MakeCase("g/b", 2e-3, 0.02, 2), 2e-3, rounds)});
  CompareReport r = Compare(a, CreateBaseline({a}, {"a"}, "a"), {});
  for (const CompareRow& row : r.rows) {
    EXPECT_EQ(row.verdict, Verdict::kUnchanged) << row.id << ": " << row.reason;
    EXPECT_NEAR(row.ratio, 1.0, 1e-12);
    EXPECT_EQ(row.runs_candidate, 3);
    EXPECT_GT(row.noise_candidate, 0);
  }
  EXPECT_EQ(r.ExitCode(), 0);
  ASSERT_TRUE(r.geomean_change.has_value());
  EXPECT_NEAR(*r.geomean_change, 0, 1e-12);
}

TEST(CompareTest, ASlowerCandidateRegressesOnRunMediansAndRowsSortBySeverity) {
  const std::vector<double> tight = {1.0, 1.004, 0.997};
  ResultsDoc base = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.02, 1), 1e-3, tight),
                         WithRounds(MakeCase("g/b", 1e-3, 0.02, 2), 1e-3, tight)});
  // g/b takes 12% longer per iteration (tflops 10.7% lower), g/a 1% longer (within 5%).
  ResultsDoc cand = Doc({WithRounds(MakeCase("g/a", 1.01e-3, 0.02, 3), 1.01e-3, tight),
                         WithRounds(MakeCase("g/b", 1.12e-3, 0.02, 4), 1.12e-3, tight)});
  CompareReport r = Compare(cand, CreateBaseline({base}, {"b"}, "b"), {});
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].id, "g/b");  // the regression first
  EXPECT_EQ(r.rows[0].verdict, Verdict::kRegressed) << r.rows[0].reason;
  EXPECT_NEAR(r.rows[0].change, 1 / 1.12 - 1, 1e-9);
  EXPECT_LT(r.rows[0].p_value, 0.05);
  EXPECT_LT(r.rows[0].change_high, -0.05);
  EXPECT_EQ(Row(r, "g/a").verdict, Verdict::kUnchanged);
  EXPECT_EQ(r.ExitCode(), 1);
  CompareReport better = Compare(base, CreateBaseline({cand}, {"c"}, "c"), {});
  EXPECT_EQ(Row(better, "g/b").verdict, Verdict::kImproved);
  CompareOptions loose;
  loose.tolerance_for["gemm"] = 0.15;
  const CompareReport within = Compare(cand, CreateBaseline({base}, {"b"}, "b"), loose);
  EXPECT_NE(Row(within, "g/b").verdict, Verdict::kRegressed);
}

TEST(CompareTest, SpreadBetweenRunsOrANoisyCaseOfOneRoundIsInconclusive) {
  // 6% slower, but the runs spread by +-10%: too wide to decide at 5%.
  const std::vector<double> wide = {0.9, 1.0, 1.1};
  ResultsDoc base = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.02, 5), 1e-3, wide)});
  ResultsDoc cand = Doc({WithRounds(MakeCase("g/a", 1.06e-3, 0.02, 6), 1.06e-3, wide)});
  const CompareReport report = Compare(cand, CreateBaseline({base}, {"b"}, "b"), {});
  const CompareRow& row = Row(report, "g/a");
  EXPECT_EQ(row.verdict, Verdict::kInconclusive) << row.reason;
  EXPECT_NE(row.reason.find("would decide"), std::string::npos) << row.reason;
  EXPECT_EQ(report.ExitCode(), 0);
  CompareOptions strict;
  strict.fail_on_inconclusive = true;
  EXPECT_EQ(Compare(cand, CreateBaseline({base}, {"b"}, "b"), strict).ExitCode(), 1);
  // A noisy candidate case of three rounds: their spread holds its noise, and a clear regression
  // (20% slower, rounds within 0.1%) is judged so.
  ResultsDoc noisy = Doc({Noisy(WithRounds(MakeCase("g/a", 1.2e-3, 0.02, 7), 1.2e-3, {1.0, 1.001, 0.999}),
                                "95% CI of the median is +-3.1%")});
  ResultsDoc tight = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.02, 8), 1e-3, {1.0, 1.001, 0.999})});
  const CompareRow n = Row(Compare(noisy, CreateBaseline({tight}, {"b"}, "b"), {}), "g/a");
  EXPECT_EQ(n.verdict, Verdict::kRegressed) << n.reason;
  EXPECT_NE(n.reason.find("the candidate case is noisy (95% CI of the median is +-3.1%): judged on the spread "
                          "between replicates"), std::string::npos) << n.reason;
  // The same case measured in one round: its one median may be anywhere in its CI (+-2% here),
  // and 20% slower is regressed wherever in it (a throttled run is both slow and noisy).
  ResultsDoc once = Doc({Noisy(MakeCase("g/a", 1.2e-3, 0.02, 7), "95% CI of the median is +-3.1%")});
  const CompareRow o = Row(Compare(once, CreateBaseline({tight}, {"b"}, "b"), {}), "g/a");
  EXPECT_EQ(o.verdict, Verdict::kRegressed) << o.reason;
  EXPECT_NE(o.reason.find("noisy (95% CI of the median is +-3.1%) with one replicate, but the call holds across its "
                          "median's 95% CI ("), std::string::npos) << o.reason;
  // One replicate on each side: no between-run spread, inconclusive whatever the noise.
  ResultsDoc tight_once = Doc({Noisy(MakeCase("g/a", 1e-3, 0.02, 10))});
  const CompareRow both = Row(Compare(once, CreateBaseline({tight_once}, {"b"}, "b"), {}), "g/a");
  EXPECT_EQ(both.verdict, Verdict::kInconclusive) << both.reason;
  EXPECT_NE(both.reason.find("one run on each side"), std::string::npos) << both.reason;
  // 6% slower with a CI of about +-25%: the call changes inside the CI, so the case is not judged.
  ResultsDoc wide_once = Doc({Noisy(MakeCase("g/a", 1.06e-3, 0.3, 9, 10), "95% CI of the median is +-25%")});
  const CompareRow w = Row(Compare(wide_once, CreateBaseline({tight}, {"b"}, "b"), {}), "g/a");
  EXPECT_EQ(w.verdict, Verdict::kInconclusive) << w.reason;
  EXPECT_NE(w.reason.find("noisy (95% CI of the median is +-25%) with one replicate, so its figure may be anywhere in "
                          "its CI, where the call changes"), std::string::npos) << w.reason;
  EXPECT_NE(w.reason.find("--repetitions 3"), std::string::npos) << w.reason;
  // One sample (an H200 e2e offline case at --max-time 1): no CI exists to place its figure in.
  ResultsDoc one_sample = Doc({Noisy(MakeCase("g/a", 1.01e-3, 0.0, 9, 1), "one sample only")});
  const CompareRow one = Row(Compare(one_sample, CreateBaseline({tight}, {"b"}, "b"), {}), "g/a");
  EXPECT_EQ(one.verdict, Verdict::kInconclusive) << one.reason;
  EXPECT_NE(one.reason.find("noisy (one sample only) with one replicate and one sample, so no spread shows where "
                            "its figure lies: not judged (--repetitions 3"), std::string::npos) << one.reason;
  EXPECT_EQ(one.reason.find("anywhere in its CI"), std::string::npos) << one.reason;
  // The side with one replicate is the baseline: the reason names it, not the candidate.
  ResultsDoc noisy_once = Doc({Noisy(MakeCase("g/a", 1.14e-3, 0.3, 8, 10))});
  const CompareRow b = Row(Compare(noisy, CreateBaseline({noisy_once}, {"b"}, "b"), {}), "g/a");
  EXPECT_EQ(b.verdict, Verdict::kInconclusive) << b.reason;
  EXPECT_EQ(b.reason.rfind("the baseline case was noisy in a source run, its only replicate", 0), 0u) << b.reason;
}

// The figures beside the change are the ones it is the ratio of (judged_figure.h): with rounds
// that spread widely, the metric at the geometric mean of each side's rounds, not their median.
TEST(CompareTest, TheFiguresShownAreTheOnesTheChangeIsTheRatioOf) {
  ResultsDoc base = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.02, 5), 1e-3, {1.0, 1.0, 1.0})});
  ResultsDoc cand = Doc({WithRounds(MakeCase("g/a", 1e-3, 0.02, 6), 1e-3, {1.0, 4.0, 0.5})});
  for (auto& [name, m] : cand.cases[0].metrics) {  // summarised over the rounds, as MergeRounds does
    m.min = 1e12 / 4e-3 * 1e-12;
    m.max = 1e12 / 0.5e-3 * 1e-12;
  }
  const CompareRow row = Row(Compare(cand, CreateBaseline({base}, {"b"}, "b"), {}), "g/a");
  ASSERT_TRUE(row.compared()) << row.reason;
  EXPECT_NEAR(row.candidate_figure / row.baseline_figure, row.ratio, 1e-9 * row.ratio);
  EXPECT_NEAR(1 + row.change, row.candidate_figure / row.baseline_figure, 1e-9);
  EXPECT_NEAR(row.candidate_figure, 1e12 / (std::cbrt(2.0) * 1e-3) * 1e-12, 1e-6);  // not the median, 1000
}

// A run measured in rounds, as MergeRounds makes it (its metrics summarise the rounds' medians),
// against a baseline made of that run: both columns show one figure, as the change says.
TEST(CompareTest, ARunInRoundsAgainstItselfShowsTheSameFigureOnBothSides) {
  std::vector<CaseResult> rounds;
  for (int r = 0; r < 3; ++r) {
    rounds.push_back(MakeCase("g/a", 1e-3 * (1 + 0.004 * r), 0.03, 10 + r, 20 + r));  // even and odd counts
    rounds.back().round_medians_s = {Median(rounds.back().samples_s)};
  }
  const ResultsDoc run = Doc({MergeRounds(rounds, 0.5)});
  const Baseline base = CreateBaseline({run}, {"a"}, "a");
  ASSERT_EQ(base.cases[0].FindMetric("tflops")->n, 3);  // from the rounds' medians, as the run's metric
  // (A round of an even sample count has the mean of its middle two rates as its metric's median,
  // the rate at the mean of its middle two times as its round median: they differ by ~1e-5 here.)
  const double run_median = run.cases[0].FindMetric("tflops")->median;
  EXPECT_NEAR(base.cases[0].FindMetric("tflops")->median, run_median, 1e-4 * run_median);
  const CompareRow row = Row(Compare(run, base, {}), "g/a");
  ASSERT_TRUE(row.compared()) << row.reason;
  EXPECT_DOUBLE_EQ(row.candidate_figure, row.baseline_figure);
  EXPECT_NEAR(row.ratio, 1.0, 1e-12);
}

// One run on each side: no between-run spread, so no call could hold alpha (an A/A pair at 5%
// spread would "regress" a quarter of the time): inconclusive, with the change, the spread within
// the runs (shown, not decided on) and what would decide; exit 0 unless --fail-on-inconclusive.
TEST(CompareTest, OneRunEachSideIsInconclusiveAndSaysWhatWouldDecide) {
  ResultsDoc base = Doc({MakeCase("g/a", 1e-3, 0.02, 1)});
  ResultsDoc cand = Doc({MakeCase("g/a", 1.12e-3, 0.02, 3)});
  const CompareReport report = Compare(cand, CreateBaseline({base}, {"b"}, "b"), {});
  const CompareRow row = Row(report, "g/a");
  EXPECT_EQ(row.verdict, Verdict::kInconclusive);
  EXPECT_EQ(row.p_value, -1);
  EXPECT_NEAR(row.change, 1 / 1.12 - 1, 0.02);
  EXPECT_NE(row.reason.find("worse (beyond the 5.0% tolerance); one run on each side"), std::string::npos)
      << row.reason;
  EXPECT_NE(row.reason.find("--repetitions 3"), std::string::npos) << row.reason;
  EXPECT_NE(row.reason.find("within the runs, the ratio's 95% CI is"), std::string::npos) << row.reason;
  EXPECT_EQ(report.ExitCode(), 0);
  CompareOptions strict;
  strict.fail_on_inconclusive = true;
  EXPECT_EQ(Compare(cand, CreateBaseline({base}, {"b"}, "b"), strict).ExitCode(), 1);
}

// Two real cpu runs of one binary (the ci suite, 3 rounds each) recorded on this project's 2-core
// development machine while it was building (load average ~5): no case may regress.
TEST(CompareTest, RecordedRunsOfOneBinaryOnALoadedMachineDoNotRegress) {
  const std::string dir = std::string(GQ_TEST_DATA_DIR) + "/aa/";
  const ResultsDoc run1 = ReadResultsFile(dir + "run1.json"), run2 = ReadResultsFile(dir + "run2.json");
  for (const auto& [cand, base] : {std::pair{&run2, &run1}, std::pair{&run1, &run2}}) {
    const CompareReport r = Compare(*cand, CreateBaseline({*base}, {"base"}, "aa"), {});
    ASSERT_EQ(r.rows.size(), 6u);
    for (const CompareRow& row : r.rows) {
      EXPECT_NE(row.verdict, Verdict::kRegressed) << row.id << ": " << row.reason;
      EXPECT_EQ(row.runs_candidate, 3) << row.id;
    }
    EXPECT_EQ(r.ExitCode(), 0);
  }
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
  EXPECT_FALSE(r.geomean_change.has_value());  // nothing compared: n/a, not 0
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
  auto row = [](const std::string& id, const std::string& device, Verdict v, const std::string& reason) {
    CompareRow x;
    x.id = id;
    x.workload = "gemm";
    x.device = device;
    x.metric = "tflops";
    x.verdict = v;
    x.reason = reason;
    return x;
  };
  auto figures = [](CompareRow& x, double base, double cand, double low, double high, double p, double noise) {
    x.unit = "TFLOP/s";
    x.baseline_figure = base;
    x.candidate_figure = cand;
    x.ratio = cand / base;
    x.change = x.ratio - 1;
    x.change_low = low;
    x.change_high = high;
    x.p_value = p;
    x.tolerance = 0.05;
    x.runs_baseline = x.runs_candidate = 3;
    x.noise_baseline = x.noise_candidate = noise;
  };
  CompareRow reg = row("gemm/dtype=bf16", "cuda:0", Verdict::kRegressed, "10.0% worse (95% CI -12.0% .. -8.0%, p = 1e-06)");
  figures(reg, 780, 702, -0.12, -0.08, 1e-6, 0.004);
  CompareRow inc = row("gemm/dtype=tf32", "cuda:0", Verdict::kInconclusive, "6.0% worse, but within the between-run spread");
  figures(inc, 400, 376, -0.15, 0.03, 0.2, 0.05);
  CompareRow same = row("gemm/dtype=fp16", "cuda:0", Verdict::kUnchanged, "+1.0% (95% CI -1.0% .. +3.0%) within the 5.0% tolerance");
  figures(same, 700, 707, -0.01, 0.03, 0.2, 0.006);
  CompareRow miss = row("gemm/dtype=fp8_e4m3", "", Verdict::kMissing, "in the baseline but not run (or skipped) in the candidate");
  r.rows = {reg, miss, inc, same};
  r.counts = {{Verdict::kRegressed, 1}, {Verdict::kInconclusive, 1}, {Verdict::kUnchanged, 1}, {Verdict::kMissing, 1}};
  r.geomean_change = -0.0471;
  return r;
}

std::string Golden(const std::string& name) {
  std::ifstream in(std::string(GQ_TEST_DATA_DIR) + "/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `note` is in the JSON under `key`, in the Markdown and in the console table.
void ExpectNoteInEveryFormat(const CompareReport& r, const char* key, const std::string& note) {
  EXPECT_EQ(CompareJson(r)[key], note);
  EXPECT_NE(CompareMarkdown(r).find("**Note:** " + note), std::string::npos);
  std::ostringstream table;
  PrintCompareTable(table, r);
  EXPECT_NE(table.str().find("note: " + note), std::string::npos) << table.str();
}

// A baseline of another GPU model (a CI runner moved to other hardware) is named in every format;
// the verdicts are decided as ever.
TEST(CompareTest, ABaselineOfAnotherSkuIsNoted) {
  const ResultsDoc run = Doc({MakeCase("g/a", 1e-3, 0.01, 1)});
  Baseline base = CreateBaseline({Doc({MakeCase("g/a", 1e-3, 0.01, 2)})}, {"b"}, "b");
  EXPECT_TRUE(Compare(run, base, {}).sku_note.empty());  // both cpu
  base.sku = "h100-sxm-80gb";
  const CompareReport r = Compare(run, base, {});
  EXPECT_EQ(r.sku_note, "the baseline is of SKU h100-sxm-80gb, but case g/a ran on cpu: the changes compare two GPU "
                        "models");
  ExpectNoteInEveryFormat(r, "sku_note", r.sku_note);
  std::ostringstream table;
  PrintCompareTable(table, r);
  EXPECT_EQ(table.str().find("against baseline"), std::string::npos) << table.str();  // not named: no line
  CompareReport named = r;
  named.candidate = "run.json";
  named.baseline = "h100.json";
  std::ostringstream titled;
  PrintCompareTable(titled, named);
  EXPECT_EQ(titled.str().rfind("candidate run.json against baseline h100.json\n", 0), 0u) << titled.str();
  // The sign convention is folded to terminal lines, whole words kept.
  std::istringstream lines(titled.str());
  std::string line, legend;
  while (std::getline(lines, line) && !line.empty()) {
    EXPECT_LE(line.size(), 100u) << line;
    legend += (legend.empty() || line.rfind("candidate ", 0) == 0 ? "" : " ") + line;
  }
  EXPECT_NE(legend.find(kSignConvention), std::string::npos) << legend;
}

// A candidate on an instance type none of the baseline's runs were made on: noted (the changes
// include the machines' difference), never decided on; the same type, or an unknown one, no note.
TEST(CompareTest, ABaselineOfAnotherInstanceTypeIsNoted) {
  ResultsDoc run = Doc({MakeCase("g/a", 1e-3, 0.01, 1)});
  ResultsDoc base_run = Doc({MakeCase("g/a", 1e-3, 0.01, 2)});
  base_run.system.cloud.instance_type = "p5.48xlarge";
  const Baseline base = CreateBaseline({base_run}, {"b"}, "b");
  EXPECT_TRUE(Compare(run, base, {}).machine_note.empty());  // the candidate's type unknown
  run.system.cloud.instance_type = "p5.48xlarge";
  EXPECT_TRUE(Compare(run, base, {}).machine_note.empty());
  run.run.labels["instance_type"] = "a3-highgpu-8g";  // the label wins over the cloud's, as everywhere
  const CompareReport r = Compare(run, base, {});
  EXPECT_EQ(r.machine_note, "the baseline was made on p5.48xlarge, the candidate ran on a3-highgpu-8g: the changes "
                            "include the difference between the machines");
  ExpectNoteInEveryFormat(r, "machine_note", r.machine_note);
  EXPECT_EQ(r.ExitCode(), Compare(base_run, base, {}).ExitCode());  // a note, not a verdict
}

TEST(CompareFormatTest, MarkdownMatchesGolden) { EXPECT_EQ(CompareMarkdown(GoldenReport()), Golden("compare_golden.md")); }

// The headline says what failed the gate, and never PASS when no case was decided either way.
TEST(CompareFormatTest, TheHeadlineSaysWhatFailedOrThatNothingWasDecided) {
  CompareReport r = GoldenReport();
  EXPECT_EQ(CompareHeadline(r), "FAIL (1 regressed, 1 missing)");
  r.allow_missing = true;
  r.fail_on_inconclusive = true;
  EXPECT_EQ(CompareHeadline(r), "FAIL (1 regressed, 1 inconclusive (--fail-on-inconclusive))");
  CompareReport noisy;
  CompareRow row;
  row.verdict = Verdict::kInconclusive;
  noisy.rows = {row, row};
  noisy.counts[Verdict::kInconclusive] = 2;
  EXPECT_EQ(CompareHeadline(noisy),
            "NO DECISION (2 inconclusive: no case was decided either way; exit 0, --fail-on-inconclusive fails on it)");
  EXPECT_EQ(noisy.ExitCode(), 0);
  noisy.fail_on_inconclusive = true;
  EXPECT_EQ(CompareHeadline(noisy), "FAIL (2 inconclusive (--fail-on-inconclusive))");
  row.verdict = Verdict::kUnchanged;
  noisy.rows.push_back(row);
  noisy.counts[Verdict::kUnchanged] = 1;
  noisy.fail_on_inconclusive = false;
  EXPECT_EQ(CompareHeadline(noisy), "PASS");
}

TEST(CompareFormatTest, JunitMatchesGolden) { EXPECT_EQ(CompareJunit(GoldenReport()), Golden("compare_golden.xml")); }

TEST(CompareFormatTest, JsonCarriesVerdictsAndPass) {
  auto j = CompareJson(GoldenReport());
  EXPECT_EQ(j["schema"], "gpuqual.compare/2");
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["counts"]["regressed"], 1);
  EXPECT_EQ(j["rows"][0]["verdict"], "regressed");
  EXPECT_EQ(j["rows"][0]["replicates"]["candidate"], 3);
  EXPECT_FALSE(j["rows"][1].contains("ratio"));  // missing: nothing compared
  EXPECT_NE(j["sign"].get<std::string>().find("+ is better, - is worse"), std::string::npos);
  CompareReport none;
  EXPECT_TRUE(CompareJson(none)["geomean_change"].is_null());
  std::ostringstream table;
  PrintCompareTable(table, none);
  EXPECT_NE(table.str().find("geometric-mean change n/a (no case compared)"), std::string::npos) << table.str();
}

TEST(CompareFormatTest, InconclusiveIsSkippedInJunitUnlessItFails) {
  CompareReport r = GoldenReport();
  EXPECT_NE(CompareJunit(r).find("<skipped message=\"inconclusive: 6.0% worse"), std::string::npos);
  r.fail_on_inconclusive = true;
  EXPECT_NE(CompareJunit(r).find("<failure type=\"inconclusive\""), std::string::npos);
}

}  // namespace
}  // namespace gq
