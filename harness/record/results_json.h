#pragma once
// JSON form of a results file (schema gpuqual.results/1; DESIGN.md §6) and its file I/O.
//
// Writing is atomic: the document goes to "<path>.tmp.<pid>" and is renamed over <path>, so a
// reader (or an interrupted run) never sees a half-written file.
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

// Writes `text` to `path` atomically (temp file + rename); throws std::runtime_error on failure.
void WriteFileAtomic(const std::string& path, const std::string& text);

// Parses a JSON file, throwing UsageError naming the file when it cannot be read or parsed.
nlohmann::ordered_json ReadJsonFile(const std::string& path);

}  // namespace gq
