#pragma once
// Wall-clock stamps and run identities, for every file gpuqual writes (results, baselines,
// verdicts, health snapshots). UTC throughout.
#include <string>

namespace gq {

// "2026-11-22T17:03:04Z" for now.
std::string UtcTimestamp();
// Unique run id "<yyyymmddThhmmssZ>-<hostname>-<6 hex>".
std::string NewRunId(const std::string& hostname);
// Why `id` cannot name a run (empty when it can): 1 to 128 characters of A-Z a-z 0-9 . _ -,
// not starting with . or - (it names the default results file).
std::string RunIdProblem(const std::string& id);
// "results/<run id>.json".
std::string ResultsPathOf(const std::string& run_id);
// The default results path of a new run, "results/<run id>.json" with `run_id` = NewRunId(hostname)
// (set), drawn again while a file of that name exists: runs started in the same second on one
// host (a CI matrix, one process per GPU) never write over each other's results.
std::string NewResultsPath(const std::string& hostname, std::string* run_id);

}  // namespace gq
