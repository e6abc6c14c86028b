#pragma once
// Wall-clock stamps and run identities, for every file gpuqual writes (results, baselines,
// verdicts, health snapshots). UTC throughout.
#include <string>

namespace gq {

// "2026-11-22T17:03:04Z" for now.
std::string UtcTimestamp();
// Unique run id "<yyyymmddThhmmssZ>-<hostname>-<6 hex>".
std::string NewRunId(const std::string& hostname);
// Default results path "results/<yyyymmddThhmmssZ>-<hostname>.json".
std::string DefaultResultsPath(const std::string& hostname);

}  // namespace gq
