// Ctrl-C on a long case stops `gpuqual run` within about a second (app/prompt_stop.h,
// harness/measure/sampling.h): between iterations of a case that is long for its many samples,
// and by abandoning a case whose one iteration lasts far longer (an 8192^3 fp32 gemm in one
// OpenBLAS call on a few cores); the first Ctrl-C says it is stopping and keeps the finished
// cases, a second one aborts at once.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/record/results_json.h"
#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Child {
  pid_t pid = -1;
  std::string stderr_path;
};

// Starts gpuqual with `args`, stdout to /dev/null and stderr to a file in `dir`.
Child Start(const fs::path& dir, const std::vector<std::string>& args) {
  Child c;
  c.stderr_path = (dir / "stderr.txt").string();
  c.pid = fork();
  if (c.pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    const int err = open(c.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(devnull, 1);
    dup2(err, 2);
    std::vector<char*> argv = {const_cast<char*>(GQ_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GQ_BINARY, argv.data());
    _exit(127);
  }
  return c;
}

// Waits for the child; returns its wait status and the seconds it took.
std::pair<int, double> Wait(const Child& c) {
  const auto start = Clock::now();
  int status = 0;
  waitpid(c.pid, &status, 0);
  return {status, std::chrono::duration<double>(Clock::now() - start).count()};
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits until the child's stderr has `text` (the plain progress line of a case starting).
bool WaitForStderr(const Child& c, const std::string& text) {
  for (int i = 0; i < 600; ++i) {
    if (Read(c.stderr_path).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::size_t CasesIn(const std::string& path) {
  try {
    return fs::exists(path) ? ReadResultsFile(path).cases.size() : 0;
  } catch (const std::exception&) {
    return 0;  // being rewritten
  }
}

// A case that would sample for 60 s stops between iterations at once, on Ctrl-C and on SIGTERM
// (what a CI runner, a Kubernetes eviction or `timeout` sends).
TEST(InterruptCliTest, CtrlCStopsALongCaseBetweenIterations) {
  for (const int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(strsignal(signal));
    const fs::path dir = testing::TestTempDir("gq_int_" + std::to_string(signal) + "_");
    const std::string out = (dir / "r.json").string();
    const Child c = Start(dir, {"run", "gemm", "--device", "cpu", "-a", "dtype=fp32", "-a", "m=128", "-a", "n=128",
                                "-a", "k=128", "--min-samples", "1000000", "--max-time", "60", "-o", out});
    ASSERT_TRUE(WaitForStderr(c, "[1/1] gemm/dtype=fp32/m=128/n=128/k=128/layout=TN/algo=autotune on cpu"))
        << Read(c.stderr_path);
    std::this_thread::sleep_for(std::chrono::seconds(1));  // into sampling
    kill(c.pid, signal);
    const auto [status, seconds] = Wait(c);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 130);
    EXPECT_LT(seconds, 3.0) << "the case would have sampled for 60 s";
    EXPECT_NE(Read(c.stderr_path).find("gpuqual: stopping"), std::string::npos) << Read(c.stderr_path);
    EXPECT_NE(Read(c.stderr_path).find("finished cases are kept"), std::string::npos) << Read(c.stderr_path);
    const ResultsDoc doc = ReadResultsFile(out);
    EXPECT_TRUE(doc.run.interrupted);
    EXPECT_TRUE(doc.run.complete);
    EXPECT_TRUE(doc.cases.empty());  // the case in progress is abandoned, never half-reported
    fs::remove_all(dir);
  }
}

// One iteration of 1.1 TFLOP cannot be broken into: the run is abandoned after a second's grace,
// keeping the case that finished before it.
TEST(InterruptCliTest, CtrlCInsideOneLongIterationAbandonsItAndKeepsFinishedCases) {
  const fs::path dir = testing::TestTempDir("gq_int_");
  const std::string out = (dir / "r.json").string(), suite = (dir / "s.json").string();
  std::ofstream(suite) << R"({"schema": "gpuqual.suite/1", "name": "long", "entries": [
    {"workload": "gemm", "axes": {"dtype": ["fp32"], "m": [64], "n": [64], "k": [64]}},
    {"workload": "gemm", "axes": {"dtype": ["fp32"], "m": [8192], "n": [8192], "k": [8192]}}]})";
  const Child c = Start(dir, {"run", "--suite", suite, "--device", "cpu", "--min-samples", "1000000",
                              "--min-time", "0.2", "--max-time", "0.3", "--warmup", "0", "-o", out});
  for (int i = 0; i < 600 && CasesIn(out) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(CasesIn(out), 1u);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // preparing or inside the first iteration
  kill(c.pid, SIGINT);
  const auto [status, seconds] = Wait(c);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_LT(seconds, 4.0) << "one iteration of the second case takes far longer on a few cores";
  const ResultsDoc doc = ReadResultsFile(out);
  EXPECT_TRUE(doc.run.interrupted);
  EXPECT_TRUE(doc.run.complete);
  ASSERT_EQ(doc.cases.size(), 1u);
  EXPECT_EQ(doc.cases[0].params[1].second, "64");
  fs::remove_all(dir);
}

// A second Ctrl-C ends the process at once, by the signal.
TEST(InterruptCliTest, ASecondCtrlCAbortsAtOnce) {
  const fs::path dir = testing::TestTempDir("gq_int_");
  const Child c = Start(dir, {"run", "gemm", "--device", "cpu", "-a", "dtype=fp32", "-a", "m=8192", "-a", "n=8192",
                              "-a", "k=8192", "-o", (dir / "r.json").string()});
  ASSERT_TRUE(WaitForStderr(c, "[1/1] gemm/")) << Read(c.stderr_path);
  kill(c.pid, SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(c.pid, SIGINT);
  const auto [status, seconds] = Wait(c);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_LT(seconds, 1.0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gq
