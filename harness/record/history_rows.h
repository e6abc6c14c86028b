#pragma once
// The rows one results document becomes in the history database (layout in
// harness/record/history_schema.h). Each function writes inside the caller's transaction and
// throws the database's errors (harness/record/sqlite_db.h); none commits.
#include <cstdint>
#include <string>

#include "harness/record/sqlite_db.h"
#include "harness/results.h"

namespace gq {

// Every row of the run (schema v4): runs, run_json (`raw_json`, the results file's text),
// labels, devices, cases, metrics, replicates, params, verdicts and checks. `source` says where
// the run came from (a file path, or "gpuqual run"). Returns the run's run_pk.
int64_t InsertRunRows(SqliteDb& db, const ResultsDoc& doc, const std::string& raw_json,
                      const std::string& source);

// The v1 rows of the run (every table but params, verdicts and checks). Used by InsertRunRows
// and by the migration tests that build a v1 database.
int64_t InsertRunRowsV1(SqliteDb& db, const ResultsDoc& doc, const std::string& raw_json,
                        const std::string& source);

// The rows schema v2 added, for a run whose v1 rows exist: each case's params (found by run_pk,
// case id and device) and the verdict with its checks. The v2 migration calls it for every
// stored run, from its run_json.
void InsertRunRowsV2(SqliteDb& db, int64_t run_pk, const ResultsDoc& doc);

// The column schema v4 added: runs.machine = MachineTypeOf(doc). The v4 migration calls it for
// every stored run, from its run_json.
void SetRunMachine(SqliteDb& db, int64_t run_pk, const ResultsDoc& doc);

}  // namespace gq
