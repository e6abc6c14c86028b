#pragma once
// JSON form of a results file (schema gpuqual.results/1; DESIGN.md §6) and its file I/O.
//
// Files are written and read through harness/record/file_io.h: a write never leaves a half-written
// file (temporary + fsync + rename), a read limits nesting and names the file in every error.
// Reading validates the schema identifier (a different major version is refused) and every key
// readers rely on; errors are UsageError whose one-line message names the file and the problem.
#include <string>

#include <nlohmann/json.hpp>

#include "harness/results.h"

namespace gq {

nlohmann::ordered_json ResultsToJson(const ResultsDoc& doc);
// `origin` names the input in error messages (a file path).
ResultsDoc ResultsFromJson(const nlohmann::ordered_json& j, const std::string& origin);

void WriteResultsFile(const std::string& path, const ResultsDoc& doc);
ResultsDoc ReadResultsFile(const std::string& path);

}  // namespace gq
