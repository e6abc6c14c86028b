#pragma once
// The layout of the results history database (harness/record/history_store.h) and the
// migrations that bring an older database up to it. docs/history.md describes the tables.
//
// Version:  the table gpuqual_schema holds one row per migration applied (version, applied_at,
//           tool); the database's version is the largest. An SQLite file with no tables at all
//           is version 0 (a new database); one with tables but no gpuqual_schema is not a
//           gpuqual history and is refused (UsageError naming the file and its tables).
// Steps:    migration N takes a database from version N - 1 to N. MigrateHistory applies every
//           step the database lacks inside one BEGIN IMMEDIATE transaction that first re-reads
//           the version (two processes opening an old database migrate it once), so a failure
//           or a kill part-way leaves the database at its old version.
// Newer:    a database of a version above the last step (written by a newer gpuqual) is
//           refused: UsageError "FILE: history schema version N is newer than this gpuqual's M".
//
//   v1  runs (one row per run: identity, times, tool, host, cloud, world, where it came from),
//       run_json (the results file's text, exactly as given), labels, devices, cases (status,
//       SKU, rounds), metrics (every summary figure), replicates (the round medians).
//   v2  params (the case's axis values), verdicts and checks (`gpuqual qualify`'s verdict),
//       filled for runs already stored from their run_json.
//   v3  single-rank collectives stored with busbw (0 there) as their metric follow algbw.
//   v4  runs.machine: the kind of machine the run is of (MachineTypeOf, harness/results.h), the
//       key of its series and of the baselines made from the history; filled from run_json.
#include <functional>
#include <string>
#include <vector>

#include "harness/record/sqlite_db.h"

namespace gq {

struct HistoryMigration {
  int version = 0;   // the version this step makes
  std::string what;  // in words, for the log row and messages
  std::function<void(SqliteDb&)> apply;  // runs inside the migration's transaction
};

// gpuqual's own steps, v1 first.
const std::vector<HistoryMigration>& HistoryMigrations();
inline constexpr int kHistorySchemaVersion = 4;

// The database's version (0 for an empty file); throws UsageError for a foreign database.
int HistorySchemaVersion(SqliteDb& db);

// Brings `db` to the last version of `migrations` (steps numbered 1, 2, ... in order); returns
// the version it found. Throws UsageError for a foreign or newer database.
int MigrateHistory(SqliteDb& db, const std::vector<HistoryMigration>& migrations);

}  // namespace gq
