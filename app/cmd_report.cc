// `gpuqual report RESULTS... [-o DIR] [--baseline FILE] [--prices FILE] [--objective O]
//  [--scenario SPEC] [--catalog FILE] [--title TEXT] [--pdf]`: turns result files into a
// self-contained report (index.html, summary.md, one PNG per figure, data.csv, and report.pdf
// with --pdf) by running the Python package reports/gpuqual_reports (matplotlib; DESIGN.md §1:
// Python only draws). First it computes the buyer's figures here, as `gpuqual rank` does
// (harness/decide/procurement.h), writes them to DIR/procurement.json and hands that file to the
// report, which draws those numbers and computes none. Bad input exits 2 (one line naming the
// file); otherwise the report's own exit code is returned: 0 written, 2 bad input, 3 anything else.
//
// `gpuqual report --history [--db FILE] [--case ID]... [--sku S] [--label K=V]... [--since DATE]
// [-o DIR]` draws trends instead: the series and change points are computed here (harness/decide/
// history_trend.h), written to DIR/trend.json (gpuqual.trend/1), and the package draws that file.
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
#include "app/history_flags.h"
#include "app/procurement_inputs.h"
#include "app/subprocess.h"
#include "harness/data_dirs.h"
#include "harness/decide/history_baseline.h"
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
  bool history = false;
  std::vector<std::string> cases;  // --history: these cases (default: all)
  HistoryFlags history_flags;
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
  if (!a.title.empty()) argv.insert(argv.end(), {"--title", a.title});
  if (a.pdf) argv.push_back("--pdf");
  return argv;
}

// DIR, created; an existing non-directory is refused.
void MakeOutputDir(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw UsageError(dir + ": output path exists and is not a directory");
  }
  fs::create_directories(dir, ec);
  if (ec) throw OutputError("cannot write " + dir + ": " + ec.message());
}

// DIR/procurement.json: the figures the report draws.
std::string WriteProcurement(const ReportArgs& a) {
  MakeOutputDir(a.output);
  const std::string path = (fs::path(a.output) / "procurement.json").string();
  WriteFileSafely(path, ProcurementJson(BuildProcurementFrom(a.inputs)).dump(1) + "\n");
  return path;
}

// --history: computes the trends, writes DIR/trend.json and returns the package's arguments.
std::vector<std::string> HistoryArgv(const ReportArgs& a) {
  const ProcurementInputs& in = a.inputs;
  if (!in.results.empty()) throw UsageError("--history takes no results files (got " + in.results.front() + ")");
  if (!in.baseline.empty() || !in.prices.empty()) throw UsageError("--history takes no --baseline or --prices");
  if (a.pdf) throw UsageError("--history takes no --pdf");
  const HistoryFilter filter = a.history_flags.Filter();
  const TrendOptions options = a.history_flags.Trend();
  auto store = OpenHistory(a.history_flags, HistoryStore::Open::kExisting);
  const std::vector<TrendSeries> series = BuildTrend(*store, filter, a.cases, options);
  if (series.empty()) throw UsageError(store->path() + ": no run matches (filters: " + HistoryFilterText(filter) + ")");
  MakeOutputDir(a.output);
  const std::string trend = (fs::path(a.output) / "trend.json").string();
  WriteFileSafely(trend, TrendToJson(series, filter, options, store->path()).dump(1) + "\n");
  std::vector<std::string> argv = {PythonInterpreter(), "-m", "gpuqual_reports", "--history-trend", trend,
                                   "-o", a.output};
  if (!a.title.empty()) argv.insert(argv.end(), {"--title", a.title});
  return argv;
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
  cmd->footer("Examples:\n  gpuqual report results/*.json --prices prices.json -o procurement/ --pdf\n"
              "  gpuqual report --history --label branch=main -o trends/");
  ProcurementInputs& in = args->inputs;
  cmd->add_option("results", in.results, "Result files (gpuqual.results/1); several are compared");
  cmd->add_option("-o,--output", args->output, "Output directory (default: reports-out)");
  AddProcurementFlags(cmd, in);
  cmd->add_option("--title", args->title, "Report title (default: from the machines)");
  cmd->add_flag("--pdf", args->pdf, "Also print the report to DIR/report.pdf (headless Chromium; summary on page 1)");
  cmd->add_flag("--history", args->history,
                "Draw each case's median over the runs of the results history, with change points");
  cmd->add_option("--case", args->cases, "this case id (repeatable; default: every case)");
  AddDbFlag(cmd, args->history_flags);
  AddFilterFlags(cmd, args->history_flags);
  AddTrendFlags(cmd, args->history_flags);
  std::vector<std::string> history_only = kHistoryFilterFlags;
  history_only.insert(history_only.end(), {"--case", "--metric", "--window", "--min-effect", "--alpha"});
  MarkHistoryOnly(cmd, "--history", history_only);
  return [args, cmd, history_only](const std::string&) {
    if (args->history) return RunPython(HistoryArgv(*args), FindReportsDir());
    RefuseHistoryOnly(cmd, "report --history", history_only);
    const ProcurementInputs& in = args->inputs;
    if (in.results.empty()) throw UsageError("report needs RESULTS files (or --history)");
    for (const std::string& path : in.results) RequireFile(path, "results file");
    if (!in.baseline.empty()) RequireFile(in.baseline, "baseline file");
    if (!in.prices.empty()) RequireFile(in.prices, "prices file");
    const std::string reports_dir = FindReportsDir();
    const std::string procurement = WriteProcurement(*args);
    return RunPython(PythonArgv(*args, procurement), reports_dir);
  };
}

}  // namespace gq::cli
