#include "harness/record/results_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/errors.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

ResultsDoc SampleDoc() {
  ResultsDoc d;
  d.run = {"20261122T170000Z-h-abc123", "2026-11-22T17:00:00Z", "2026-11-22T17:01:00Z", "0.1.0", "abc",
           "gpuqual run gemm", "ci", {{"ci_job", "42"}}, false};
  d.system.host = {"h", "Debian GNU/Linux 12", "6.1.0", "AMD EPYC", 2, 24ull << 30};
  d.system.cloud = {"aws", "p5.48xlarge", "", "/sys/class/dmi/id"};
  GpuInfo g;
  g.index = 0;
  g.name = "NVIDIA H100 80GB HBM3";
  g.sku = "h100-sxm-80gb";
  g.memory_bytes = 85031714816ull;
  g.clocks_max = {{"sm_mhz", 1980}};
  g.pcie = {5, 16, 5, 16};
  d.system.devices.push_back(g);
  CaseResult c;
  c.id = "gemm/dtype=bf16/m=8192/causal=true";
  c.workload = "gemm";
  c.params = {{"dtype", "bf16"}, {"m", "8192"}, {"causal", "true"}};
  c.device = "cuda:0";
  c.status = CaseStatus::kNoisy;
  c.reason = "noisy";
  c.primary_metric = "tflops";
  c.metrics.emplace_back("tflops", MetricResult{"TFLOP/s", true, 780, 779, 2, 0.003, 776, 782, 770, 785, 778, 781, 12});
  c.metrics.emplace_back("time_ms", MetricResult{"ms", false, 1.4, 1.4, 0.01, 0.007, 1.39, 1.41, 1.38, 1.43, 1.39, 1.41, 12});
  c.samples_s = {0.0014, 0.00141};
  c.iterations_per_sample = 3;
  c.work = {1.1e12, 4e8, 0, 0, "bf16"};
  c.roofline = Roofline{"compute", 989.4, 0.79, "datasheet"};
  c.verification = VerificationResult{true, 3e-3, 1e-2, "256 samples"};
  c.details = {{"algo", "autotune best of 8"}};
  TelemetrySummary t;
  t.available = true;
  t.samples = 30;
  t.period_s = 0.05;
  t.sm_mhz_min = 1755;
  t.energy_j = 812.5;
  t.throttle_reasons = {"sw_power_cap"};
  t.series = {{0.0, 1980, 2619, 690.5, 61}, {0.05, 1755, 2619, 699.0, 63}};
  GpuTelemetry one;  // a group's per-GPU figures
  one.index = 1;
  one.samples = 2;
  one.energy_j = 400.25;
  one.throttle_reasons = {"hw_thermal"};
  one.series = {{0.0, 1900, 2619, 345.0, 70}};
  t.gpus = {one};
  c.telemetry = t;
  d.cases.push_back(c);
  DeviceHealth h;
  h.available = true;
  h.driver_version = "580.159.04";
  h.ecc_volatile_uncorrected = 0;
  h.remapped_rows_pending = 0;
  h.pcie = {5, 16, 5, 16};
  h.power_limit_w = 700;
  d.health.before = HealthSnapshot{"2026-11-22T17:00:00Z", {h}};
  CaseResult skipped;
  skipped.id = "gemm/dtype=fp8_e4m3";
  skipped.workload = "gemm";
  skipped.params = {{"dtype", "fp8_e4m3"}};
  skipped.device = "cuda:0";
  skipped.status = CaseStatus::kSkipped;
  skipped.reason = "fp8 needs compute capability 8.9";
  d.cases.push_back(skipped);
  return d;
}

TEST(ResultsJsonTest, RoundTripKeepsEveryField) {
  ResultsDoc d = SampleDoc();
  auto j = ResultsToJson(d);
  EXPECT_EQ(j["schema"], "gpuqual.results/1");
  EXPECT_EQ(j["cases"][0]["params"]["m"], 8192);  // ints are JSON numbers
  EXPECT_EQ(j["cases"][0]["params"]["causal"], true);
  EXPECT_TRUE(j["cases"][1]["roofline"].is_null());
  ResultsDoc back = ResultsFromJson(nlohmann::ordered_json::parse(j.dump()), "mem");
  EXPECT_EQ(ResultsToJson(back).dump(), j.dump());
  EXPECT_EQ(back.cases[0].params, d.cases[0].params);
  EXPECT_EQ(back.cases[0].status, CaseStatus::kNoisy);
  EXPECT_EQ(back.system.devices[0].memory_bytes, 85031714816ull);
  EXPECT_EQ(back.run.labels.at("ci_job"), "42");
  ASSERT_TRUE(back.cases[0].telemetry.has_value());
  EXPECT_EQ(back.cases[0].telemetry->series.size(), 2u);
  EXPECT_EQ(back.cases[0].telemetry->throttle_reasons, std::vector<std::string>{"sw_power_cap"});
  ASSERT_EQ(back.cases[0].telemetry->gpus.size(), 1u);
  EXPECT_EQ(back.cases[0].telemetry->gpus[0].index, 1);
  EXPECT_DOUBLE_EQ(back.cases[0].telemetry->gpus[0].energy_j, 400.25);
  EXPECT_EQ(back.cases[0].telemetry->gpus[0].throttle_reasons, std::vector<std::string>{"hw_thermal"});
  EXPECT_EQ(back.cases[0].telemetry->gpus[0].series.size(), 1u);
  ASSERT_TRUE(back.health.before.has_value());
  EXPECT_FALSE(back.health.after.has_value());
  EXPECT_EQ(back.health.before->devices[0].driver_version, "580.159.04");
  EXPECT_EQ(back.health.before->devices[0].ecc_aggregate_uncorrected, -1);
}

// world.skus is written only when gathered (a multi-rank run) and read back as written.
TEST(ResultsJsonTest, WorldSkusRoundTripAndAreLeftOutWhenNone) {
  ResultsDoc d = SampleDoc();
  EXPECT_FALSE(ResultsToJson(d)["system"]["world"].contains("skus"));
  d.system.world = WorldInfo{16, 2, "mpi", {"h100-sxm-80gb"}};
  auto j = ResultsToJson(d);
  EXPECT_EQ(j["system"]["world"]["skus"], nlohmann::ordered_json::array({"h100-sxm-80gb"}));
  ResultsDoc back = ResultsFromJson(nlohmann::ordered_json::parse(j.dump()), "mem");
  EXPECT_EQ(back.system.world.skus, std::vector<std::string>{"h100-sxm-80gb"});
  j["system"]["world"]["skus"] = "h100-sxm-80gb";
  EXPECT_THROW(ResultsFromJson(j, "mem"), UsageError);
}

TEST(ResultsJsonTest, FileWriteIsAtomicAndReadable) {
  fs::path dir = fs::temp_directory_path() / ("gq_results_" + std::to_string(::getpid()));
  std::string path = (dir / "sub" / "r.json").string();
  WriteResultsFile(path, SampleDoc());
  for (const auto& e : fs::directory_iterator(dir / "sub")) {
    EXPECT_EQ(e.path().filename(), "r.json");  // no temp file left behind
  }
  EXPECT_EQ(ReadResultsFile(path).cases.size(), 2u);
  fs::remove_all(dir);
}

std::string ErrorOf(const nlohmann::ordered_json& j) {
  try {
    ResultsFromJson(j, "r.json");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsJsonTest, ReaderErrorsNameTheFileAndThePath) {
  nlohmann::ordered_json good = nlohmann::ordered_json::parse(ResultsToJson(SampleDoc()).dump());

  auto j = good;
  j["schema"] = "gpuqual.results/2";
  EXPECT_EQ(ErrorOf(j), "r.json: schema: version 'gpuqual.results/2' is not supported by this gpuqual (reads gpuqual.results/1)");
  j["schema"] = "something.else/1";
  EXPECT_NE(ErrorOf(j).find("is not a gpuqual results schema"), std::string::npos);

  j = good;
  j.erase("schema");
  EXPECT_EQ(ErrorOf(j), "r.json: schema: missing");

  j = good;
  j["cases"][0]["metrics"]["tflops"].erase("median");
  EXPECT_EQ(ErrorOf(j), "r.json: cases[0].metrics.tflops.median: missing");

  j = good;
  j["cases"][1]["status"] = "great";
  EXPECT_EQ(ErrorOf(j), "r.json: cases[1].status: unknown status 'great'");

  j = good;
  j["cases"][0]["samples_s"] = "fast";
  EXPECT_EQ(ErrorOf(j), "r.json: cases[0].samples_s: must be an array");

  j = good;
  j["cases"][0]["primary_metric"] = "busbw";
  EXPECT_NE(ErrorOf(j).find("primary_metric: names 'busbw'"), std::string::npos);

  j = good;
  j["system"]["devices"][0].erase("uuid");
  EXPECT_EQ(ErrorOf(j), "r.json: system.devices[0].uuid: missing");

  EXPECT_EQ(ErrorOf(nlohmann::ordered_json::array()), "r.json: document: is not a JSON object");
}

// An e2e-like case: token work with phases and per-sample phase times.
CaseResult TokenCase() {
  CaseResult c;
  c.id = "e2e/batch=8";
  c.workload = "e2e";
  c.params = {{"batch", "8"}};
  c.device = "cuda:0-1";
  c.status = CaseStatus::kOk;
  c.primary_metric = "output_tok_s";
  c.metrics.emplace_back("output_tok_s", MetricResult{"tok/s", true, 2048, 2048, 1, 0, 2047, 2049,
                                                      2040, 2050, 2046, 2050, 2});
  c.samples_s = {0.5, 0.51};
  c.iterations_per_sample = 1;
  c.work.tokens = 1024;
  c.work.prefill_tokens = 16384;
  c.work.gpus = 2;
  c.work.compute_dtype = "bf16";
  c.work.phases = {{"prefill", 3.3e13, 2.8e10, 1}, {"decode_step", 2.6e11, 1.4e10, 127}};
  c.phase_samples_s = {{"ttft", {0.03, 0.031}}, {"tpot", {0.0036, 0.0037}}};
  return c;
}

TEST(ResultsJsonTest, PhaseSamplesAndTokenWorkRoundTrip) {
  ResultsDoc d = SampleDoc();
  d.cases.push_back(TokenCase());
  auto j = ResultsToJson(d);
  EXPECT_FALSE(j["cases"][0].contains("phase_samples_s"));  // written only when there are some
  const auto& tok = j["cases"][2];
  EXPECT_EQ(tok["phase_samples_s"]["ttft"], nlohmann::ordered_json::parse("[0.03, 0.031]"));
  EXPECT_EQ(tok["work"]["prefill_tokens"], 16384.0);
  EXPECT_EQ(tok["work"]["gpus"], 2.0);
  EXPECT_EQ(tok["work"]["phases"][1]["name"], "decode_step");
  EXPECT_EQ(tok["work"]["phases"][1]["repeats"], 127.0);

  ResultsDoc back = ResultsFromJson(nlohmann::ordered_json::parse(j.dump()), "mem");
  EXPECT_EQ(ResultsToJson(back).dump(), j.dump());
  const CaseResult& c = back.cases[2];
  EXPECT_EQ(c.phase_samples_s, d.cases[2].phase_samples_s);
  EXPECT_DOUBLE_EQ(c.work.prefill_tokens, 16384);
  EXPECT_DOUBLE_EQ(c.work.gpus, 2);
  ASSERT_EQ(c.work.phases.size(), 2u);
  EXPECT_EQ(c.work.phases[0].name, "prefill");
  EXPECT_DOUBLE_EQ(c.work.phases[0].flops, 3.3e13);
  EXPECT_DOUBLE_EQ(c.work.phases[1].bytes, 1.4e10);
  EXPECT_DOUBLE_EQ(c.work.phases[1].repeats, 127);
  EXPECT_TRUE(back.cases[0].phase_samples_s.empty());
}

TEST(ResultsJsonTest, FilesWithoutPhasesOrTokenWorkStillRead) {
  ResultsDoc d = SampleDoc();
  d.cases.push_back(TokenCase());
  auto j = nlohmann::ordered_json::parse(ResultsToJson(d).dump());
  for (auto& c : j["cases"]) {  // as written before these keys existed
    c.erase("phase_samples_s");
    const auto old = c["work"];
    c["work"] = {{"flops", old["flops"]}, {"bytes", old["bytes"]}, {"tokens", old["tokens"]}};
  }
  ResultsDoc back = ResultsFromJson(j, "old.json");
  const CaseResult& c = back.cases[2];
  EXPECT_TRUE(c.phase_samples_s.empty());
  EXPECT_DOUBLE_EQ(c.work.tokens, 1024);
  EXPECT_EQ(c.work.prefill_tokens, 0);
  EXPECT_EQ(c.work.gpus, 0);
  EXPECT_TRUE(c.work.phases.empty());
}

TEST(ResultsJsonTest, BadPhaseSamplesOrPhasesNameTheKey) {
  ResultsDoc d = SampleDoc();
  d.cases.push_back(TokenCase());
  const auto good = nlohmann::ordered_json::parse(ResultsToJson(d).dump());
  auto j = good;
  j["cases"][2]["phase_samples_s"] = "fast";
  EXPECT_EQ(ErrorOf(j), "r.json: cases[2].phase_samples_s: must be an object");
  j = good;
  j["cases"][2]["phase_samples_s"]["ttft"] = 0.03;
  EXPECT_EQ(ErrorOf(j), "r.json: cases[2].phase_samples_s.ttft: must be an array");
  j = good;
  j["cases"][2]["phase_samples_s"]["tpot"][1] = "slow";
  EXPECT_EQ(ErrorOf(j), "r.json: cases[2].phase_samples_s.tpot: must hold finite numbers");
  j = good;
  j["cases"][2]["work"]["gpus"] = "two";
  EXPECT_EQ(ErrorOf(j), "r.json: cases[2].work.gpus: must be a number");
  j = good;
  j["cases"][2]["work"]["phases"] = {{"name", "prefill"}};
  EXPECT_EQ(ErrorOf(j), "r.json: cases[2].work.phases: must be an array");
  j = good;
  j["cases"][2]["work"]["phases"][0].erase("flops");
  EXPECT_EQ(ErrorOf(j), "r.json: cases[2].work.phases[0].flops: missing");
}

TEST(ResultsJsonTest, MalformedAndMissingFilesAreUsageErrors) {
  fs::path p = fs::temp_directory_path() / ("gq_bad_" + std::to_string(::getpid()) + ".json");
  std::ofstream(p) << "{\"schema\": \"gpuqual.results/1\", ";
  try {
    ReadResultsFile(p.string());
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(p.string() + ": malformed JSON", 0), 0u) << e.what();
  }
  fs::remove(p);
  EXPECT_THROW(ReadResultsFile("/nonexistent/r.json"), UsageError);
}

}  // namespace
}  // namespace gq
