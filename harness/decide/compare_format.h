#pragma once
// Formats a CompareReport: a console table, Markdown for a CI job summary or PR comment, JUnit
// XML for CI test reporting (one testcase per row; regressed/failed/missing are failures, new
// cases are skipped), and JSON (schema gpuqual.compare/1). Formatting only: verdicts come from
// compare.cc.
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/decide/compare.h"

namespace gq {

void PrintCompareTable(std::ostream& out, const CompareReport& report);
std::string CompareMarkdown(const CompareReport& report);
std::string CompareJunit(const CompareReport& report);
nlohmann::ordered_json CompareJson(const CompareReport& report);

}  // namespace gq
