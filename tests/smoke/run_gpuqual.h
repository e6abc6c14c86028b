#pragma once
// Runs the gpuqual binary under test (GQ_BINARY) through the shell and captures what it prints,
// for the end-to-end CLI tests; plus a per-test scratch directory.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace gq::testing {

struct Outcome {
  int code = -1;       // exit code; -1 when the process did not exit normally
  std::string output;  // stdout and stderr together
};

// A shell command line, its stdout and stderr together.
inline Outcome Shell(const std::string& command) {
  Outcome o;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return o;
  std::array<char, 4096> buf;
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) o.output += buf.data();
  const int status = pclose(pipe);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

inline Outcome Gpuqual(const std::string& args) { return Shell(std::string(GQ_BINARY) + " " + args); }

// gpuqual run in `dir`, for the outputs that default to paths relative to the working directory.
inline Outcome GpuqualIn(const std::filesystem::path& dir, const std::string& args) {
  return Shell("cd '" + dir.string() + "' && " + GQ_BINARY + " " + args);
}

// A fresh directory named after the running test (and this process).
inline std::filesystem::path TestTempDir(const std::string& prefix) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              (prefix + std::to_string(::getpid()) + "_" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace gq::testing
