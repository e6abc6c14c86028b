#include "harness/decide/history_baseline.h"

#include <algorithm>
#include <map>

#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {

namespace {

// A baseline is of one machine: the spread between runs of two clouds' instances (even of one GPU
// model) is not the spread of a run, and would hide a regression or invent one.
void RefuseMixedMachines(const HistoryStore& store, const HistoryFilter& filter, const std::vector<StoredRun>& runs) {
  std::map<std::string, int> count;
  for (const StoredRun& r : runs) ++count[r.machine];
  if (count.size() < 2) return;
  std::string listed;
  for (const auto& [machine, n] : count) {
    listed += (listed.empty() ? "" : ", ") + (machine.empty() ? std::string("(none)") : machine) + ": " +
              std::to_string(n) + " run(s)";
  }
  throw UsageError(store.path() + ": the runs that match (filters: " + HistoryFilterText(filter) + ") are of " +
                   std::to_string(count.size()) + " machines (" + listed +
                   "); a baseline is of one: give --machine M (the run's \"machine\" label, else its instance type)");
}

}  // namespace

HistoryBaseline BaselineFromHistory(const HistoryStore& store, const HistoryFilter& filter, int last,
                                    const std::string& name, bool allow_incomplete,
                                    const std::string& exclude_run_id) {
  const std::vector<StoredRun> runs = store.RecentRuns(filter, last, !allow_incomplete, exclude_run_id);
  if (runs.empty()) {
    throw UsageError(store.path() + ": no " + (allow_incomplete ? "" : "finished ") +
                     "run matches (filters: " + HistoryFilterText(filter) + ")");
  }
  RefuseMixedMachines(store, filter, runs);
  HistoryBaseline out;
  std::vector<ResultsDoc> docs;
  std::vector<std::string> files;
  for (const StoredRun& r : runs) {
    const std::string origin = store.path() + "#" + r.run_id;
    ResultsDoc doc = ResultsFromJson(ParseJsonText(r.json, origin), origin);
    if (!filter.sku.empty()) {
      std::vector<CaseResult> kept;
      for (CaseResult& c : doc.cases) {
        if (CaseSku(doc, c) == filter.sku) kept.push_back(std::move(c));
      }
      doc.cases = std::move(kept);
    }
    docs.push_back(std::move(doc));
    files.push_back(origin);
    out.run_ids.push_back(r.run_id);
  }
  out.baseline = CreateBaseline(docs, files, name);
  return out;
}

}  // namespace gq
