#pragma once
// Case ids (DESIGN.md §6): "workload/axis=value/..." over the case's axes in declaration order,
// leaving out every axis at its automatic value, the value that says "derive it from the rest"
// (kAutomaticAxes: e2e's shape overrides layers, hidden, heads, kv_heads, ffn, vocab = 0, the
// model preset's; attention's kv_heads = 0, as many as heads, and seq_kv = 0, as long as seq_q).
// The id is the key baselines, compare, qualify and reports join on, so it says only what the
// case was asked to be: "e2e/model=tiny/.../tp=1", not ".../tp=1/layers=0/hidden=0/...".
//
// Older files spell automatic axes out. CanonicalCaseId maps any id to today's form by dropping
// each "axis=value" segment whose axis is automatic for the id's workload and whose value is the
// automatic one; every other segment is kept as it is. CaseId builds ids with the same rule, and
// every reader of ids (results and baseline files; reports' Python mirrors the table in
// reports/gpuqual_reports/case_id.py) passes them through CanonicalCaseId, so a case measured
// before and after the change joins on one id. The mapping is idempotent.
//
// The table is the one place that names automatic values; it lives here, below the workloads,
// because readers of files must apply it without the workloads (a unit test checks it against
// their axis declarations, and `gpuqual list` shows it).
#include <string>
#include <string_view>

#include "harness/axis.h"

namespace gq {

struct AutomaticAxis {
  const char* workload;
  const char* axis;
  const char* value;  // the automatic value, in normalised form (ints as decimal digits)
};

// Every automatic axis, by workload.
inline constexpr AutomaticAxis kAutomaticAxes[] = {
    {"attention", "kv_heads", "0"}, {"attention", "seq_kv", "0"},
    {"e2e", "layers", "0"},         {"e2e", "hidden", "0"},
    {"e2e", "heads", "0"},          {"e2e", "kv_heads", "0"},
    {"e2e", "ffn", "0"},            {"e2e", "vocab", "0"},
};

// The automatic value of an axis, or nullptr when the axis has none.
const char* AutomaticAxisValue(std::string_view workload, std::string_view axis);

// The id of a case: workload, then "/axis=value" per parameter in order, automatic ones left out.
std::string CaseId(std::string_view workload, const Params& params);

// An id as written by any version of gpuqual, in today's form (see above).
std::string CanonicalCaseId(std::string_view id);

}  // namespace gq
