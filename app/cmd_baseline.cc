// `gpuqual baseline create RESULTS... --name NAME [-o FILE] [--warn-below F] [--fail-below F]
//  [--threshold WORKLOAD=WARN:FAIL]...`: merges real results files into a gpuqual.baseline/1 file.
// `gpuqual baseline create --from-history --sku S --last N [--machine M] [--label K=V]... [--since DATE]
//  [--db FILE] [--name NAME] ...`: the same from the newest N finished runs of the results
// history that match (harness/decide/history_baseline.h); the name defaults to "<sku>-history".
#include <filesystem>
#include <iostream>
#include <memory>
#include <system_error>

#include "app/commands.h"
#include "app/history_flags.h"
#include "app/workload_names.h"
#include "harness/decide/baseline.h"
#include "harness/decide/history_baseline.h"
#include "harness/errors.h"
#include "harness/numbers.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq::cli {
namespace {

struct BaselineArgs {
  std::vector<std::string> results, thresholds;
  std::string name, output;
  double warn_below = QualifyThreshold{}.warn_below, fail_below = QualifyThreshold{}.fail_below;
  bool allow_incomplete = false;
  bool from_history = false;
  int last = 0;
  HistoryFlags history;
};

QualifyThreshold CheckedThreshold(double warn, double fail, const std::string& what) {
  if (!(fail > 0 && fail <= warn && warn <= 1.5)) {
    throw UsageError(what + ": need 0 < fail <= warn <= 1.5 (fractions of the baseline)");
  }
  return {warn, fail};
}

// The baseline of the newest --last runs of the history that match the filters.
Baseline FromHistory(BaselineArgs& a) {
  if (a.history.sku.empty()) throw UsageError("--from-history needs --sku S (a baseline is for one SKU)");
  if (a.last < 1) throw UsageError("--from-history needs --last N, N >= 1 (the newest N matching runs)");
  const HistoryFilter filter = a.history.Filter();
  auto store = OpenHistory(a.history, HistoryStore::Open::kExisting);
  HistoryBaseline hb = BaselineFromHistory(*store, filter, a.last, a.name, a.allow_incomplete);
  std::cout << "from the newest " << hb.run_ids.size() << " run(s) of " << store->path() << " (asked "
            << a.last << "; filters: " << HistoryFilterText(filter) << "): " << hb.run_ids.back() << " .. "
            << hb.run_ids.front() << "\n";
  return std::move(hb.baseline);
}

int Create(BaselineArgs& a) {
  if (a.from_history != a.results.empty()) {
    throw UsageError(a.from_history ? "--from-history takes no results files (got " + a.results.front() + ")"
                                    : "baseline create needs RESULTS files or --from-history");
  }
  if (a.from_history && a.name.empty()) a.name = a.history.sku + "-history";
  if (a.name.empty()) throw UsageError("baseline create needs --name NAME (e.g. h100-sxm-80gb: the SKU it is for)");
  if (a.name.find('/') != std::string::npos) {
    throw UsageError("--name '" + a.name + "' must be a plain name, e.g. h100-sxm-80gb (no '/')");
  }
  // The output is checked before any work: never one of the inputs, and the default one
  // (baselines/NAME.json, not named by the user) never written over.
  const std::string out = a.output.empty() ? "baselines/" + a.name + ".json" : a.output;
  std::vector<std::string> inputs = a.results;
  if (a.from_history) inputs.push_back(a.history.DbPath());
  RefuseOutputOverInput(out, inputs, a.output.empty() ? "the default output" : "-o");
  std::error_code ec;
  if (a.output.empty() && std::filesystem::exists(out, ec)) {
    throw UsageError(out + " exists (the default output for the baseline name '" + a.name +
                     "'): give -o " + out + " to replace it, or another --name");
  }
  std::vector<ResultsDoc> docs;
  for (const std::string& f : a.results) {
    docs.push_back(ReadResultsFile(f));
    if (!a.allow_incomplete) RequireFinishedRun(docs.back(), f);
  }
  Baseline b = a.from_history ? FromHistory(a) : CreateBaseline(docs, a.results, a.name);
  b.default_threshold = CheckedThreshold(a.warn_below, a.fail_below, "--warn-below/--fail-below");
  for (const std::string& t : a.thresholds) {
    auto eq = t.find('='), colon = t.find(':');
    if (eq == std::string::npos || colon == std::string::npos || colon < eq) {
      throw UsageError("--threshold '" + t + "' is not WORKLOAD=WARN:FAIL (e.g. gemm=0.95:0.9)");
    }
    const std::string what = "--threshold " + t;
    RequireWorkload(what, t.substr(0, eq));
    b.workload_thresholds[t.substr(0, eq)] =
        CheckedThreshold(ParseNumber(what, t.substr(eq + 1, colon - eq - 1), {0, 1.5, true}),
                         ParseNumber(what, t.substr(colon + 1), {0, 1.5, true}), what);
  }
  WriteBaselineFile(out, b);
  std::cout << "baseline '" << b.name << "' (sku " << b.sku << "): " << b.cases.size() << " case(s) from "
            << b.sources.size() << " run(s) -> " << out << "\n";
  return 0;
}

}  // namespace

Action AddBaselineCommand(CLI::App& root) {
  auto args = std::make_shared<BaselineArgs>();
  CLI::App* cmd = root.add_subcommand("baseline", "Make baselines from results files");
  cmd->footer("Example:\n  gpuqual baseline create run1.json run2.json run3.json --name h100-sxm-80gb\n"
              "See gpuqual baseline create --help.");
  cmd->require_subcommand(1);
  CLI::App* create = cmd->add_subcommand("create", "Merge results files into a gpuqual.baseline/1 file");
  create->add_option("results", args->results, "Results files (one SKU)");
  create->add_option("--name", args->name, "Baseline name, e.g. h100-sxm-80gb (--from-history: <sku>-history)");
  create->add_option("-o,--output", args->output, "Output file (default baselines/<name>.json)");
  create->footer("Example:\n  gpuqual baseline create run1.json run2.json run3.json --name h100-sxm-80gb");
  create->add_option("--warn-below", args->warn_below, "qualify WARN below this fraction of baseline")->capture_default_str();
  create->add_option("--fail-below", args->fail_below, "qualify FAIL below this fraction of baseline")->capture_default_str();
  create->add_option("--threshold", args->thresholds, "Per-workload thresholds WORKLOAD=WARN:FAIL (repeatable)");
  create->add_flag("--allow-incomplete", args->allow_incomplete,
                   "Take results of interrupted or cut-off runs too (refused by default)");
  create->add_flag("--from-history", args->from_history,
                   "Make it from the newest --last runs of the results history that match --sku/--label/--since");
  create->add_option("--last", args->last, "--from-history: how many of the newest matching runs");
  AddDbFlag(create, args->history);
  AddFilterFlags(create, args->history);
  std::vector<std::string> history_only = kHistoryFilterFlags;
  history_only.push_back("--last");
  MarkHistoryOnly(create, "--from-history", kHistoryFilterFlags);
  return [args, create, history_only](const std::string&) {
    if (!args->from_history) RefuseHistoryOnly(create, "baseline create --from-history", history_only);
    return Create(*args);
  };
}

}  // namespace gq::cli
