// End-to-end tests of the gpuqual binary on the cpu backend: exit codes, one-line errors, the
// results file a run writes, and an interrupted run keeping its finished cases.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "harness/record/results_json.h"

#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using testing::Gpuqual;
using testing::Outcome;

fs::path TempDir() { return testing::TestTempDir("gq_cli_"); }

void ExpectUsageError(const std::string& args, const std::string& message) {
  Outcome o = Gpuqual(args);
  EXPECT_EQ(o.code, 2) << args << "\n" << o.output;
  EXPECT_NE(o.output.find(message), std::string::npos) << args << "\n" << o.output;
  EXPECT_EQ(o.output.find("terminate called"), std::string::npos) << o.output;
}

TEST(CliTest, BadInputExitsTwoWithOneLine) {
  ExpectUsageError("run nosuch", "gpuqual: error: unknown workload 'nosuch' (known: gemm");
  ExpectUsageError("run gemm -a bogus=1", "'gemm' has no axis 'bogus'");
  ExpectUsageError("run gemm -a dtype=int4 --device cpu", "axis 'gemm.dtype': 'int4' is not one of");
  ExpectUsageError("run gemm -a m=abc --device cpu", "'abc' is not an integer");
  ExpectUsageError("run gemm -a m --device cpu", "is not AXIS=V1[,V2...]");
  ExpectUsageError("run --suite nosuch --device cpu", "unknown suite 'nosuch' (known:");
  ExpectUsageError("run gemm --device cuda:7", "--device 'cuda:7'");
  ExpectUsageError("run gemm --device tpu", "is not one of auto, cpu, cuda, cuda:N");
  ExpectUsageError("run gemm --device cuda:-1", "--device 'cuda:-1': a GPU index is 0 or more");
  // Below 1e-6 the t quantiles leave double precision: refused, not an internal error (exit 3).
  ExpectUsageError("compare /nonexistent.json --baseline /nonexistent.json --alpha 1e-20",
                   "--alpha: must be a number in [1e-06, 0.5] (got 1e-20)");
  ExpectUsageError("run gemm --device cpu --max-time 0.1 --min-time 1", "--max-time 0.1 s is below --min-time 1 s");
  ExpectUsageError("run gemm --device cpu --max-time nan", "--max-time: must be a number in (0, 86400] (got nan)");
  ExpectUsageError("run gemm --device cpu --min-time inf", "--min-time: must be a number in [0, 86400] (got inf)");
  ExpectUsageError("run gemm --device cpu --warmup nan", "--warmup: must be a number in [0, 86400] (got nan)");
  ExpectUsageError("run gemm --device cpu --max-noise nan", "--max-noise (percent): must be a number in (0, 100] (got nan)");
  ExpectUsageError("run gemm --device cpu --telemetry-period 0.5",
                   "--telemetry-period: must be 0 (off) or a number of ms in [1, 60000] (got 0.5)");
  // A value given twice would silently replace the first.
  ExpectUsageError("run gemm --device cpu --max-time 1 --max-time 2", "--max-time: given 2 times, takes one value");
  ExpectUsageError("run gemm --device cpu --label machine=A --label machine=B",
                   "--label 'machine=B': machine is given twice (also machine=A)");
  ExpectUsageError("run gemm --device cpu -a dtype=fp32 -a dtype=fp64", "-a 'dtype=fp64': axis dtype is given twice");
  ExpectUsageError("rank /nonexistent.json --scenario model=llama-3-9b",
                   "--scenario model: unknown model 'llama-3-9b' (known: llama-3-8b");
  ExpectUsageError("run gemm --device cpu -a m=1,2,3 --max-cases 2", "the plan has more than 2 cases");
  ExpectUsageError("run gemm --device cpu --label nolabel", "--label 'nolabel' is not KEY=VALUE");
  ExpectUsageError("run", "nothing to run");
  ExpectUsageError("run gemm --frobnicate", "gpuqual: error:");
  ExpectUsageError("", "gpuqual: error:");
  ExpectUsageError("run gemm --device cpu -o /proc/gpuqual-nope/r.json",
                   "gpuqual: error: cannot write /proc/gpuqual-nope/r.json: cannot create /proc/gpuqual-nope");
  ExpectUsageError("run gemm --device cpu -o /tmp", "gpuqual: error: cannot write /tmp: is a directory");
  ExpectUsageError("run gemm --device cpu -o ''", "--output: is an empty file name");
  ExpectUsageError("run gemm --device cpu -o - --db /tmp/gq-never.db", "--db needs the results in a file");
  ExpectUsageError("run gemm --device cpu -o /dev/stdout --db /tmp/gq-never.db", "--db needs the results in a file");
}

TEST(CliTest, SuiteWithNoCasesForTheDeviceIsUsageError) {
  fs::path dir = TempDir();
  std::ofstream(dir / "gpu_only.json")
      << R"({"schema": "gpuqual.suite/1", "name": "gpu_only", "entries": [{"workload": "gemm", "device": "cuda"}]})";
  ExpectUsageError("run --device cpu --suite " + (dir / "gpu_only.json").string(),
                   "no cases to run on cpu in suite 'gpu_only'");
  std::ofstream(dir / "bad.json") << "{";
  ExpectUsageError("run --device cpu --suite " + (dir / "bad.json").string(), "bad.json: malformed JSON");
  // A bad axis value in a suite names the file and the entry; a 64-bit value is not wrapped.
  std::ofstream(dir / "neg.json")
      << R"({"schema": "gpuqual.suite/1", "name": "neg", "entries": [{"workload": "gemm", "axes": {"m": [-64]}}]})";
  ExpectUsageError("run --device cpu --suite " + (dir / "neg.json").string(),
                   (dir / "neg.json").string() + ": entries[0]: gemm: m must be >= 1 (got -64)");
  std::ofstream(dir / "huge.json")
      << R"({"schema": "gpuqual.suite/1", "name": "huge", "entries": [{"workload": "gemm", "axes": {"m": [18446744073709551615]}}]})";
  ExpectUsageError("run --device cpu --suite " + (dir / "huge.json").string(), "18446744073709551615 is out of range");
  fs::remove_all(dir);
}

// --run-id names the run and its default results file; an id in use there, or one that cannot
// name a file, is refused before anything runs.
TEST(CliTest, RunIdNamesTheRunAndItsDefaultFile) {
  fs::path dir = TempDir();
  const std::string quick = "run gemm --device cpu -a m=64 -a n=64 -a k=64 -a dtype=fp32 --max-time 0.2 "
                            "--min-time 0.05 --warmup 0.01 -q";
  Outcome o = testing::GpuqualIn(dir, quick + " --run-id nightly-42.a_b");
  ASSERT_EQ(o.code, 0) << o.output;
  EXPECT_EQ(ReadResultsFile((dir / "results" / "nightly-42.a_b.json").string()).run.id, "nightly-42.a_b");
  Outcome again = testing::GpuqualIn(dir, quick + " --run-id nightly-42.a_b");
  EXPECT_EQ(again.code, 2) << again.output;
  EXPECT_NE(again.output.find("--run-id 'nightly-42.a_b': results/nightly-42.a_b.json exists"), std::string::npos)
      << again.output;
  // With -o the id goes into the file named there.
  Outcome named = testing::GpuqualIn(dir, quick + " --run-id nightly-42.a_b -o other.json");
  ASSERT_EQ(named.code, 0) << named.output;
  EXPECT_EQ(ReadResultsFile((dir / "other.json").string()).run.id, "nightly-42.a_b");
  ExpectUsageError("run gemm --device cpu --run-id 'a b'", "--run-id: 'a b': a run id is made of A-Z a-z 0-9 . _ - only");
  ExpectUsageError("run gemm --device cpu --run-id ../x", "a run id does not start with . or -");
  ExpectUsageError("run gemm --device cpu --run-id ''", "a run id is 1 to 128 characters");
  fs::remove_all(dir);
}

// A run that measured nothing does not pass a gate: every case skipped is exit 1, the file still
// records each skip with its reason. One measured case beside the skip is exit 0.
TEST(CliTest, ARunWhoseEveryCaseSkippedExitsOne) {
  fs::path dir = TempDir();
  const std::string file = (dir / "skipped.json").string();
  Outcome o = Gpuqual("run attention -a backend=cudnn --device cpu -o " + file);
  EXPECT_EQ(o.code, 1) << o.output;
  EXPECT_NE(o.output.find("gpuqual: nothing was measured: all 1 case(s) were skipped"), std::string::npos) << o.output;
  const ResultsDoc doc = ReadResultsFile(file);
  ASSERT_EQ(doc.cases.size(), 1u);
  EXPECT_EQ(doc.cases[0].status, CaseStatus::kSkipped);
  EXPECT_NE(doc.cases[0].reason.find("needs a CUDA device"), std::string::npos) << doc.cases[0].reason;

  Outcome mixed = Gpuqual("run attention -a backend=cudnn,cpu -a seq_q=64 --device cpu --max-time 0.2 --min-time 0.05 "
                          "--warmup 0.01 -o " + (dir / "mixed.json").string());
  EXPECT_EQ(mixed.code, 0) << mixed.output;
  EXPECT_EQ(mixed.output.find("nothing was measured"), std::string::npos) << mixed.output;
  fs::remove_all(dir);
}

TEST(CliTest, ListAndInfo) {
  Outcome list = Gpuqual("list");
  EXPECT_EQ(list.code, 0) << list.output;
  EXPECT_NE(list.output.find("gemm:"), std::string::npos);
  EXPECT_NE(list.output.find("-a dtype=bf16"), std::string::npos);
  EXPECT_NE(list.output.find("  ci:"), std::string::npos) << list.output;
  Outcome info = Gpuqual("info --json");
  EXPECT_EQ(info.code, 0) << info.output;
  auto j = nlohmann::json::parse(info.output);
  EXPECT_FALSE(j["host"]["hostname"].get<std::string>().empty());
  EXPECT_GT(j["host"]["cores"].get<int>(), 0);
  EXPECT_EQ(Gpuqual("--version").code, 0);
}

// A stream target gets the results once, at the end, not a document per case; a device that
// cannot take it (/dev/full) is one error line.
TEST(CliTest, AStreamTargetGetsOneDocument) {
  const std::string quick = "run gemm --device cpu -a dtype=fp32 -a m=32,48 -a n=32 -a k=32 --min-samples 3 "
                            "--min-time 0.01 --max-time 0.2 --warmup 0.01 -q ";
  Outcome o = Gpuqual(quick + "-o -");
  EXPECT_EQ(o.code, 0) << o.output;
  std::size_t documents = 0;
  for (std::size_t at = o.output.find("\"gpuqual.results/1\""); at != std::string::npos;
       at = o.output.find("\"gpuqual.results/1\"", at + 1)) {
    ++documents;
  }
  EXPECT_EQ(documents, 1u) << o.output;
  // Standard output is that document alone: the banner and the table go to standard error.
  Outcome json_only = testing::Shell("(" + std::string(GQ_BINARY) + " " + quick + "-o - 2>/dev/null)");
  EXPECT_EQ(json_only.code, 0) << json_only.output;
  EXPECT_EQ(nlohmann::json::parse(json_only.output)["schema"], "gpuqual.results/1") << json_only.output;
  Outcome full = Gpuqual(quick + "-o /dev/full");
  EXPECT_EQ(full.code, 2) << full.output;
  EXPECT_EQ(full.output.find("warning"), std::string::npos) << full.output;  // no per-case attempt
  const auto error = full.output.find("gpuqual: error: cannot write /dev/full: No space left on device");
  EXPECT_NE(error, std::string::npos) << full.output;
  EXPECT_EQ(full.output.find("cannot write", error + 30), std::string::npos) << full.output;  // once
}

TEST(CliTest, CiSuiteOnCpuWritesAValidResultsFile) {
  fs::path dir = TempDir();
  const std::string path = (dir / "ci.json").string();
  Outcome o = Gpuqual("run --suite ci --device cpu --label job=smoke -o " + path);
  ASSERT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("results: " + path), std::string::npos) << o.output;
  ResultsDoc doc = ReadResultsFile(path);
  EXPECT_EQ(doc.run.suite, "ci");
  EXPECT_EQ(doc.run.labels.at("job"), "smoke");
  EXPECT_FALSE(doc.run.finished_at.empty());
  EXPECT_FALSE(doc.run.interrupted);
  EXPECT_NE(doc.run.command.find("--suite ci"), std::string::npos);
  EXPECT_GT(doc.system.host.cores, 0);
  // The ci suite's cpu entries, in suite order: membw copy of 32 MiB, gemm fp32 and fp64 at 256^3,
  // then allreduce at 4 KiB and 1 MiB (one process: a single rank), then the tiny e2e model.
  ASSERT_EQ(doc.cases.size(), 6u);
  EXPECT_EQ(doc.system.world.ranks, 1);
  EXPECT_EQ(doc.system.world.backend, "single");
  EXPECT_EQ(doc.cases[0].id, "membw/op=copy/size=33554432/threads=0");
  EXPECT_EQ(doc.cases[1].id.rfind("gemm/dtype=fp32/", 0), 0u) << doc.cases[1].id;
  EXPECT_EQ(doc.cases[2].id.rfind("gemm/dtype=fp64/", 0), 0u) << doc.cases[2].id;
  for (const CaseResult& c : doc.cases) {
    EXPECT_EQ(c.device, "cpu");
    ASSERT_TRUE(c.status == CaseStatus::kOk || c.status == CaseStatus::kNoisy) << c.id << ": " << c.reason;
    ASSERT_TRUE(c.verification.has_value()) << c.id;
    EXPECT_TRUE(c.verification->passed) << c.id;
    EXPECT_TRUE(c.ranks.empty());
    const MetricResult* primary = c.FindMetric(c.primary_metric);
    ASSERT_NE(primary, nullptr) << c.id;
    EXPECT_GE(primary->n, 10);
    EXPECT_EQ(static_cast<int64_t>(c.samples_s.size()), primary->n);
  }
  const CaseResult& copy = doc.cases[0];
  EXPECT_EQ(copy.primary_metric, "bandwidth");
  EXPECT_EQ(copy.FindMetric("bandwidth")->unit, "GB/s");
  EXPECT_GT(copy.FindMetric("bandwidth")->median, 0);
  EXPECT_DOUBLE_EQ(copy.work.bytes, 2.0 * 32 * 1024 * 1024);  // read + write
  EXPECT_EQ(copy.verification->tolerance, 0);                  // exact check of every word
  EXPECT_FALSE(copy.details.at("threads").empty());
  for (int i : {1, 2}) {
    const CaseResult& c = doc.cases[i];
    EXPECT_EQ(c.workload, "gemm");
    EXPECT_EQ(c.params.at(0).second, i == 1 ? "fp32" : "fp64");
    EXPECT_GT(c.FindMetric("tflops")->median, 0);
    EXPECT_DOUBLE_EQ(c.work.flops, 2.0 * 256 * 256 * 256);
  }
  for (int i : {3, 4}) {
    const CaseResult& c = doc.cases[i];
    EXPECT_EQ(c.id, std::string("allreduce/size=") + (i == 3 ? "4096" : "1048576") +
                        "/dtype=fp32/op=sum/in_place=false/graph=false");
    EXPECT_EQ(c.primary_metric, "algbw");  // one rank: bus bandwidth undefined (0), algbw the figure
    EXPECT_EQ(c.FindMetric("busbw")->median, 0);
    EXPECT_GT(c.FindMetric("algbw")->median, 0);
    EXPECT_DOUBLE_EQ(c.work.bytes, i == 3 ? 4096 : 1048576);
    EXPECT_EQ(c.details.at("single_rank"), "true");
    EXPECT_NE(c.verification->detail.find("0 wrong"), std::string::npos) << c.verification->detail;
  }
  const CaseResult& e2e = doc.cases[5];
  EXPECT_EQ(e2e.id.rfind("e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/", 0), 0u) << e2e.id;
  EXPECT_EQ(e2e.primary_metric, "output_tok_s");
  EXPECT_DOUBLE_EQ(e2e.work.tokens, 16);
  EXPECT_DOUBLE_EQ(e2e.work.prefill_tokens, 64);
  for (const char* m : {"output_tok_s", "total_tok_s", "prefill_tok_s", "tok_s_per_gpu", "ttft_ms", "tpot_ms",
                        "itl_p50_ms", "itl_p99_ms"}) {
    ASSERT_NE(e2e.FindMetric(m), nullptr) << m;
    EXPECT_GT(e2e.FindMetric(m)->median, 0) << m;
  }
  EXPECT_EQ(e2e.phase_samples_s.at("tpot").size(), e2e.samples_s.size());
  EXPECT_NE(e2e.verification->detail.find("full forward"), std::string::npos) << e2e.verification->detail;
  EXPECT_NE(o.output.find("ran on a single rank: bus bandwidth undefined"), std::string::npos) << o.output;
  fs::remove_all(dir);
}

// Starts `gpuqual run` of 12 small cpu gemm cases writing `path`, waits until at least one case is
// in the file, sends `sig` and returns the wait status.
int RunAndSignal(const std::string& path, int sig) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    execl(GQ_BINARY, GQ_BINARY, "run", "gemm", "--device", "cpu", "-a", "dtype=fp32", "-a",
          "m=64,65,66,67,68,69,70,71,72,73,74,75", "-a", "n=64", "-a", "k=64", "--min-time", "0.3",
          "--warmup", "0", "-o", path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool one_done = false;
  for (int i = 0; i < 600 && !one_done; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      one_done = fs::exists(path) && !ReadResultsFile(path).cases.empty();
    } catch (const std::exception&) {
    }
  }
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return one_done ? status : -1;
}

TEST(CliTest, InterruptKeepsFinishedCasesAndExits130) {
  fs::path dir = TempDir();
  const std::string path = (dir / "int.json").string();
  const int status = RunAndSignal(path, SIGINT);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  ResultsDoc doc = ReadResultsFile(path);
  EXPECT_TRUE(doc.run.interrupted);
  EXPECT_TRUE(doc.run.complete);  // the writer finished: interrupted, not cut off
  EXPECT_GE(doc.cases.size(), 1u);
  EXPECT_LT(doc.cases.size(), 12u);
  for (const CaseResult& c : doc.cases) {
    ASSERT_TRUE(c.status == CaseStatus::kOk || c.status == CaseStatus::kNoisy) << c.id << c.reason;
  }
  // An interrupted run qualifies nothing, and makes no baseline unless told so.
  Outcome q = Gpuqual("qualify " + path);
  EXPECT_EQ(q.code, 1) << q.output;
  EXPECT_NE(q.output.find("INCOMPLETE"), std::string::npos) << q.output;
  EXPECT_NE(q.output.find("the run was interrupted"), std::string::npos) << q.output;
  Outcome b = Gpuqual("baseline create " + path + " --name x -o " + (dir / "b.json").string());
  EXPECT_EQ(b.code, 2) << b.output;
  EXPECT_NE(b.output.find(path + ": the run was interrupted after"), std::string::npos) << b.output;
  EXPECT_EQ(Gpuqual("baseline create " + path + " --name x --allow-incomplete -o " + (dir / "b.json").string()).code, 0);
  fs::remove_all(dir);
}

// SIGHUP (a dropped ssh session) stops a run like Ctrl-C; SIGKILL leaves a file that says it was
// cut off (complete = false) with every case finished before it.
TEST(CliTest, HangupStopsAndAKilledRunIsRecognisable) {
  fs::path dir = TempDir();
  const std::string hup = (dir / "hup.json").string(), killed = (dir / "killed.json").string();
  int status = RunAndSignal(hup, SIGHUP);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);  // one code for an interrupted run, whichever signal (DESIGN.md §9)
  EXPECT_TRUE(ReadResultsFile(hup).run.interrupted);
  status = RunAndSignal(killed, SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  ResultsDoc doc = ReadResultsFile(killed);
  EXPECT_FALSE(doc.run.complete);
  EXPECT_FALSE(doc.run.interrupted);
  EXPECT_GE(doc.cases.size(), 1u);
  Outcome q = Gpuqual("qualify " + killed);
  EXPECT_EQ(q.code, 1) << q.output;
  EXPECT_NE(q.output.find("the results file was cut off"), std::string::npos) << q.output;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gq
