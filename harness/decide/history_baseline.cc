#include "harness/decide/history_baseline.h"

#include <algorithm>

#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {

std::string HistoryFilterText(const HistoryFilter& filter) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (!filter.sku.empty()) add("sku " + filter.sku);
  for (const auto& [k, v] : filter.labels) add("label " + k + "=" + v);
  if (!filter.since.empty()) add("since " + filter.since);
  return out.empty() ? "none" : out;
}

HistoryBaseline BaselineFromHistory(const HistoryStore& store, const HistoryFilter& filter, int last,
                                    const std::string& name, bool allow_incomplete,
                                    const std::string& exclude_run_id) {
  const std::vector<StoredRun> runs = store.RecentRuns(filter, last, !allow_incomplete, exclude_run_id);
  if (runs.empty()) {
    throw UsageError(store.path() + ": no " + (allow_incomplete ? "" : "finished ") +
                     "run matches (filters: " + HistoryFilterText(filter) + ")");
  }
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
