// `gpuqual history add|list|show|trend`: the results history (harness/record/history_store.h;
// docs/history.md).
//   add RESULTS... [--replace]          store runs; idempotent on the run id. Every file is read
//                                       and checked before any is added (a bad one: exit 2).
//   list [filters] [--last N] [--json FILE|-]
//   show CASE-ID [filters] [rule]       the case's median per run over time, change points marked
//   trend [CASE-ID...] [filters] [rule] [--json FILE|-]
//                                       the series and their change points (gpuqual.trend/1)
// Filters: --sku, --label K=V..., --since DATE; rule: --metric, --window, --min-effect, --alpha
// (app/history_flags.h). Exit 0, or 2 for bad input (a results file, the database, a flag).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/history_flags.h"
#include "harness/decide/history_baseline.h"
#include "harness/decide/history_trend.h"
#include "harness/decide/history_trend_format.h"
#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq::cli {
namespace {

using json = nlohmann::ordered_json;

struct HistoryArgs {
  HistoryFlags flags;
  std::vector<std::string> files, case_ids;
  std::string case_id, json_out;
  bool replace = false;
  int last = 0;
};

int Add(const HistoryArgs& a) {
  struct Input {
    std::string path, text;
    ResultsDoc doc;
  };
  std::vector<Input> inputs;
  for (const std::string& f : a.files) {
    Input in{f, ReadTextFile(f), {}};
    in.doc = ResultsFromJson(ParseJsonText(in.text, f), f);
    inputs.push_back(std::move(in));
  }
  auto store = OpenHistory(a.flags, HistoryStore::Open::kCreate);
  for (const Input& in : inputs) {
    const std::string source = std::filesystem::absolute(in.path).string();
    const std::string what = in.doc.run.id + " (" + std::to_string(in.doc.cases.size()) + " case(s)" +
                             (in.doc.run.complete && !in.doc.run.interrupted ? "" : ", unfinished run") + ")";
    switch (store->Add(in.doc, in.text, source, a.replace)) {
      case AddOutcome::kAdded: std::cout << "added " << what << " from " << in.path << "\n"; break;
      case AddOutcome::kReplaced: std::cout << "replaced " << what << " from " << in.path << "\n"; break;
      case AddOutcome::kUnchanged: std::cout << "already stored " << what << " from " << in.path << "\n"; break;
      case AddOutcome::kKept:
        std::cout << "kept the stored " << in.doc.run.id << ": " << in.path
                  << " holds different content under that run id (--replace replaces it)\n";
        break;
    }
  }
  std::cout << "history: " << store->path() << "\n";
  return 0;
}

std::string Labels(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : " ") + k + "=" + v;
  return out.empty() ? "-" : out;
}

std::string RunState(const HistoryRun& r) {
  return r.interrupted ? "interrupted" : r.complete ? "finished" : "cut off";
}

// Rows of cells, each column as wide as its widest cell (a SKU such as h200-sxm-141gb or a long
// machine label no longer shifts the columns after it), two spaces apart; the last unpadded.
void PrintColumns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

int List(const HistoryArgs& a) {
  if (a.last < 0) throw UsageError("--last must be >= 0 (0 = all)");
  RefuseOutputOverInput(a.json_out, {a.flags.DbPath()}, "--json");
  auto store = OpenHistory(a.flags, HistoryStore::Open::kExisting);
  const std::vector<HistoryRun> runs = store->Runs(a.flags.Filter(), a.last);
  if (!a.json_out.empty()) {
    json all = json::array();
    for (const HistoryRun& r : runs) {
      all.push_back({{"run_id", r.run_id}, {"started_at", r.started_at}, {"finished_at", r.finished_at},
                     {"tool_version", r.tool_version}, {"tool_git", r.tool_git}, {"suite", r.suite},
                     {"hostname", r.hostname}, {"instance_type", r.instance_type}, {"machine", r.machine},
                     {"skus", r.skus},
                     {"labels", r.labels}, {"state", RunState(r)}, {"cases", r.cases},
                     {"cases_ok", r.cases_ok}, {"verdict", r.verdict}});
    }
    WriteFileSafely(a.json_out, json{{"database", store->path()}, {"runs", all}}.dump(1) + "\n");
    if (a.json_out == "-") return 0;
  }
  std::vector<std::vector<std::string>> table = {
      {"started", "run id", "sku", "machine", "host", "suite", "ok/cases", "state", "verdict", "labels"}};
  const auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  for (const HistoryRun& r : runs) {
    table.push_back({r.started_at, r.run_id, or_dash(r.skus), or_dash(r.machine), r.hostname,
                     or_dash(r.suite), std::to_string(r.cases_ok) + "/" + std::to_string(r.cases),
                     RunState(r), or_dash(r.verdict), Labels(r.labels)});
  }
  PrintColumns(table);
  std::printf("%zu run(s) in %s (filters: %s)\n", runs.size(), store->path().c_str(),
              HistoryFilterText(a.flags.Filter()).c_str());
  return 0;
}

int Show(const HistoryArgs& a) {
  const TrendOptions options = a.flags.Trend();
  auto store = OpenHistory(a.flags, HistoryStore::Open::kExisting);
  PrintTrendTable(std::cout, BuildTrend(*store, a.flags.Filter(), {a.case_id}, options));
  std::cout << "change points: " << ChangePointRuleText(options.rule) << "\n";
  return 0;
}

int Trend(const HistoryArgs& a) {
  const TrendOptions options = a.flags.Trend();
  const HistoryFilter filter = a.flags.Filter();
  RefuseOutputOverInput(a.json_out, {a.flags.DbPath()}, "--json");
  auto store = OpenHistory(a.flags, HistoryStore::Open::kExisting);
  const std::vector<TrendSeries> series = BuildTrend(*store, filter, a.case_ids, options);
  std::ostream& text = a.json_out == "-" ? std::cerr : std::cout;
  PrintTrendSummary(text, series);
  text << "change points: " << ChangePointRuleText(options.rule) << "\n";
  if (!a.json_out.empty()) {
    WriteFileSafely(a.json_out, TrendToJson(series, filter, options, store->path()).dump(1) + "\n");
  }
  return 0;
}

}  // namespace

Action AddHistoryCommand(CLI::App& root) {
  auto a = std::make_shared<HistoryArgs>();
  CLI::App* cmd = root.add_subcommand("history", "Keep every run in a database; list, trend and baseline from it");
  cmd->footer("Examples:\n  gpuqual run --suite ci --label branch=main --db h.db   a run that adds itself\n"
              "  gpuqual history add results/*.json --db h.db\n"
              "  gpuqual history trend --label branch=main --db h.db\n"
              "See gpuqual history COMMAND --help.");
  cmd->require_subcommand(1);

  CLI::App* add = cmd->add_subcommand("add", "Store results files in the history (idempotent on the run id)");
  add->add_option("results", a->files, "Results files")->required();
  AddDbFlag(add, a->flags);
  add->add_flag("--replace", a->replace, "Replace a stored run whose file now holds different content");
  add->footer("Example:\n  gpuqual history add results/*.json --db h.db   (a run already stored is left as it is)");

  CLI::App* list = cmd->add_subcommand("list", "List the stored runs, oldest first");
  AddDbFlag(list, a->flags);
  AddFilterFlags(list, a->flags);
  list->add_option("--last", a->last, "Only the newest N runs (0 = all)")->capture_default_str();
  list->add_option("--json", a->json_out, "Write the runs as JSON here (- for standard output)");
  list->footer("Example:\n  gpuqual history list --sku h100-sxm-80gb --label branch=main --since 2026-11-01 --db h.db");

  CLI::App* show = cmd->add_subcommand("show", "A case's median per run over time, with change points");
  show->add_option("case", a->case_id, "Case id (workload/axis=value/...)")->required();
  AddDbFlag(show, a->flags);
  AddFilterFlags(show, a->flags);
  AddTrendFlags(show, a->flags);
  show->footer("Example:\n  gpuqual history show 'gemm/dtype=bf16/m=8192/n=8192/k=8192/layout=TN/algo=autotune' --sku h100-sxm-80gb --db h.db\n  (gpuqual history trend --db h.db lists the case ids stored)");

  CLI::App* trend = cmd->add_subcommand("trend", "Series and change points of cases (all when none is named)");
  trend->add_option("cases", a->case_ids, "Case ids");
  AddDbFlag(trend, a->flags);
  AddFilterFlags(trend, a->flags);
  AddTrendFlags(trend, a->flags);
  trend->add_option("--json", a->json_out, "Write the series and change points (gpuqual.trend/1) here (- for stdout)");
  trend->footer("Example:\n  gpuqual history trend --label branch=main --window 4 --min-effect 5 --json trend.json --db h.db");

  return [a, add, list, show](const std::string&) {
    if (add->parsed()) return Add(*a);
    if (list->parsed()) return List(*a);
    if (show->parsed()) return Show(*a);
    return Trend(*a);
  };
}

}  // namespace gq::cli
