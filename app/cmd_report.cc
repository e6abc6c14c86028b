// `gpuqual report RESULTS... [-o DIR] [--baseline FILE] [--prices FILE] [--title TEXT]`: turns
// result files into a self-contained report (index.html, summary.md, one PNG per figure,
// data.csv) by running the Python package reports/gpuqual_reports (matplotlib; DESIGN.md §1:
// Python only draws). The input files must exist (else exit 2); the report's own exit code is
// returned: 0 written, 2 bad input (one line naming the file), 1 anything else.
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

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/history_flags.h"
#include "app/subprocess.h"
#include "harness/data_dirs.h"
#include "harness/decide/history_baseline.h"
#include "harness/errors.h"
#include "harness/record/file_io.h"

namespace gq::cli {
namespace {

namespace fs = std::filesystem;

struct ReportArgs {
  std::vector<std::string> results;
  std::string output = "reports-out";
  std::string baseline, prices, title;
  bool history = false;
  std::vector<std::string> cases;  // --history: these cases (default: all)
  HistoryFlags history_flags;
};

// The first search directory holding the package; throws (exit 1) when none does.
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

std::vector<std::string> PythonArgv(const ReportArgs& a) {
  std::vector<std::string> argv = {PythonInterpreter(), "-m", "gpuqual_reports"};
  argv.insert(argv.end(), a.results.begin(), a.results.end());
  argv.insert(argv.end(), {"-o", a.output});
  if (!a.baseline.empty()) argv.insert(argv.end(), {"--baseline", a.baseline});
  if (!a.prices.empty()) argv.insert(argv.end(), {"--prices", a.prices});
  if (!a.title.empty()) argv.insert(argv.end(), {"--title", a.title});
  return argv;
}

// --history: computes the trends, writes DIR/trend.json and returns the package's arguments.
std::vector<std::string> HistoryArgv(const ReportArgs& a) {
  if (!a.results.empty()) throw UsageError("--history takes no results files (got " + a.results.front() + ")");
  if (!a.baseline.empty() || !a.prices.empty()) throw UsageError("--history takes no --baseline or --prices");
  const HistoryFilter filter = a.history_flags.Filter();
  const TrendOptions options = a.history_flags.Trend();
  auto store = OpenHistory(a.history_flags, HistoryStore::Open::kExisting);
  const std::vector<TrendSeries> series = BuildTrend(*store, filter, a.cases, options);
  if (series.empty()) throw UsageError(store->path() + ": no run matches (filters: " + HistoryFilterText(filter) + ")");
  std::error_code ec;
  if (fs::exists(a.output, ec) && !fs::is_directory(a.output, ec)) {
    throw UsageError(a.output + ": output path exists and is not a directory");
  }
  fs::create_directories(a.output, ec);
  if (ec) throw OutputError("cannot write " + a.output + ": " + ec.message());
  const std::string trend = (fs::path(a.output) / "trend.json").string();
  WriteFileSafely(trend, TrendToJson(series, filter, options, store->path()).dump(1) + "\n");
  std::vector<std::string> argv = {PythonInterpreter(), "-m", "gpuqual_reports", "--history-trend", trend,
                                   "-o", a.output};
  if (!a.title.empty()) argv.insert(argv.end(), {"--title", a.title});
  return argv;
}

// Runs the report with PYTHONPATH led by reports_dir; returns its exit code (128 + signal when it
// was killed). An interpreter that cannot be started is an error (exit 1) saying how to pick one.
int RunPython(const std::vector<std::string>& argv, const std::string& reports_dir) {
  const char* old_path = std::getenv("PYTHONPATH");
  const std::string pythonpath =
      reports_dir + (old_path != nullptr && *old_path != '\0' ? ":" + std::string(old_path) : "");
  try {
    return RunSubprocess(argv, {{"PYTHONPATH", pythonpath}});
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
  cmd->add_option("results", args->results, "Result files (gpuqual.results/1); several are compared");
  cmd->add_option("-o,--output", args->output, "Output directory (default: reports-out)");
  cmd->add_option("--baseline", args->baseline,
                  "Normalise to this baseline (gpuqual.baseline/1) or results file instead of the best machine");
  cmd->add_option("--prices", args->prices,
                  "Instance prices (gpuqual.prices/1, see README) for perf per dollar and $ per 1M tokens");
  cmd->add_option("--title", args->title, "Report title (default: from the machines)");
  cmd->add_flag("--history", args->history,
                "Draw each case's median over the runs of the results history, with change points");
  cmd->add_option("--case", args->cases, "--history: this case id (repeatable; default: every case)");
  AddDbFlag(cmd, args->history_flags);
  AddFilterFlags(cmd, args->history_flags);
  AddTrendFlags(cmd, args->history_flags);
  return [args](const std::string&) {
    if (args->history) return RunPython(HistoryArgv(*args), FindReportsDir());
    if (args->results.empty()) throw UsageError("report needs RESULTS files (or --history)");
    for (const std::string& path : args->results) RequireFile(path, "results file");
    if (!args->baseline.empty()) RequireFile(args->baseline, "baseline file");
    if (!args->prices.empty()) RequireFile(args->prices, "prices file");
    return RunPython(PythonArgv(*args), FindReportsDir());
  };
}

}  // namespace gq::cli
