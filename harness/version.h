#pragma once
// Tool identity and the results/baseline schema identifiers (mirrored in reports/gpuqual_reports/schema.py).
#include <string>

namespace gq {

inline constexpr const char* kResultsSchema = "gpuqual.results/1";
inline constexpr const char* kResultsSchemaPrefix = "gpuqual.results/";
inline constexpr int kResultsSchemaMajor = 1;

// Version of the gpuqual build ("0.1.0") and its git revision ("unknown" outside a checkout).
const std::string& ToolVersion();
const std::string& ToolGitRevision();

}  // namespace gq
