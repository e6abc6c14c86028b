// main() of gq_gpu_tests: GoogleTest with a per-test time limit, so that every GPU test can run in
// one process (one CUDA context, not one per test) and a stuck kernel or NCCL call still ends.
//
//   GQ_TEST_TIME_LIMIT_S=S     a test running longer than S seconds ends the process with exit
//                              code 124 after printing "[watchdog] <test> exceeded S s" (unset or
//                              0: no limit; ctest's TIMEOUT still applies per test there)
//   GQ_TEST_PROGRESS_FILE=F    appends one line per event, flushed at once, so a caller can tell
//                              after a kill which tests ended and which one hung:
//                                start <test>
//                                end <test> passed|failed|skipped <seconds>
//                                timeout <test> <seconds>
// scripts/gpu-check.sh reruns the binary without the tests that ended or hung until none is left.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

class ProgressLog {
 public:
  explicit ProgressLog(const char* path) : file_(path != nullptr && *path ? std::fopen(path, "a") : nullptr) {}
  ~ProgressLog() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void Line(const std::string& text) {
    std::lock_guard<std::mutex> lock(mu_);
    if (file_ == nullptr) return;
    std::fprintf(file_, "%s\n", text.c_str());
    std::fflush(file_);
    fsync(fileno(file_));
  }

 private:
  std::FILE* file_;
  std::mutex mu_;
};

std::string FullName(const testing::TestInfo& t) {
  return std::string(t.test_suite_name()) + "." + t.name();
}

// Records each test's start and end, and ends the process when one outlasts the limit.
class Watchdog : public testing::EmptyTestEventListener {
 public:
  Watchdog(double limit_s, ProgressLog& log) : limit_s_(limit_s), log_(log) {
    if (limit_s_ > 0) thread_ = std::thread([this] { Watch(); });
  }
  ~Watchdog() override {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }

  void OnTestStart(const testing::TestInfo& t) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      current_ = FullName(t);
      started_ = Clock::now();
      running_ = true;
    }
    log_.Line("start " + FullName(t));
  }

  void OnTestEnd(const testing::TestInfo& t) override {
    double seconds = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_ = false;
      seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    }
    const testing::TestResult* r = t.result();
    const char* outcome = r->Skipped() ? "skipped" : r->Failed() ? "failed" : "passed";
    log_.Line("end " + FullName(t) + " " + outcome + " " + std::to_string(seconds));
  }

 private:
  void Watch() {
    while (!done_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::lock_guard<std::mutex> lock(mu_);
      if (!running_) continue;
      const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
      if (seconds <= limit_s_) continue;
      std::fprintf(stderr, "\n[watchdog] %s exceeded %.0f s: ending the test process\n", current_.c_str(), limit_s_);
      std::fflush(stderr);
      log_.Line("timeout " + current_ + " " + std::to_string(seconds));
      std::_Exit(124);  // no destructors: the stuck thread may hold any lock
    }
  }

  const double limit_s_;
  ProgressLog& log_;
  std::mutex mu_;
  std::string current_;
  Clock::time_point started_;
  bool running_ = false;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

double LimitFromEnvironment() {
  const char* text = std::getenv("GQ_TEST_TIME_LIMIT_S");
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= 0) || v > 86400) {
    std::fprintf(stderr, "GQ_TEST_TIME_LIMIT_S='%s': expected seconds in [0, 86400]\n", text);
    std::exit(2);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const double limit_s = LimitFromEnvironment();
  static ProgressLog log(std::getenv("GQ_TEST_PROGRESS_FILE"));
  // The listener list owns the watchdog and deletes it after the run (joining its thread).
  testing::UnitTest::GetInstance()->listeners().Append(new Watchdog(limit_s, log));
  return RUN_ALL_TESTS();
}
