// `gpuqual report RESULTS... [-o DIR] [--baseline FILE] [--prices FILE] [--objective O]
//  [--scenario SPEC] [--catalog FILE] [--title TEXT] [--pdf]`: turns result files into a
// self-contained report (index.html, summary.md, one PNG per figure, data.csv, and report.pdf
// with --pdf) by running the Python package reports/gpuqual_reports (matplotlib; DESIGN.md §1:
// Python only draws). First it computes the buyer's figures here, as `gpuqual rank` does
// (harness/decide/procurement.h), writes them to DIR/procurement.json and hands that file to the
// report, which draws those numbers and computes none. Bad input exits 2 (one line naming the
// file); otherwise the report's own exit code is returned: 0 written, 2 bad input, 3 anything else.
//
// The interpreter is $GQ_PYTHON, else /usr/bin/python3 when present (Debian's, with
// python3-matplotlib), else python3 from PATH. The package is looked for like suites are:
// $GQ_REPORTS_DIR, <exe>/../share/gpuqual/reports, <exe>/../../reports, <exe>/../../../reports,
// the source tree's reports/; the first holding gpuqual_reports/ goes on PYTHONPATH.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/procurement_inputs.h"
#include "app/subprocess.h"
#include "harness/data_dirs.h"
#include "harness/decide/procurement_format.h"
#include "harness/errors.h"
#include "harness/measure/interrupt.h"
#include "harness/record/file_io.h"

namespace gq::cli {
namespace {

namespace fs = std::filesystem;

struct ReportArgs {
  ProcurementInputs inputs;  // results, prices, baseline, objective, scenario, catalog
  std::string output = "reports-out";
  std::string title;
  bool pdf = false;
};

// The first search directory holding the package; throws (exit 3) when none does.
std::string FindReportsDir() {
  const std::vector<std::string> dirs = DataDirCandidates("GQ_REPORTS_DIR", "reports");
  for (const std::string& dir : dirs) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(dir) / "gpuqual_reports" / "__init__.py", ec)) return dir;
  }
  std::string searched;
  for (const std::string& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir;
  throw std::runtime_error("cannot find the reports package gpuqual_reports (searched " + searched +
                           "; set GQ_REPORTS_DIR to the reports/ directory)");
}

std::string PythonInterpreter() {
  if (const char* env = std::getenv("GQ_PYTHON"); env != nullptr && *env != '\0') return env;
  if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
  return "python3";
}

void RequireFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw UsageError(path + ": no such file (" + what + ")");
  if (fs::is_directory(path, ec)) throw UsageError(path + ": is a directory, not a " + what);
}

std::vector<std::string> PythonArgv(const ReportArgs& a, const std::string& procurement) {
  const ProcurementInputs& in = a.inputs;
  std::vector<std::string> argv = {PythonInterpreter(), "-m", "gpuqual_reports"};
  argv.insert(argv.end(), in.results.begin(), in.results.end());
  argv.insert(argv.end(), {"-o", a.output, "--procurement", procurement});
  if (!in.baseline.empty()) argv.insert(argv.end(), {"--baseline", in.baseline});
  if (!in.prices.empty()) argv.insert(argv.end(), {"--prices", in.prices});
  if (!a.title.empty()) argv.insert(argv.end(), {"--title", a.title});
  if (a.pdf) argv.push_back("--pdf");
  return argv;
}

// DIR/procurement.json: the figures the report draws. DIR is created; a non-directory is refused.
std::string WriteProcurement(const ReportArgs& a) {
  std::error_code ec;
  if (fs::exists(a.output, ec) && !fs::is_directory(a.output, ec)) {
    throw UsageError(a.output + ": output path exists and is not a directory");
  }
  fs::create_directories(a.output, ec);
  if (ec) throw OutputError(a.output + ": cannot create the output directory (" + ec.message() + ")");
  const std::string path = (fs::path(a.output) / "procurement.json").string();
  WriteFileSafely(path, ProcurementJson(BuildProcurementFrom(a.inputs)).dump(1) + "\n");
  return path;
}

// Runs the report with PYTHONPATH led by reports_dir; returns its exit code: 130 when SIGINT,
// SIGTERM or SIGHUP ended it (an interrupted command, DESIGN.md §9), 128 + N for another signal.
// An interpreter that cannot be started is an error (exit 3) saying how to pick one.
int RunPython(const std::vector<std::string>& argv, const std::string& reports_dir) {
  const char* old_path = std::getenv("PYTHONPATH");
  const std::string pythonpath =
      reports_dir + (old_path != nullptr && *old_path != '\0' ? ":" + std::string(old_path) : "");
  try {
    const int code = RunSubprocess(argv, {{"PYTHONPATH", pythonpath}});
    if (code == 128 + SIGINT || code == 128 + SIGTERM || code == 128 + SIGHUP) {
      std::cerr << "gpuqual: report: interrupted\n";
      return kInterruptedExit;
    }
    return code;
  } catch (const SubprocessError& e) {
    throw std::runtime_error(std::string(e.what()) +
                             "; set GQ_PYTHON to a python3 with matplotlib");
  }
}

}  // namespace

Action AddReportCommand(CLI::App& root) {
  CLI::App* cmd = root.add_subcommand(
      "report", "Draw a report (index.html, summary.md, PNGs, data.csv) from result files");
  auto args = std::make_shared<ReportArgs>();
  cmd->footer("Example:\n  gpuqual report results/*.json --prices prices.json -o procurement/ --pdf");
  ProcurementInputs& in = args->inputs;
  cmd->add_option("results", in.results, "Result files (gpuqual.results/1); several are compared")->required();
  cmd->add_option("-o,--output", args->output, "Output directory (default: reports-out)");
  cmd->add_option("--baseline", in.baseline,
                  "Normalise to this baseline (gpuqual.baseline/1) or results file instead of the best machine");
  cmd->add_option("--prices", in.prices,
                  "Instance prices (gpuqual.prices/1, see README) for perf per dollar and $ per 1M tokens");
  cmd->add_option("--objective", in.objective, "Rank by perf-per-dollar or performance")->capture_default_str();
  cmd->add_option("--scenario", in.scenario,
                  "What $/Mtok is quoted for: model=,scenario=,batch=,input_len=,output_len=,tp= "
                  "(default llama-3-8b offline, batch 64, 1024/128, tp 1)");
  cmd->add_option("--catalog", in.catalog, "Instance catalog (default baselines/instances.json)");
  cmd->add_option("--title", args->title, "Report title (default: from the machines)");
  cmd->add_flag("--pdf", args->pdf, "Also print the report to DIR/report.pdf (headless Chromium; summary on page 1)");
  return [args](const std::string&) {
    const ProcurementInputs& in = args->inputs;
    for (const std::string& path : in.results) RequireFile(path, "results file");
    if (!in.baseline.empty()) RequireFile(in.baseline, "baseline file");
    if (!in.prices.empty()) RequireFile(in.prices, "prices file");
    const std::string reports_dir = FindReportsDir();
    const std::string procurement = WriteProcurement(*args);
    return RunPython(PythonArgv(*args, procurement), reports_dir);
  };
}

}  // namespace gq::cli
