// `gpuqual compare CANDIDATE --baseline FILE [--tolerance PCT] [--tolerance-for WORKLOAD=PCT]...
//  [--alpha A] [--allow-missing] [--fail-on-inconclusive] [--junit FILE] [--markdown FILE]
//  [--json FILE] [--export-github-benchmark FILE] [--export-bencher FILE]`
// FILE may be a baseline or a results file (merged into a baseline on the fly). Instead of
// --baseline, `--history --last N [--sku S] [--machine M] [--label K=V]... [--since DATE]
// [--db FILE]` makes the baseline from the newest N finished runs of the results history that
// match (the candidate's own run left out; the SKU and the machine default to the candidate's),
// so compare uses their between-run spread (harness/decide/history_baseline.h). Every output FILE
// may be "-" (standard output; the table then goes to standard error, so the output stays
// clean). The exports write the candidate's figures for github-action-benchmark and Bencher
// (harness/record/benchmark_export.h). Exit 1 on any regressed or failed case (or missing
// unless allowed, or inconclusive with --fail-on-inconclusive), 2 on bad input.
#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

#include "app/commands.h"
#include "app/history_flags.h"
#include "app/workload_names.h"
#include "harness/decide/change_decision.h"
#include "harness/decide/compare_format.h"
#include "harness/decide/history_baseline.h"
#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/numbers.h"
#include "harness/record/benchmark_export.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq::cli {
namespace {

struct CompareArgs {
  std::string candidate, baseline, junit, markdown, json, github_benchmark, bencher;
  std::vector<std::string> tolerance_for;
  double tolerance_pct = 100 * kDefaultTolerance, alpha = 0.05;
  bool allow_missing = false, fail_on_inconclusive = false;
  bool history = false;
  int last = 0;
  HistoryFlags history_flags;
};

// --history: the baseline of the newest --last matching runs of the history, on the candidate's
// SKU and of its machine (MachineTypeOf) unless --sku and --machine say otherwise; names it
// "DATABASE (newest N run(s); FILTERS)" in the outputs.
Baseline BaselineFromHistoryFlags(const CompareArgs& a, const ResultsDoc& candidate, std::string& name) {
  if (a.last < 1) throw UsageError("--history needs --last N, N >= 1 (the newest N matching runs)");
  HistoryFilter filter = a.history_flags.Filter();
  if (filter.sku.empty()) {
    std::set<std::string> skus;
    for (const CaseResult& c : candidate.cases) skus.insert(CaseSku(candidate, c));
    if (skus.size() != 1) throw UsageError(a.candidate + ": its cases are not on one SKU; give --sku with --history");
    filter.sku = *skus.begin();
  }
  if (!filter.machine) filter.machine = MachineTypeOf(candidate);
  auto store = OpenHistory(a.history_flags, HistoryStore::Open::kExisting);
  HistoryBaseline hb = BaselineFromHistory(*store, filter, a.last, "history", false, candidate.run.id);
  const std::size_t found = hb.run_ids.size();
  name = store->path() + " (newest " + std::to_string(found) + " run(s)" +
         (found < static_cast<std::size_t>(a.last) ? ", of " + std::to_string(a.last) + " asked" : "") + "; " +
         HistoryFilterText(filter) + ")";
  return std::move(hb.baseline);
}

Baseline LoadBaselineOrResults(const std::string& path) {
  const auto j = ReadJsonFile(path);
  if (j.is_object() && j.contains("schema") && j["schema"].is_string() &&
      j["schema"].get<std::string>().rfind("gpuqual.results/", 0) == 0) {
    return CreateBaseline({ResultsFromJson(j, path)}, {path}, path);
  }
  return ReadBaselineFile(path);
}

// Tolerances are percentages below 100 (a change of 100% or more is no tolerance at all).
constexpr NumberRange kTolerancePct{0, 99.999};

int Run(const CompareArgs& a) {
  CompareOptions opt;
  opt.tolerance = CheckNumber("--tolerance (percent)", a.tolerance_pct, kTolerancePct) / 100.0;
  opt.alpha = CheckNumber("--alpha", a.alpha, kAlphaRange);
  opt.allow_missing = a.allow_missing;
  opt.fail_on_inconclusive = a.fail_on_inconclusive;
  for (const std::string& t : a.tolerance_for) {
    auto eq = t.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("--tolerance-for '" + t + "' is not WORKLOAD=PCT");
    RequireWorkload("--tolerance-for " + t, t.substr(0, eq));
    opt.tolerance_for[t.substr(0, eq)] = ParseNumber("--tolerance-for " + t, t.substr(eq + 1), kTolerancePct) / 100.0;
  }
  const ResultsDoc candidate = ReadResultsFile(a.candidate);
  if (a.history && !a.baseline.empty()) throw UsageError("--baseline and --history exclude each other: give one");
  if (!a.history && a.baseline.empty()) throw UsageError("compare needs --baseline FILE or --history");
  std::string baseline_name = a.baseline;
  const Baseline baseline =
      a.history ? BaselineFromHistoryFlags(a, candidate, baseline_name) : LoadBaselineOrResults(a.baseline);
  CompareReport report = Compare(candidate, baseline, opt);
  report.candidate = a.candidate;
  report.baseline = baseline_name;
  const std::vector<std::string> outputs = {a.markdown, a.junit, a.json, a.github_benchmark, a.bencher};
  std::ostream& table = std::count(outputs.begin(), outputs.end(), "-") > 0 ? std::cerr : std::cout;
  if (std::count(outputs.begin(), outputs.end(), "-") > 1) throw UsageError("only one output can be - (standard output)");
  const std::string db = a.history ? a.history_flags.DbPath() : "";
  for (const std::string& out : outputs) RefuseOutputOverInput(out, {a.candidate, a.baseline, db}, "an output");
  PrintCompareTable(table, report);
  if (!a.markdown.empty()) WriteFileSafely(a.markdown, CompareMarkdown(report));
  if (!a.junit.empty()) WriteFileSafely(a.junit, CompareJunit(report));
  if (!a.json.empty()) WriteFileSafely(a.json, CompareJson(report).dump(1) + "\n");
  if (!a.github_benchmark.empty()) WriteFileSafely(a.github_benchmark, GithubBenchmarkJson(candidate).dump(1) + "\n");
  if (!a.bencher.empty()) WriteFileSafely(a.bencher, BencherJson(candidate).dump(1) + "\n");
  const int code = report.ExitCode();
  table << "compare: " << CompareHeadline(report) << "\n";
  return code;
}

}  // namespace

Action AddCompareCommand(CLI::App& root) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* cmd = root.add_subcommand("compare", "Compare a results file with a baseline (CI regression gate)");
  cmd->add_option("candidate", a->candidate, "Results file to judge")->required();
  cmd->footer("Example:\n  gpuqual compare candidate.json --baseline baselines/h100-sxm-80gb.json --junit compare.xml");
  cmd->add_option("--baseline", a->baseline, "Baseline file (or a results file)");
  cmd->add_flag("--history", a->history,
                "Compare with a baseline made from the newest --last runs of the results history");
  cmd->add_option("--last", a->last, "--history: how many of the newest matching runs");
  AddDbFlag(cmd, a->history_flags);
  AddFilterFlags(cmd, a->history_flags);
  cmd->add_option("--tolerance", a->tolerance_pct, "Regression tolerance in percent")->capture_default_str();
  cmd->add_option("--tolerance-for", a->tolerance_for, "Per-workload tolerance WORKLOAD=PCT (repeatable)");
  cmd->add_option("--alpha", a->alpha, "Significance level of the between-run test (1 - alpha: the CI)")
      ->capture_default_str();
  cmd->add_flag("--allow-missing", a->allow_missing, "Do not fail on baseline cases the candidate lacks");
  cmd->add_flag("--fail-on-inconclusive", a->fail_on_inconclusive,
                "Exit 1 on cases too noisy to decide at the tolerance (default: exit 0)");
  cmd->add_option("--junit", a->junit, "Write JUnit XML here (- for standard output)");
  cmd->add_option("--markdown", a->markdown, "Write a Markdown summary here (- for standard output)");
  cmd->add_option("--json", a->json, "Write the comparison as JSON here (- for standard output)");
  cmd->add_option("--export-github-benchmark", a->github_benchmark,
                  "Write the candidate's figures for github-action-benchmark (customBiggerIsBetter)");
  cmd->add_option("--export-bencher", a->bencher, "Write the candidate's figures in Bencher Metric Format (BMF)");
  std::vector<std::string> history_only = kHistoryFilterFlags;
  history_only.push_back("--last");
  MarkHistoryOnly(cmd, "--history", kHistoryFilterFlags);
  return [a, cmd, history_only](const std::string&) {
    if (!a->history) RefuseHistoryOnly(cmd, "compare --history", history_only);
    return Run(*a);
  };
}

}  // namespace gq::cli
