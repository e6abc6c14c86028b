#pragma once
// The results history: every run kept in one SQLite file (DESIGN.md §7; docs/history.md), in a
// normalised layout (harness/record/history_schema.h) with each run's results JSON kept as given.
//
// Opening: kCreate makes the file when absent (its directory must exist); kExisting requires it.
//   Either way the file must be a regular file holding an SQLite database that is empty or a
//   gpuqual history of this version or older (older ones are migrated on open); anything else is
//   a UsageError naming the file (exit 2). Every connection runs in WAL mode (readers never wait
//   for a writer) with a busy timeout, so several processes (CI jobs, fleet nodes) can add at once:
//   each waits its turn for up to `busy_timeout_ms`, then fails with OutputError (exit 2).
// Adding: one transaction per run (BEGIN IMMEDIATE ... COMMIT): a failure or a kill part-way
//   leaves no trace of the run. Idempotent on the run id: the same text again is kUnchanged; a
//   different text under a stored id is kKept unless `replace` (then kReplaced).
// Querying: runs and cases filtered by HistoryFilter, in start-time order (run_pk breaks ties).
//   "Finished" runs are complete and not interrupted (what baselines are made of).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/results.h"

namespace gq {

class SqliteDb;

struct HistoryFilter {
  std::string sku;                             // runs with a case on this SKU ("cpu", "h100-..."); "" any
  std::map<std::string, std::string> labels;   // every KEY=VALUE must be a label of the run
  std::string since;                           // started_at >= this (ISO 8601 text); "" any
  std::optional<std::string> machine;          // runs of this machine (MachineTypeOf; "" = runs of
                                               // no named machine); nullopt any
};

// The filters in words, for messages and reports: "sku cpu, label branch=main, since 2026-03-01,
// machine p5.48xlarge" ("machine (none)" for ""), or "none".
std::string HistoryFilterText(const HistoryFilter& filter);

// A row of `gpuqual history list`.
struct HistoryRun {
  std::string run_id, started_at, finished_at, tool_version, tool_git, suite, hostname;
  std::string instance_type, skus;  // skus: the run's case SKUs, comma-separated
  std::string machine;              // MachineTypeOf the run ("" when it names none)
  std::map<std::string, std::string> labels;
  bool interrupted = false, complete = true;
  int cases = 0, cases_ok = 0;  // ok or noisy
  std::string verdict;          // qualify's overall status; "" when the run has none
};

// One case of one run: a point of a case's series over runs.
struct HistoryPoint {
  std::string run_id, started_at, tool_git, device, sku, status, reason;
  std::string machine;  // the run's machine (MachineTypeOf, harness/results.h): one series each
  std::map<std::string, std::string> labels;
  bool run_finished = true;
  bool has_metric = false;  // the metric is in the case (not for failed or skipped cases)
  std::string metric, unit;
  bool higher_is_better = true;
  double median = 0, ci95_low = 0, ci95_high = 0;
  int rounds_done = 0, rounds_planned = 0;
  std::vector<double> replicate_medians_s;  // seconds per iteration, one per round
};

// A stored run's results JSON as given.
struct StoredRun {
  std::string run_id, started_at, machine, json;
};

enum class AddOutcome { kAdded, kUnchanged, kKept, kReplaced };

inline constexpr int kHistoryBusyTimeoutMs = 60000;

class HistoryStore {
 public:
  enum class Open { kCreate, kExisting };
  HistoryStore(const std::string& path, Open how, int busy_timeout_ms = kHistoryBusyTimeoutMs);
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // `raw_json`: the results file's text (what `doc` was read from); `source`: where it came from.
  AddOutcome Add(const ResultsDoc& doc, const std::string& raw_json, const std::string& source,
                 bool replace);

  // Runs matching `f`, oldest first; with `last` > 0 only the newest `last` of them.
  std::vector<HistoryRun> Runs(const HistoryFilter& f, int last = 0) const;
  // Case ids of the runs matching `f` (on f.sku when given), sorted.
  std::vector<std::string> CaseIds(const HistoryFilter& f) const;
  // Every (run, device) case `case_id` of the runs matching `f` (on f.sku when given), oldest
  // run first, with `metric` (the case's primary metric when empty).
  std::vector<HistoryPoint> Series(const HistoryFilter& f, const std::string& case_id,
                                   const std::string& metric = "") const;
  // The newest `last` runs matching `f`, newest first, leaving out `exclude_run_id` and, with
  // `finished_only`, runs that were interrupted or cut off.
  std::vector<StoredRun> RecentRuns(const HistoryFilter& f, int last, bool finished_only,
                                    const std::string& exclude_run_id = "") const;
  int SchemaVersion() const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<SqliteDb> db_;
};

// The default database: $XDG_DATA_HOME/gpuqual/history.db, else
// $HOME/.local/share/gpuqual/history.db; UsageError when neither variable is set.
std::string DefaultHistoryPath();

}  // namespace gq
