#pragma once
// Formats a CompareReport: a console table, Markdown for a CI job summary or PR comment, JUnit
// XML for CI test reporting (one testcase per row; regressed, failed and missing are failures,
// and inconclusive with --fail-on-inconclusive; new, missing when allowed and inconclusive cases
// are skipped), and JSON (schema gpuqual.compare/2: rows carry baseline_figure, candidate_figure
// (judged_figure.h) and replicates, where /1 had the two medians and "runs"). Every format states
// the sign convention and shows each side's between-run noise (CV of its replicates) and replicate count, as nvbench's
// compare shows noise; rows come in the report's order (by severity). Formatting only: verdicts
// come from compare.cc.
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/decide/compare.h"

namespace gq {

inline constexpr const char* kSignConvention =
    "baseline, candidate: each side's figure at the geometric mean of its replicates (one per round of "
    "each run); change = candidate vs baseline in the metric's better direction: + is better, - is worse; "
    "CI: the change's 1 - alpha interval from the between-replicate spread; noise: between-replicate CV "
    "(baseline / candidate); reps: replicates (baseline / candidate)";

// "PASS"; "FAIL (2 regressed, 1 missing)": what failed the gate (ExitCode 1); or "NO DECISION
// (6 inconclusive: ...)" when it passes but no case was decided either way (every one too noisy,
// new or missing-but-allowed): a pull-request comment must not read PASS when nothing was checked.
std::string CompareHeadline(const CompareReport& report);

// The console table: "candidate C against baseline B" (when the report names them), the sign
// convention, a row per case with its reason under it, the counts and notes.
void PrintCompareTable(std::ostream& out, const CompareReport& report);
std::string CompareMarkdown(const CompareReport& report);
std::string CompareJunit(const CompareReport& report);
nlohmann::ordered_json CompareJson(const CompareReport& report);

}  // namespace gq
