#pragma once
// Baselines made from the results history (`gpuqual baseline create --from-history`, `gpuqual
// compare --history`): the newest runs that match a filter, read back from the JSON kept for
// each run and merged by CreateBaseline (harness/decide/baseline.h) exactly as if their files
// had been given, so compare judges on the spread between those runs.
//
// Only finished runs (complete, not interrupted) are taken unless `allow_incomplete`. With
// filter.sku set, each run contributes only its cases on that SKU. The runs must be of one machine
// (HistoryRun::machine): newest runs of several are a UsageError listing them, so the caller
// narrows with filter.machine. Each source is named
// "DATABASE#RUN_ID" in the baseline's provenance. Throws UsageError naming the database and
// filters when no run matches, or as CreateBaseline does (mixed SKUs: give --sku).
#include <string>
#include <vector>

#include "harness/decide/baseline.h"
#include "harness/record/history_store.h"

namespace gq {

struct HistoryBaseline {
  Baseline baseline;
  std::vector<std::string> run_ids;  // the runs it was made of, newest first
};

HistoryBaseline BaselineFromHistory(const HistoryStore& store, const HistoryFilter& filter, int last,
                                    const std::string& name, bool allow_incomplete,
                                    const std::string& exclude_run_id = "");

}  // namespace gq
