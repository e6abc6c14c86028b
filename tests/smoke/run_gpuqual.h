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

inline Outcome Gpuqual(const std::string& args) {
  Outcome o;
  FILE* pipe = popen((std::string(GQ_BINARY) + " " + args + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return o;
  std::array<char, 4096> buf;
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) o.output += buf.data();
  const int status = pclose(pipe);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
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
