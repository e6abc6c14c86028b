// The child processes gpuqual starts (app/subprocess.h), seen through `gpuqual report`, whose
// interpreter is $GQ_PYTHON: a program that cannot be started is one clear error line (exit 3);
// the child's exit status comes back as is, a stop signal (SIGINT, SIGTERM, SIGHUP) as 130 (an
// interrupted command) and another signal as 128 + N; arguments reach it intact (no shell) and
// PYTHONPATH is set for it. The results file is a real one (`report` reads it in C++ first).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using testing::Gpuqual;
using testing::Outcome;

// Sets GQ_PYTHON for the gpuqual runs of one test.
class SubprocessCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TestTempDir("gq_subprocess_");
    results_ = (dir_ / "r.json").string();
    fs::copy_file(std::string(GQ_SOURCE_DIR) + "/tests/data/aa/run1.json", results_);
  }
  void TearDown() override {
    ::unsetenv("GQ_PYTHON");
    fs::remove_all(dir_);
  }
  // A shell script standing in for the interpreter.
  std::string Script(const std::string& name, const std::string& body) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
    return path;
  }
  Outcome Report(const std::string& python, const std::string& more = "") {
    ::setenv("GQ_PYTHON", python.c_str(), 1);
    return Gpuqual("report " + results_ + " -o " + (dir_ / "out").string() + more);
  }

  fs::path dir_;
  std::string results_;
};

TEST_F(SubprocessCliTest, AProgramThatCannotStartIsOneErrorLine) {
  Outcome o = Report("/nonexistent/python3");
  EXPECT_EQ(o.code, 3) << o.output;  // gpuqual could not do its job: not 1, "a check failed"
  EXPECT_EQ(o.output,
            "gpuqual: failed: cannot run '/nonexistent/python3': No such file or directory; "
            "set GQ_PYTHON to a python3 with matplotlib\n");
  const std::string not_executable = (dir_ / "plain.txt").string();
  std::ofstream(not_executable) << "text";
  Outcome p = Report(not_executable);
  EXPECT_EQ(p.code, 3) << p.output;
  EXPECT_NE(p.output.find("cannot run '" + not_executable + "': Permission denied"),
            std::string::npos)
      << p.output;
}

TEST_F(SubprocessCliTest, ExitStatusAndSignalComeBack) {
  EXPECT_EQ(Report(Script("three.sh", "exit 3")).code, 3);
  EXPECT_EQ(Report(Script("term.sh", "kill -TERM $$")).code, 130);
  EXPECT_EQ(Report(Script("int.sh", "kill -INT $$")).code, 130);
  EXPECT_EQ(Report(Script("usr1.sh", "kill -USR1 $$")).code, 128 + 10);
}

TEST_F(SubprocessCliTest, ArgumentsArriveIntactWithPythonPathSet) {
  // Exit 0 only when the last argument is the title exactly and PYTHONPATH leads with reports/.
  const std::string script =
      Script("check.sh",
             "for last; do :; done\n"
             "[ \"$last\" = 'two words; $(false) *' ] || exit 4\n"
             "case \"$PYTHONPATH\" in *reports*) exit 0 ;; *) exit 5 ;; esac");
  Outcome o = Report(script, " --title 'two words; $(false) *'");
  EXPECT_EQ(o.code, 0) << o.output;
}

}  // namespace
}  // namespace gq
