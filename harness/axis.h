#pragma once
// Axes of a workload and the cases they expand into.
//
// A workload declares its axes in order (AxisSpec). A run may override any axis with a list of
// values (`-a m=1024,2048`). ExpandCases forms the cartesian product in declaration order, the
// last axis varying fastest, and validates every value against the axis kind and choices.
// A case id is "workload/axis=value/..." in declaration order, axes at their automatic value left
// out (harness/case_id.h): the stable key that baselines and comparisons join on.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gq {

enum class AxisKind { kString, kInt, kBool };

struct AxisSpec {
  std::string name;
  AxisKind kind = AxisKind::kString;
  std::vector<std::string> defaults;  // values used when the run does not override the axis
  std::vector<std::string> choices;   // allowed values for kString axes; empty = any
  std::string help;
};

using Params = std::vector<std::pair<std::string, std::string>>;  // in axis declaration order

struct CaseSpec {
  std::string workload;
  Params params;

  std::string Id() const;  // CaseId(workload, params), harness/case_id.h
  // Accessors throw std::out_of_range for an axis the case does not have (a programming error).
  const std::string& Get(std::string_view axis) const;
  int64_t GetInt(std::string_view axis) const;
  bool GetBool(std::string_view axis) const;
};

// Parses an integer axis value: decimal digits with an optional binary suffix K, M, G (x1024^n),
// e.g. "8192", "64K", "1G". Throws UsageError naming the axis on anything else or on overflow.
int64_t ParseIntValue(std::string_view axis, std::string_view text);
// Parses "true/false/1/0/yes/no/on/off"; throws UsageError naming the axis otherwise.
bool ParseBoolValue(std::string_view axis, std::string_view text);

// Normalises one value for an axis (ints and bools to canonical text), throwing UsageError when
// it does not fit the axis kind or its choices.
std::string NormaliseAxisValue(const std::string& workload, const AxisSpec& axis,
                               std::string_view value);

// Overrides: axis name -> values. Throws UsageError for an axis the workload does not have or a
// value that does not fit. Returns the cartesian product of the (overridden) axis values.
std::vector<CaseSpec> ExpandCases(const std::string& workload, const std::vector<AxisSpec>& axes,
                                  const std::map<std::string, std::vector<std::string>>& overrides);

// Splits "AXIS=V1,V2" into (AXIS, {V1, V2}); throws UsageError on a missing '=' or empty part.
std::pair<std::string, std::vector<std::string>> ParseAxisAssignment(std::string_view text);

}  // namespace gq
