// End-to-end tests of `gpuqual report` (the C++ front of reports/gpuqual_reports): bad input
// exits 2 with one line naming the file, and a cpu run's results become index.html, summary.md,
// data.csv and the GEMM figure.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using testing::Gpuqual;
using testing::Outcome;

fs::path TempDir() { return testing::TestTempDir("gq_report_"); }

TEST(ReportCliTest, MissingResultsFileExitsTwo) {
  Outcome o = Gpuqual("report /nonexistent/gq-results.json");
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("gpuqual: error: /nonexistent/gq-results.json: no such file"), std::string::npos)
      << o.output;
  Outcome none = Gpuqual("report");
  EXPECT_EQ(none.code, 2) << none.output;
  EXPECT_NE(none.output.find("gpuqual: error:"), std::string::npos) << none.output;
}

TEST(ReportCliTest, MalformedResultsFileExitsTwoWithOneLine) {
  fs::path dir = TempDir();
  std::ofstream(dir / "bad.json") << "{\"schema\": ";
  Outcome o = Gpuqual("report " + (dir / "bad.json").string() + " -o " + (dir / "out").string());
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("bad.json: malformed JSON"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("Traceback"), std::string::npos) << o.output;
  EXPECT_FALSE(fs::exists(dir / "out" / "index.html"));
  fs::remove_all(dir);
}

TEST(ReportCliTest, CpuRunBecomesAReport) {
  fs::path dir = TempDir();
  const std::string results = (dir / "ci.json").string();
  Outcome run = Gpuqual("run --suite ci --device cpu -o " + results);
  ASSERT_EQ(run.code, 0) << run.output;
  const fs::path out = dir / "report";
  Outcome o = Gpuqual("report " + results + " -o " + out.string() + " --title 'CPU smoke'");
  ASSERT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("index.html"), std::string::npos) << o.output;
  for (const char* name : {"index.html", "summary.md", "data.csv", "gemm.png"}) {
    EXPECT_TRUE(fs::exists(out / name)) << name << "\n" << o.output;
    EXPECT_GT(fs::file_size(out / name), 100u) << name;
  }
  std::ifstream md(out / "summary.md");
  std::string first;
  std::getline(md, first);
  EXPECT_EQ(first, "# CPU smoke");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gq
