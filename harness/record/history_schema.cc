#include "harness/record/history_schema.h"

#include "harness/clock.h"
#include "harness/errors.h"
#include "harness/record/history_rows.h"
#include "harness/record/results_json.h"
#include "harness/record/file_io.h"
#include "harness/version.h"

namespace gq {
namespace {

// v1: the runs with their facts, labels, devices, cases, metrics, replicates and the raw JSON.
// Child rows go with their run (ON DELETE CASCADE; foreign keys are on in every connection).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE runs (
  run_pk INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  tool_version TEXT NOT NULL,
  tool_git TEXT NOT NULL,
  command TEXT NOT NULL,
  suite TEXT,
  interrupted INTEGER NOT NULL,
  complete INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  os TEXT, kernel TEXT, cpu TEXT, cores INTEGER, memory_bytes INTEGER,
  cloud_provider TEXT, instance_type TEXT, region TEXT,
  world_ranks INTEGER NOT NULL, world_nodes INTEGER NOT NULL, world_backend TEXT NOT NULL,
  source TEXT NOT NULL,
  added_at TEXT NOT NULL
);
CREATE INDEX runs_by_start ON runs (started_at);
CREATE TABLE run_json (
  run_pk INTEGER PRIMARY KEY REFERENCES runs ON DELETE CASCADE,
  json TEXT NOT NULL
);
CREATE TABLE labels (
  run_pk INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_pk, key)
) WITHOUT ROWID;
CREATE INDEX labels_by_pair ON labels (key, value);
CREATE TABLE devices (
  run_pk INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT, sku TEXT, uuid TEXT, pci_bus_id TEXT, compute_capability TEXT,
  sm_count INTEGER, memory_bytes INTEGER, driver TEXT, cuda_runtime TEXT,
  PRIMARY KEY (run_pk, idx)
) WITHOUT ROWID;
CREATE TABLE cases (
  case_pk INTEGER PRIMARY KEY,
  run_pk INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  case_id TEXT NOT NULL,
  workload TEXT NOT NULL,
  device TEXT NOT NULL,
  sku TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  primary_metric TEXT,
  iterations_per_sample INTEGER,
  rounds_planned INTEGER NOT NULL,
  rounds_done INTEGER NOT NULL,
  wall_time_s REAL,
  UNIQUE (run_pk, case_id, device)
);
CREATE INDEX cases_by_id ON cases (case_id, sku);
CREATE TABLE metrics (
  case_pk INTEGER NOT NULL REFERENCES cases ON DELETE CASCADE,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  higher_is_better INTEGER NOT NULL,
  median REAL, mean REAL, stddev REAL, cv REAL, p10 REAL, p90 REAL, min REAL, max REAL,
  ci95_low REAL, ci95_high REAL, n INTEGER,
  PRIMARY KEY (case_pk, name)
) WITHOUT ROWID;
CREATE TABLE replicates (
  case_pk INTEGER NOT NULL REFERENCES cases ON DELETE CASCADE,
  round INTEGER NOT NULL,
  median_s REAL NOT NULL,
  PRIMARY KEY (case_pk, round)
) WITHOUT ROWID;
)sql";

// v2: the case's axis values and the qualify verdict with its checks.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE params (
  case_pk INTEGER NOT NULL REFERENCES cases ON DELETE CASCADE,
  axis TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (case_pk, axis)
) WITHOUT ROWID;
CREATE INDEX params_by_pair ON params (axis, value);
CREATE TABLE verdicts (
  run_pk INTEGER PRIMARY KEY REFERENCES runs ON DELETE CASCADE,
  overall TEXT NOT NULL,
  baseline TEXT, instance_type TEXT, evaluated_at TEXT
);
CREATE TABLE checks (
  run_pk INTEGER NOT NULL REFERENCES runs ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,
  value REAL, threshold REAL, unit TEXT,
  PRIMARY KEY (run_pk, seq)
) WITHOUT ROWID;
)sql";

// v3: a collective on one rank is followed by algbw (harness/case_figure.h): rows stored before
// named busbw, which is 0 there (undefined), so a series would mix 0 with algbw figures.
constexpr const char* kSchemaV3 = R"sql(
UPDATE cases SET primary_metric = 'algbw'
WHERE primary_metric = 'busbw'
  AND EXISTS (SELECT 1 FROM metrics m WHERE m.case_pk = cases.case_pk AND m.name = 'busbw' AND m.median = 0)
  AND EXISTS (SELECT 1 FROM metrics m WHERE m.case_pk = cases.case_pk AND m.name = 'algbw');
)sql";

// v4: the run's machine (MachineTypeOf, harness/results.h), the key of its series and of the
// baselines made from the history; filled for runs already stored from their run_json.
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE runs ADD COLUMN machine TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_by_machine ON runs (machine);
)sql";

// Fills the v2 tables of every stored run from its raw JSON (kept for exactly this).
// Calls `fill` with every stored run's run_pk and its results, read back from its raw JSON (kept
// for exactly this): how a migration fills what it adds for the runs already stored.
void BackfillFromJson(SqliteDb& db, void (*fill)(SqliteDb&, int64_t, const ResultsDoc&)) {
  SqliteStatement runs(db, "SELECT r.run_pk, j.json FROM runs r JOIN run_json j USING (run_pk)");
  while (runs.Step()) {
    const std::string origin = db.path() + ": run_json of run " + std::to_string(runs.Int(0));
    fill(db, runs.Int(0), ResultsFromJson(ParseJsonText(runs.Text(1), origin), origin));
  }
}

bool HasTable(SqliteDb& db, const std::string& name) {
  SqliteStatement s(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  s.Bind(1, name);
  return s.Step();
}

}  // namespace

const std::vector<HistoryMigration>& HistoryMigrations() {
  static const std::vector<HistoryMigration> steps = {
      {1, "runs, run_json, labels, devices, cases, metrics, replicates",
       [](SqliteDb& db) { db.Exec(kSchemaV1); }},
      {2, "params, verdicts, checks (filled from run_json)",
       [](SqliteDb& db) {
         db.Exec(kSchemaV2);
         BackfillFromJson(db, InsertRunRowsV2);
       }},
      {3, "single-rank collectives followed by algbw", [](SqliteDb& db) { db.Exec(kSchemaV3); }},
      {4, "runs.machine (filled from run_json)",
       [](SqliteDb& db) {
         db.Exec(kSchemaV4);
         BackfillFromJson(db, SetRunMachine);
       }},
  };
  return steps;
}

int HistorySchemaVersion(SqliteDb& db) {
  if (HasTable(db, "gpuqual_schema")) {
    auto v = db.QueryText("SELECT COALESCE(MAX(version), 0) FROM gpuqual_schema");
    return v ? std::stoi(*v) : 0;
  }
  SqliteStatement tables(db,
                         "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                         "name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 6");
  std::string names;
  int n = 0;
  while (tables.Step()) names += (n++ ? ", " : "") + tables.Text(0);
  if (n == 0) return 0;
  throw UsageError(db.path() + ": an SQLite database, but not a gpuqual history (tables " + names +
                   (n > 5 ? ", ..." : "") + "; no gpuqual_schema)");
}

int MigrateHistory(SqliteDb& db, const std::vector<HistoryMigration>& migrations) {
  const int target = migrations.empty() ? 0 : migrations.back().version;
  auto refuse_newer = [&](int found) {
    if (found > target) {
      throw UsageError(db.path() + ": history schema version " + std::to_string(found) +
                       " is newer than this gpuqual's " + std::to_string(target) +
                       " (use a newer gpuqual)");
    }
  };
  // Read in one snapshot (a deferred transaction, no write lock: nothing to do is common), so the
  // tables another process is creating are seen all or not at all, never a file that seems to hold
  // other tables but no gpuqual_schema.
  db.Exec("BEGIN");
  int seen = 0;
  try {
    seen = HistorySchemaVersion(db);
  } catch (...) {
    db.Exec("ROLLBACK");
    throw;
  }
  db.Exec("COMMIT");
  refuse_newer(seen);
  if (seen == target) return seen;
  SqliteTransaction t(db);
  const int found = HistorySchemaVersion(db);  // another process may have migrated meanwhile
  refuse_newer(found);
  if (!HasTable(db, "gpuqual_schema")) {
    db.Exec("CREATE TABLE gpuqual_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, "
            "tool TEXT NOT NULL, what TEXT NOT NULL)");
  }
  SqliteStatement log(db,
                      "INSERT INTO gpuqual_schema (version, applied_at, tool, what) VALUES "
                      "(?, ?, ?, ?)");
  for (const HistoryMigration& m : migrations) {
    if (m.version <= found) continue;
    m.apply(db);
    log.Reset();
    log.Bind(1, int64_t{m.version}).Bind(2, UtcTimestamp());
    log.Bind(3, "gpuqual " + ToolVersion() + " (" + ToolGitRevision() + ")").Bind(4, m.what).Run();
  }
  t.Commit();
  return found;
}

}  // namespace gq
