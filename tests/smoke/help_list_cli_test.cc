// The binary's help and listing: every command's --help names the program "gpuqual" (not the
// path it was started by) and ends with an example; `gpuqual --help` lists the environment
// variables; `gpuqual list --json` carries workloads, axes with defaults per device kind,
// choices, automatic values, metrics and suites.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

using testing::Gpuqual;
using testing::Outcome;

TEST(HelpListCliTest, EveryCommandsHelpUsesTheProgramNameAndHasAnExample) {
  for (const char* command : {"info", "list", "run", "baseline", "baseline create", "compare", "qualify", "report"}) {
    const Outcome o = Gpuqual(std::string(command) + " --help");
    EXPECT_EQ(o.code, 0) << command << "\n" << o.output;
    EXPECT_NE(o.output.find("Usage: gpuqual " + std::string(command)), std::string::npos) << o.output;
    EXPECT_EQ(o.output.find(GQ_BINARY), std::string::npos) << o.output;
    EXPECT_NE(o.output.find("Example"), std::string::npos) << command << "\n" << o.output;
  }
  const Outcome main_help = Gpuqual("--help");
  for (const char* var : {"GQ_SUITES_DIR", "GQ_BASELINES_DIR", "GQ_REPORTS_DIR", "GQ_PYTHON", "GQ_INSTANCE_TYPE"}) {
    EXPECT_NE(main_help.output.find(var), std::string::npos) << var;
  }
}

// A command-line mistake is one line in gpuqual's words, pointing at the help of the command that
// was being parsed, with exit 2.
TEST(HelpListCliTest, CommandLineMistakesPointAtTheirCommandsHelp) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run gemm --bogus", "unexpected argument --bogus (see gpuqual run --help)"},
      {"run gemm --repetitions abc", "--repetitions 'abc' is not a number (see gpuqual run --help)"},
      {"history list --sku", "--sku needs a value (see gpuqual history list --help)"},
      {"history add", "RESULTS is required (see gpuqual history add --help)"},
      {"bogus", "unknown command 'bogus' of gpuqual (one of: info, list, run, baseline, compare, qualify, report, "
                "rank, history) (see gpuqual --help)"},
      {"baseline", "gpuqual baseline needs a command (one of: create) (see gpuqual baseline --help)"},
  };
  for (const auto& [args, line] : cases) {
    const Outcome o = Gpuqual(args);
    EXPECT_EQ(o.code, 2) << args << ": " << o.output;
    EXPECT_EQ(o.output, "gpuqual: error: " + line + "\n") << args;
  }
}

TEST(HelpListCliTest, ListJsonHasDefaultsPerDeviceAutomaticValuesMetricsAndSuites) {
  const Outcome o = Gpuqual("list --json 2>/dev/null");
  ASSERT_EQ(o.code, 0) << o.output;
  const nlohmann::json doc = nlohmann::json::parse(o.output);
  EXPECT_EQ(doc["schema"], "gpuqual.list/1");
  bool gemm = false, attention = false;
  for (const auto& w : doc["workloads"]) {
    EXPECT_FALSE(w["metrics"].empty()) << w["name"];
    EXPECT_TRUE(w["metrics"][0]["primary"].get<bool>()) << w["name"];
    for (const auto& a : w["axes"]) {
      ASSERT_TRUE(a["defaults"].contains("cuda") && a["defaults"].contains("cpu")) << a;
      if (w["name"] == "gemm" && a["name"] == "dtype") {
        gemm = true;
        EXPECT_EQ(a["defaults"]["cuda"], nlohmann::json::array({"bf16"}));
        EXPECT_EQ(a["defaults"]["cpu"], nlohmann::json::array({"fp32", "fp64"}));
        EXPECT_TRUE(a["automatic"].is_null());
      }
      if (w["name"] == "attention" && a["name"] == "backend") {
        EXPECT_EQ(a["defaults"]["cpu"], nlohmann::json::array({"cpu"}));
      }
      if (w["name"] == "attention" && a["name"] == "seq_kv") {
        attention = true;
        EXPECT_EQ(a["automatic"], "0");
      }
    }
  }
  EXPECT_TRUE(gemm && attention);
  bool ci = false;
  for (const auto& s : doc["suites"]) ci = ci || (s["name"] == "ci" && !s["entries"].empty());
  EXPECT_TRUE(ci) << doc["suites"];
}

}  // namespace
}  // namespace gq
