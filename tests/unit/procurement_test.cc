// The buyer's figures (harness/decide/procurement.h): the named scenario, the prices file, scores
// with their intervals, performance per dollar, $/Mtok like for like, the ranking with its ties,
// the machines set apart, the recommendation and the JSON the report draws.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "harness/decide/procurement.h"
#include "harness/decide/procurement_format.h"
#include "harness/errors.h"
#include "workloads/registry.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

// A measured case: `rate` is the primary metric (higher is better) with one round per value of
// `rounds` (seconds per iteration), so the case's replicates are rate x median(t) / t.
CaseResult RateCase(const std::string& id, const std::string& workload, double rate, const std::string& device = "cuda:0",
                    std::vector<double> rounds = {}) {
  CaseResult c;
  c.id = id;
  c.workload = workload;
  c.device = device;
  c.status = CaseStatus::kOk;
  c.primary_metric = "rate";
  c.metrics = {{"rate", MetricResult{"x/s", true, rate}}};
  c.round_medians_s = std::move(rounds);
  return c;
}

// The default scenario's case (Llama-3-8B offline 64 x 1024/128, tp 1) on one device.
CaseResult ScenarioCase(double tok_s, const std::string& device, int batch = 64) {
  CaseResult c = RateCase("e2e/model=llama-3-8b/scenario=offline/batch=" + std::to_string(batch), "e2e", tok_s, device);
  c.primary_metric = "output_tok_s";
  c.metrics = {{"output_tok_s", MetricResult{"tok/s", true, tok_s}}};
  c.params = {{"model", "llama-3-8b"}, {"scenario", "offline"}, {"batch", std::to_string(batch)}, {"input_len", "1024"},
              {"output_len", "128"},   {"dtype", "bf16"},       {"tp", "1"},                      {"layers", "0"}};
  return c;
}

ResultsDoc MachineRun(const std::string& instance, const std::string& provider, int gpus, std::vector<CaseResult> cases,
               const char* verdict = nullptr) {
  ResultsDoc d;
  d.system.cloud.provider = provider;
  d.system.cloud.instance_type = instance;
  d.system.cloud.region = "region-of-" + instance;
  d.system.devices.resize(gpus);
  for (GpuInfo& g : d.system.devices) g.sku = "h100-sxm-80gb";
  d.cases = std::move(cases);
  if (verdict != nullptr) {
    QualifyVerdict v;
    v.overall = ParseQualifyStatus(verdict);
    if (v.overall == QualifyStatus::kFail) v.checks = {{"ecc_uncorrected", "health", QualifyStatus::kFail, "GPU 3: 2 errors", 0, 0, ""}};
    d.verdict = v;
  }
  return d;
}

PriceList Prices(std::initializer_list<std::pair<std::string, double>> entries) {
  PriceList p;
  p.origin = "prices.json";
  for (const auto& [type, usd] : entries) {
    InstancePrice e;
    e.instance_type = type;
    e.usd_per_hour = usd;
    p.prices.push_back(e);
  }
  return p;
}

ProcurementOptions Options(Objective objective = Objective::kPerfPerDollar) {
  ProcurementOptions o;
  o.objective = objective;
  const WorkloadRegistry registry = BuildRegistry();
  for (const Workload* w : registry.All()) o.cost_metrics.Declare(w->Name(), w->Metrics());
  return o;
}

TEST(ProcurementScenarioTest, ParsesOverridesAndRejectsUnknownKeysAndBadValues) {
  const ProcurementScenario d = ParseProcurementScenario("");
  EXPECT_EQ(d.Describe(), "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1");
  const ProcurementScenario s = ParseProcurementScenario("model=mistral-7b,batch=16,tp=2");
  EXPECT_EQ(s.model, "mistral-7b");
  EXPECT_EQ(s.batch, 16);
  EXPECT_EQ(s.tp, 2);
  EXPECT_EQ(s.input_len, 1024);  // keys not given keep the default
  EXPECT_THROW(ParseProcurementScenario("modle=x"), UsageError);
  EXPECT_THROW(ParseProcurementScenario("batch=0"), UsageError);
  EXPECT_THROW(ParseProcurementScenario("batch=12x"), UsageError);
  EXPECT_THROW(ParseProcurementScenario("batch"), UsageError);
}

TEST(ProcurementScenarioTest, MatchesOnlyTheExactCase) {
  const ProcurementScenario s;
  EXPECT_TRUE(s.Matches(ScenarioCase(1000, "cuda:0")));
  EXPECT_FALSE(s.Matches(ScenarioCase(1000, "cuda:0", 128)));  // another batch
  CaseResult custom = ScenarioCase(1000, "cuda:0");
  custom.params.back().second = "16";  // layers=16: not the preset's model
  EXPECT_FALSE(s.Matches(custom));
  CaseResult gemm = ScenarioCase(1000, "cuda:0");
  gemm.workload = "gemm";
  EXPECT_FALSE(s.Matches(gemm));
}

TEST(PricesTest, ReadsTheFileAndMatchesByTypeThenProvider) {
  const json j = json::parse(R"({"schema": "gpuqual.prices/1", "prices": [
      {"instance_type": "x.8gpu", "usd_per_hour": 10},
      {"instance_type": "x.8gpu", "provider": "gcp", "usd_per_hour": 12, "gpus": 4, "region": "eu"}]})");
  const PriceList p = PriceListFromJson(j, "p.json");
  ASSERT_EQ(p.prices.size(), 2u);
  ResultsDoc run = MachineRun("x.8gpu", "aws", 8, {});
  EXPECT_EQ(p.Match(run)->usd_per_hour, 10);  // no entry for aws: the first of the type
  run.system.cloud.provider = "gcp";
  EXPECT_EQ(p.Match(run)->usd_per_hour, 12);
  EXPECT_EQ(p.Match(run)->gpus, 4);
  run.run.labels["instance_type"] = "y";  // the label wins over the detected type
  EXPECT_EQ(InstanceTypeOf(run), "y");
  EXPECT_EQ(p.Match(run), nullptr);
}

TEST(PricesTest, OneOfferPricedTwiceIsRefused) {
  const auto doc = [](const char* provider2) {
    nlohmann::ordered_json j = {{"schema", "gpuqual.prices/1"},
                                {"prices", {{{"instance_type", "p5"}, {"provider", "aws"}, {"usd_per_hour", 1}},
                                            {{"instance_type", "p5"}, {"usd_per_hour", 2}}}}};
    if (provider2 != nullptr) j["prices"][1]["provider"] = provider2;
    return j;
  };
  EXPECT_EQ(PriceListFromJson(doc("gcp"), "p.json").prices.size(), 2u);  // one type, two providers
  nlohmann::ordered_json regions = doc("aws");
  regions["prices"][0]["region"] = "us-east-1";
  regions["prices"][1]["region"] = "eu-west-1";
  const PriceList by_region = PriceListFromJson(regions, "p.json");  // one type of one provider, two regions
  ResultsDoc run;
  run.system.cloud = {"aws", "p5", "eu-west-1", ""};
  ASSERT_NE(by_region.Match(run), nullptr);
  EXPECT_EQ(by_region.Match(run)->usd_per_hour, 2);  // the run's region
  run.system.cloud.region = "ap-south-1";
  EXPECT_EQ(by_region.Match(run)->usd_per_hour, 1);  // no region of the run's: the first of its provider
  EXPECT_EQ(PriceListFromJson(doc(nullptr), "p.json").prices.size(), 2u);  // with and without one
  try {
    PriceListFromJson(doc("aws"), "p.json");
    ADD_FAILURE() << "read";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "p.json: prices[1].instance_type: 'p5' of provider 'aws' is priced twice (also prices[0])");
  }
}

TEST(PricesTest, BadFilesNameTheKey) {
  auto message = [](const char* text) {
    try {
      PriceListFromJson(json::parse(text), "p.json");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message(R"({"schema": "gpuqual.prices/2", "prices": []})").find("p.json: schema"), std::string::npos);
  EXPECT_NE(message(R"({"schema": "gpuqual.prices/1", "prices": [{"instance_type": "x", "usd_per_hour": 0}]})")
                .find("prices[0].usd_per_hour"),
            std::string::npos);
  EXPECT_NE(message(R"({"schema": "gpuqual.prices/1", "prices": [{"instance_type": "x", "usd_per_hour": 1, "gpus": -1}]})")
                .find("prices[0].gpus"),
            std::string::npos);
  EXPECT_NE(message(R"({"schema": "gpuqual.prices/1", "prices": [{"instance_type": "", "usd_per_hour": 1}]})")
                .find("prices[0].instance_type"),
            std::string::npos);
  EXPECT_NE(message("[]").find("p.json"), std::string::npos);
}

// Two cases; machine "fast" is the reference on both, "slow" reaches 0.5 and 0.8 of it.
TEST(ProcurementTest, ScoresAreGeometricMeansAgainstTheBestMachineAndPerDollarUsesTheWholeInstance) {
  const std::vector<ResultsDoc> runs = {
      MachineRun("fast", "aws", 8, {RateCase("a", "gemm", 200), RateCase("b", "membw", 100)}, "PASS"),
      MachineRun("slow", "gcp", 8, {RateCase("a", "gemm", 100), RateCase("b", "membw", 80)}, "PASS")};
  const PriceList prices = Prices({{"fast", 100}, {"slow", 20}});
  const ProcurementReport r = BuildProcurement(runs, &prices, nullptr, nullptr, Options());
  EXPECT_EQ(r.common_cases, (std::vector<std::string>{"a", "b"}));
  const MachineFigures& slow = *r.Find("slow");
  EXPECT_NEAR(slow.score->value, std::sqrt(0.5 * 0.8), 1e-12);
  EXPECT_DOUBLE_EQ(slow.score->low, slow.score->value);  // one value per case: no spread to show
  EXPECT_NEAR(slow.perf_per_usd_hour->value, std::sqrt(0.4) * 8 / 20, 1e-12);
  EXPECT_NEAR(slow.workload_scores.at("gemm").value, 0.5, 1e-12);
  EXPECT_EQ(slow.region, "region-of-slow");
  // Per dollar the cheap machine wins; on raw performance the fast one.
  ASSERT_EQ(r.ranking.size(), 2u);
  EXPECT_EQ(r.ranking[0].machine, "slow");
  EXPECT_EQ(r.ranking[1].rank, 2);
  EXPECT_TRUE(r.ranking[1].tie.empty());
  const ProcurementReport p = BuildProcurement(runs, &prices, nullptr, nullptr, Options(Objective::kPerformance));
  EXPECT_EQ(p.ranking[0].machine, "fast");
  EXPECT_NE(p.recommendation.find("Buy fast"), std::string::npos);
  EXPECT_NE(p.recommendation.find("measured in one run"), std::string::npos);
}

// A collective one machine ran on one GPU (a copy: algbw) and another on eight (busbw) is no common
// case: it is left out of every score, and the report says why.
TEST(ProcurementTest, CollectivesAtOtherRankCountsAreLeftOutAndNamed) {
  CaseResult one = RateCase("allreduce/size=1G", "allreduce", 1800, "cuda:0");
  CaseResult eight = RateCase("allreduce/size=1G", "allreduce", 360, "cuda:0-7");
  eight.work.busbw_factor = 1.75;
  const std::vector<ResultsDoc> runs = {
      MachineRun("h200", "aws", 1, {RateCase("a", "gemm", 200), one}, "PASS"),
      MachineRun("h100x8", "aws", 8, {RateCase("a", "gemm", 100), eight}, "PASS")};
  const ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  EXPECT_EQ(r.common_cases, std::vector<std::string>{"a"});
  ASSERT_EQ(r.not_comparable.size(), 1u);
  EXPECT_EQ(r.not_comparable[0],
            "allreduce/size=1G: not comparable: h100x8 ran this collective on several ranks (bus factor 1.75), h200 on "
            "one rank (a copy; figure algbw): the same number of ranks (GPUs) on both sides is needed");
  EXPECT_NEAR(r.Find("h100x8")->score->value, 0.5, 1e-12);  // over the GEMM alone
  std::ostringstream text;
  PrintProcurement(text, r);
  EXPECT_NE(text.str().find("left out of the scores, 1 case(s) (allreduce/size=1G): not comparable: h100x8 ran"),
            std::string::npos)
      << text.str();
  EXPECT_EQ(ProcurementJson(r)["not_comparable"], json(r.not_comparable));
  // A machine set apart (FAIL) that ran the collective on one GPU is not scored on it either.
  const std::vector<ResultsDoc> apart = {
      MachineRun("h100x8", "aws", 8, {RateCase("a", "gemm", 100), eight}, "PASS"),
      MachineRun("h100x8b", "aws", 8, {RateCase("a", "gemm", 100), eight}, "PASS"),
      MachineRun("h200", "aws", 1, {RateCase("a", "gemm", 200), one}, "FAIL")};
  const ProcurementReport s = BuildProcurement(apart, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  EXPECT_EQ(s.common_cases, (std::vector<std::string>{"a", "allreduce/size=1G"}));
  EXPECT_NEAR(s.Find("h200")->score->value, 2.0, 1e-12);  // the GEMM alone, not 1800 / 360
}

// TFLOP/s per $/h is over the cases every ranked machine shares: a machine that also ran a slower
// GEMM shape is not made to look cheaper or dearer by it.
TEST(ProcurementTest, TflopsPerDollarIsOverTheCommonCases) {
  auto gemm = [](const std::string& id, double tflops) {
    CaseResult c = RateCase(id, "gemm", tflops);
    c.primary_metric = "tflops";
    c.metrics = {{"tflops", MetricResult{"TFLOP/s", true, tflops}}};
    return c;
  };
  const std::vector<ResultsDoc> runs = {MachineRun("a", "aws", 8, {gemm("g/8192", 800), gemm("g/512", 200)}, "PASS"),
                                        MachineRun("b", "gcp", 8, {gemm("g/8192", 800)}, "PASS")};
  const PriceList prices = Prices({{"a", 50}, {"b", 50}});
  const ProcurementReport r = BuildProcurement(runs, &prices, nullptr, nullptr, Options());
  EXPECT_EQ(r.common_cases, (std::vector<std::string>{"g/8192"}));
  ASSERT_TRUE(r.Find("a")->tflops_per_usd_hour.has_value());
  EXPECT_DOUBLE_EQ(*r.Find("a")->tflops_per_usd_hour, 800.0 * 8 / 50);
  EXPECT_EQ(r.Find("b")->tflops_per_usd_hour, r.Find("a")->tflops_per_usd_hour);
}

TEST(ProcurementTest, IntervalsComeFromTheReplicatesOfEachCase) {
  // Rounds 1.0 and 1.2 s: replicates 200 x 1.1 / t; the CI is exp(+-1.96 s / sqrt(n)) for one case.
  const std::vector<ResultsDoc> runs = {MachineRun("m", "aws", 1, {RateCase("a", "gemm", 200, "cuda:0", {1.0, 1.2})})};
  const ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  const Figure s = *r.machines.front().score;
  const double sd = std::abs(std::log(1.2) - std::log(1.0)) / std::sqrt(2.0);  // stddev of two logs
  EXPECT_NEAR(s.value, 1.0, 1e-12);
  EXPECT_NEAR(std::log(s.high), 1.96 * sd / std::sqrt(2.0), 1e-9);
  EXPECT_NEAR(std::log(s.low), -1.96 * sd / std::sqrt(2.0), 1e-9);
}

TEST(ProcurementTest, MachinesWithinTheirOwnRunSpreadAreTied) {
  // "p5" ran twice (scores 1.0 and 0.9 against the best: 11% apart); "nd" is 5% below p5's mean.
  const std::vector<ResultsDoc> runs = {MachineRun("p5", "aws", 8, {RateCase("a", "gemm", 100)}, "PASS"),
                                        MachineRun("p5", "aws", 8, {RateCase("a", "gemm", 90)}, "PASS"),
                                        MachineRun("nd", "azure", 8, {RateCase("a", "gemm", 90.0)}, "PASS")};
  const ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  ASSERT_EQ(r.ranking.size(), 2u);
  EXPECT_EQ(r.ranking[0].machine, "p5");
  EXPECT_EQ(r.Find("p5")->runs, 2);
  EXPECT_NEAR(r.Find("p5")->run_spread, 100.0 / 90 - 1, 1e-12);
  EXPECT_EQ(r.ranking[1].rank, 1);  // tied: shares the first rank
  EXPECT_NE(r.ranking[1].tie.find("indistinguishable on this data"), std::string::npos);
  EXPECT_NE(r.ranking[1].tie.find("between p5's own runs"), std::string::npos);
  EXPECT_NE(r.recommendation.find("ties with it"), std::string::npos);
}

// One run each, one value per case: no spread is known on either side, so a lead below compare's
// default tolerance is no ranking; a larger one is.
TEST(ProcurementTest, ASmallLeadWithNoSpreadKnownIsATie) {
  std::vector<ResultsDoc> runs = {MachineRun("alpha", "aws", 8, {RateCase("a", "gemm", 100)}, "PASS"),
                                  MachineRun("beta", "azure", 8, {RateCase("a", "gemm", 102.5)}, "PASS")};
  ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  ASSERT_EQ(r.ranking.size(), 2u);
  ASSERT_TRUE(r.Find("beta")->score);
  EXPECT_EQ(r.Find("beta")->score->low, r.Find("beta")->score->high);  // the premise: no spread
  EXPECT_EQ(r.ranking[1].rank, 1) << r.ranking[1].tie;
  EXPECT_NE(r.ranking[1].tie.find("differ by 2.5%, less than 5.0% with no spread known on either"), std::string::npos)
      << r.ranking[1].tie;
  EXPECT_NE(r.recommendation.find("ties with it"), std::string::npos) << r.recommendation;
  runs[1] = MachineRun("beta", "azure", 8, {RateCase("a", "gemm", 110)}, "PASS");
  r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  EXPECT_EQ(r.ranking[1].rank, 2) << r.ranking[1].tie;
  EXPECT_NE(r.recommendation.find("It leads alpha by 10.0%"), std::string::npos) << r.recommendation;
}

TEST(ProcurementTest, RunSpreadSkipsRunsThatLackACase) {
  // Run 1 of "m" lacks case b; its spread is still run 0 vs run 1 on what each measured.
  const std::vector<ResultsDoc> runs = {
      MachineRun("m", "aws", 1, {RateCase("a", "gemm", 100), RateCase("b", "gemm", 100)}),
      MachineRun("m", "aws", 1, {RateCase("a", "gemm", 50)}),
      MachineRun("m", "aws", 1, {RateCase("a", "gemm", 100), RateCase("b", "gemm", 100)})};
  const ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  // Runs 0 and 2 score sqrt(100 / ref x 1) over a and b, run 1 scores 50 / ref over a alone
  // (ref: the geometric mean of a over the three runs); a run 1 read at run 2's index of b would not.
  const double ref = std::cbrt(100.0 * 50 * 100);
  EXPECT_NEAR(r.machines.front().run_spread, std::sqrt(100 / ref) / (50 / ref) - 1, 1e-12);
}

TEST(ProcurementTest, FailingMachinesAreSetApartWithReasonsAndDoNotShrinkTheCommonCases) {
  const std::vector<ResultsDoc> runs = {
      MachineRun("good", "aws", 8, {RateCase("a", "gemm", 100), RateCase("b", "gemm", 100)}, "WARN"),
      MachineRun("cheap", "oci", 8, {RateCase("a", "gemm", 100)}, "FAIL"),
      MachineRun("unpriced", "gcp", 8, {RateCase("a", "gemm", 100), RateCase("b", "gemm", 100)})};
  const PriceList prices = Prices({{"good", 50}, {"cheap", 1}});
  const ProcurementReport r = BuildProcurement(runs, &prices, nullptr, nullptr, Options());
  EXPECT_EQ(r.common_cases.size(), 2u);  // "cheap" lacks b but failed: it does not narrow the comparison
  ASSERT_EQ(r.ranking.size(), 1u);
  EXPECT_EQ(r.ranking[0].machine, "good");
  ASSERT_EQ(r.set_apart.size(), 2u);
  EXPECT_EQ(r.set_apart[0], "cheap: qualification FAIL: ecc_uncorrected: GPU 3: 2 errors");
  EXPECT_EQ(r.set_apart[1], "unpriced: no price: instance type unpriced is not in prices.json");
  ASSERT_TRUE(r.Find("cheap")->score.has_value());  // still scored, over the case it has
  EXPECT_NEAR(r.Find("cheap")->score->value, 1.0, 1e-12);
  EXPECT_NE(r.recommendation.find("Buy good"), std::string::npos);
  EXPECT_NE(r.recommendation.find("qualifies WARN"), std::string::npos);
  EXPECT_NE(r.recommendation.find("Set apart: cheap"), std::string::npos);
}

// A run that was interrupted or cut off is set apart as qualify would (INCOMPLETE), even when no
// qualify verdict is in its file; a machine without a price says why it has none.
TEST(ProcurementTest, UnfinishedRunsAreSetApartAndMissingPricesSayWhy) {
  std::vector<ResultsDoc> runs = {
      MachineRun("whole", "aws", 8, {RateCase("a", "gemm", 100), RateCase("b", "gemm", 100)}),
      MachineRun("stopped", "aws", 8, {RateCase("a", "gemm", 200)}),
      MachineRun("killed", "gcp", 8, {RateCase("a", "gemm", 300)})};
  runs[1].run.id = "r-stopped";
  runs[1].run.interrupted = true;
  runs[2].run.id = "r-killed";
  runs[2].run.complete = false;
  const ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options(Objective::kPerformance));
  EXPECT_EQ(r.common_cases.size(), 2u);  // the unfinished runs do not narrow the comparison
  ASSERT_EQ(r.ranking.size(), 1u);
  EXPECT_EQ(r.ranking[0].machine, "whole");
  ASSERT_EQ(r.set_apart.size(), 2u);
  EXPECT_EQ(r.set_apart[0], "stopped: qualification INCOMPLETE: run r-stopped: interrupted, only its finished cases were kept");
  EXPECT_EQ(r.set_apart[1], "killed: qualification INCOMPLETE: run r-killed: cut off (complete: false), the process ended mid-run");
  const ProcurementReport per_dollar = BuildProcurement(runs, nullptr, nullptr, nullptr, Options());
  EXPECT_EQ(per_dollar.Find("whole")->no_price, "no price: give --prices FILE");
  ResultsDoc unnamed = MachineRun("", "", 8, {RateCase("a", "gemm", 100)});
  unnamed.system.host.hostname = "box";
  const PriceList prices = Prices({{"p5.48xlarge", 98}});
  const ProcurementReport u = BuildProcurement({unnamed}, &prices, nullptr, nullptr, Options());
  EXPECT_EQ(u.Find("box")->no_price.rfind("no price: its runs name no instance type to look up in prices.json", 0), 0u)
      << u.Find("box")->no_price;
}

TEST(ProcurementTest, NoMachineRankableSaysWhy) {
  const std::vector<ResultsDoc> runs = {MachineRun("bad", "aws", 8, {RateCase("a", "gemm", 100)}, "FAIL"),
                                        MachineRun("worse", "gcp", 8, {RateCase("a", "gemm", 90)}, "FAIL")};
  const ProcurementReport r = BuildProcurement(runs, nullptr, nullptr, nullptr, Options());
  EXPECT_TRUE(r.ranking.empty());
  EXPECT_EQ(r.recommendation.rfind("No machine can be recommended: bad: qualification FAIL", 0), 0u) << r.recommendation;
}

// One machine without a baseline could only be scored against itself: nothing is ranked, and the
// recommendation says why, with its verdict; with a baseline it is ranked.
TEST(ProcurementTest, OneMachineWithoutABaselineIsNotRanked) {
  const std::vector<ResultsDoc> pass = {MachineRun("solo", "aws", 8, {RateCase("a", "gemm", 100)}, "PASS")};
  const PriceList prices = Prices({{"solo", 10}});
  const ProcurementReport r = BuildProcurement(pass, &prices, nullptr, nullptr, Options(Objective::kPerformance));
  EXPECT_TRUE(r.ranking.empty());
  ASSERT_EQ(r.set_apart.size(), 1u);
  EXPECT_EQ(r.set_apart[0], "solo: the only machine, and no baseline to score it against");
  EXPECT_EQ(r.recommendation, "Nothing is ranked: solo is the only machine and no baseline was given (--baseline), so "
                              "there is nothing to rank it against. It qualifies PASS.");
  const std::vector<ResultsDoc> bad = {MachineRun("bad", "aws", 8, {RateCase("a", "gemm", 100)}, "FAIL")};
  EXPECT_NE(BuildProcurement(bad, nullptr, nullptr, nullptr, Options()).recommendation.find(
                "Its verdict is FAIL: ecc_uncorrected: GPU 3: 2 errors."),
            std::string::npos);
  Baseline b;
  b.name = "ref";
  b.cases = {{"a", "gemm", {}, "rate", {{"rate", MetricResult{"x/s", true, 100}}}, {}, {}, 1}};
  const ProcurementReport scored = BuildProcurement(pass, &prices, &b, nullptr, Options(Objective::kPerformance));
  ASSERT_EQ(scored.ranking.size(), 1u);
  EXPECT_EQ(scored.recommendation.rfind("Buy solo", 0), 0u) << scored.recommendation;
}

TEST(ProcurementTest, TokenCostIsWholeInstancePriceOverWholeInstanceThroughputOfTheNamedCaseOnly) {
  // "all" ran the scenario on all 8 GPUs; "one" on 1 of 8 (scaled, and the note says so); "other"
  // ran batch 128 only: no figure, never the other batch's.
  std::vector<CaseResult> all;
  for (int g = 0; g < 8; ++g) all.push_back(ScenarioCase(1000, "cuda:" + std::to_string(g)));
  const std::vector<ResultsDoc> runs = {MachineRun("all", "aws", 8, all), MachineRun("one", "aws", 8, {ScenarioCase(1000, "cuda:0")}),
                                        MachineRun("other", "aws", 8, {ScenarioCase(1000, "cuda:0", 128)})};
  const PriceList prices = Prices({{"all", 36}, {"one", 36}, {"other", 36}});
  const ProcurementReport r = BuildProcurement(runs, &prices, nullptr, nullptr, Options());
  const double expected = 36 / (8000.0 * 3600) * 1e6;  // $/h / (tok/s x 3600) x 1e6 = $1.25
  EXPECT_NEAR(*r.Find("all")->usd_per_mtok, expected, 1e-12);
  EXPECT_NEAR(*r.Find("one")->usd_per_mtok, expected, 1e-12);
  EXPECT_NE(r.Find("one")->usd_per_mtok_note.find("measured on 1 of 8 replicas, scaled to all"), std::string::npos);
  EXPECT_EQ(r.Find("all")->usd_per_mtok_note.find("scaled"), std::string::npos);
  EXPECT_FALSE(r.Find("other")->usd_per_mtok.has_value());
  EXPECT_EQ(r.Find("other")->usd_per_mtok_note,
            "no Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1 case in its runs");
}

// An MPI job of 16 ranks on 2 nodes: 16 GPUs at twice the instance's price, and its case's figure
// (one rank's) counts once per rank.
TEST(ProcurementTest, AnMpiJobIsItsRanksGpusAtItsNodesPrice) {
  ResultsDoc mpi = MachineRun("p5", "aws", 8, {ScenarioCase(1000, "16xcuda")});
  mpi.system.world = WorldInfo{16, 2, "mpi", {"h100-sxm-80gb"}};
  const PriceList prices = Prices({{"p5", 36}});
  const ProcurementReport r = BuildProcurement({mpi}, &prices, nullptr, nullptr, Options());
  const MachineFigures& m = *r.Find("p5");
  EXPECT_EQ(m.gpus, 16);
  EXPECT_DOUBLE_EQ(*m.usd_per_hour, 72);
  EXPECT_NEAR(*m.usd_per_mtok, 72 / (16000.0 * 3600) * 1e6, 1e-12);
  EXPECT_EQ(m.usd_per_mtok_note.find("scaled"), std::string::npos) << m.usd_per_mtok_note;
}

// A prefill scenario's tokens are prompt tokens: $/Mtok over prefill_tok_s, not over its one
// output token per sequence.
TEST(ProcurementTest, APrefillScenarioIsPricedPerMillionPromptTokens) {
  CaseResult c = ScenarioCase(4, "cuda:0", 4);
  c.params[1].second = "prefill";
  c.params[3].second = "2048";
  c.metrics = {{"output_tok_s", MetricResult{"tok/s", true, 4}}, {"prefill_tok_s", MetricResult{"tok/s", true, 8192}}};
  const PriceList prices = Prices({{"solo", 36}});
  ProcurementOptions o = Options(Objective::kPerformance);
  o.scenario = ParseProcurementScenario("scenario=prefill,batch=4,input_len=2048");
  const ProcurementReport r = BuildProcurement({MachineRun("solo", "aws", 1, {c})}, &prices, nullptr, nullptr, o);
  ASSERT_TRUE(r.Find("solo")->usd_per_mtok.has_value()) << r.Find("solo")->usd_per_mtok_note;
  EXPECT_NEAR(*r.Find("solo")->usd_per_mtok, 36 / (8192.0 * 3600) * 1e6, 1e-12);
  EXPECT_NE(r.Find("solo")->usd_per_mtok_note.find("8192 prompt tok/s for the instance"), std::string::npos)
      << r.Find("solo")->usd_per_mtok_note;
  EXPECT_NE(r.recommendation.find("per million prompt tokens"), std::string::npos) << r.recommendation;
}

TEST(ProcurementTest, BaselineIsTheReferenceWhenGiven) {
  Baseline b;
  b.name = "h100-ref";
  BaselineCase bc;
  bc.id = "a";
  bc.primary_metric = "rate";
  bc.metrics = {{"rate", MetricResult{"x/s", true, 400}}};
  b.cases.push_back(bc);
  const std::vector<ResultsDoc> runs = {MachineRun("m", "aws", 1, {RateCase("a", "gemm", 100), RateCase("z", "gemm", 1)})};
  const ProcurementReport r = BuildProcurement(runs, nullptr, &b, nullptr, Options(Objective::kPerformance));
  EXPECT_EQ(r.reference, "baseline h100-ref");
  EXPECT_EQ(r.common_cases, (std::vector<std::string>{"a"}));  // z is not in the baseline
  EXPECT_NEAR(r.machines.front().score->value, 0.25, 1e-12);
  // Machines that share cases, none of them the baseline's: the reason names the baseline.
  const std::vector<ResultsDoc> other = {MachineRun("p", "aws", 1, {RateCase("z", "gemm", 1)}),
                                         MachineRun("q", "gcp", 1, {RateCase("z", "gemm", 2)})};
  const ProcurementReport none = BuildProcurement(other, nullptr, &b, nullptr, Options(Objective::kPerformance));
  ASSERT_EQ(none.set_apart.size(), 2u);
  EXPECT_EQ(none.set_apart[0], "p: no case in common with the other machines and baseline h100-ref");
}

TEST(ProcurementFormatTest, JsonCarriesEveryFigureAndTheTextTableNamesTheScenario) {
  const std::vector<ResultsDoc> runs = {MachineRun("fast", "aws", 8, {RateCase("a", "gemm", 200)}, "PASS"),
                                        MachineRun("bad", "oci", 8, {RateCase("a", "gemm", 100)}, "FAIL")};
  const PriceList prices = Prices({{"fast", 100}});
  const ProcurementReport r = BuildProcurement(runs, &prices, nullptr, nullptr, Options());
  const json j = ProcurementJson(r);
  EXPECT_EQ(j["schema"], "gpuqual.procurement/1");
  EXPECT_EQ(j["objective"], "perf-per-dollar");
  EXPECT_EQ(j["scenario"]["batch"], 64);
  EXPECT_EQ(j["ranking"][0]["machine"], "fast");
  EXPECT_EQ(j["machines"][0]["usd_per_hour"], 100.0);
  EXPECT_TRUE(j["machines"][1]["usd_per_hour"].is_null());
  EXPECT_EQ(j["machines"][1]["verdict"], "FAIL");
  EXPECT_EQ(j["set_apart"].size(), 1u);
  EXPECT_EQ(j["recommendation"], r.recommendation);
  std::ostringstream text;
  PrintProcurement(text, r);
  EXPECT_NE(text.str().find("$/Mtok: Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1"), std::string::npos);
  EXPECT_NE(text.str().find("-> set apart: qualification FAIL"), std::string::npos);
  // Each "-" of a cost column has its reason under the table, naming the machines it applies to.
  EXPECT_NE(text.str().find("$/h -: no price: instance type"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find(" (bad)\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("$/Mtok -: no Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1 case in its runs "
                            "(every machine)"),
            std::string::npos)
      << text.str();
}

}  // namespace
}  // namespace gq
