#include "harness/axis.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>

#include "harness/case_id.h"
#include "harness/errors.h"

namespace gq {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const std::string& Lookup(const Params& params, std::string_view axis) {
  for (const auto& [name, value] : params) {
    if (name == axis) return value;
  }
  throw std::out_of_range("case has no axis '" + std::string(axis) + "'");
}

}  // namespace

std::string CaseSpec::Id() const { return CaseId(workload, params); }

const std::string& CaseSpec::Get(std::string_view axis) const { return Lookup(params, axis); }

int64_t CaseSpec::GetInt(std::string_view axis) const {
  return ParseIntValue(axis, Lookup(params, axis));
}

bool CaseSpec::GetBool(std::string_view axis) const {
  return ParseBoolValue(axis, Lookup(params, axis));
}

int64_t ParseIntValue(std::string_view axis, std::string_view text) {
  auto bad = [&](const std::string& why) {
    return UsageError("axis '" + std::string(axis) + "': '" + std::string(text) + "' " + why);
  };
  if (text.empty()) throw bad("is not an integer");
  std::size_t digits = 0;
  bool negative = text[0] == '-';
  std::size_t pos = negative ? 1 : 0;
  int64_t value = 0;
  for (; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos, ++digits) {
    int d = text[pos] - '0';
    if (value > (std::numeric_limits<int64_t>::max() - d) / 10) throw bad("is out of range");
    value = value * 10 + d;
  }
  if (digits == 0) throw bad("is not an integer");
  int shift = 0;
  if (pos < text.size()) {
    switch (text[pos]) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      default: throw bad("is not an integer (suffixes: K, M, G)");
    }
    ++pos;
    if (pos != text.size()) throw bad("is not an integer (suffixes: K, M, G)");
  }
  if (shift > 0 && value > (std::numeric_limits<int64_t>::max() >> shift)) throw bad("is out of range");
  value <<= shift;
  return negative ? -value : value;
}

bool ParseBoolValue(std::string_view axis, std::string_view text) {
  std::string t = Lower(text);
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  throw UsageError("axis '" + std::string(axis) + "': '" + std::string(text) +
                   "' is not a boolean (true/false)");
}

std::string NormaliseAxisValue(const std::string& workload, const AxisSpec& axis,
                               std::string_view value) {
  switch (axis.kind) {
    case AxisKind::kInt:
      return std::to_string(ParseIntValue(workload + "." + axis.name, value));
    case AxisKind::kBool:
      return ParseBoolValue(workload + "." + axis.name, value) ? "true" : "false";
    case AxisKind::kString:
      break;
  }
  if (value.empty()) throw UsageError("axis '" + workload + "." + axis.name + "': empty value");
  if (!axis.choices.empty() &&
      std::find(axis.choices.begin(), axis.choices.end(), value) == axis.choices.end()) {
    std::string allowed;
    for (const auto& c : axis.choices) allowed += (allowed.empty() ? "" : ", ") + c;
    throw UsageError("axis '" + workload + "." + axis.name + "': '" + std::string(value) +
                     "' is not one of: " + allowed);
  }
  return std::string(value);
}

std::vector<CaseSpec> ExpandCases(const std::string& workload, const std::vector<AxisSpec>& axes,
                                  const std::map<std::string, std::vector<std::string>>& overrides) {
  for (const auto& entry : overrides) {
    const std::string& name = entry.first;  // a plain reference: lambdas cannot capture bindings before clang 16
    bool known = std::any_of(axes.begin(), axes.end(), [&](const AxisSpec& a) { return a.name == name; });
    if (!known) {
      std::string names;
      for (const auto& a : axes) names += (names.empty() ? "" : ", ") + a.name;
      throw UsageError("workload '" + workload + "' has no axis '" + name + "' (axes: " + names + ")");
    }
    if (entry.second.empty()) throw UsageError("axis '" + workload + "." + name + "': no values given");
  }
  std::vector<std::vector<std::string>> columns;
  for (const auto& axis : axes) {
    auto it = overrides.find(axis.name);
    const auto& raw = it != overrides.end() ? it->second : axis.defaults;
    std::vector<std::string> values;
    for (const auto& v : raw) {
      std::string n = NormaliseAxisValue(workload, axis, v);
      if (std::find(values.begin(), values.end(), n) == values.end()) values.push_back(n);
    }
    columns.push_back(std::move(values));
  }
  std::vector<CaseSpec> cases;
  std::vector<std::size_t> index(axes.size(), 0);
  if (std::any_of(columns.begin(), columns.end(), [](const auto& c) { return c.empty(); })) return cases;
  while (true) {
    CaseSpec spec{workload, {}};
    for (std::size_t a = 0; a < axes.size(); ++a) spec.params.emplace_back(axes[a].name, columns[a][index[a]]);
    cases.push_back(std::move(spec));
    // Odometer increment, last axis fastest.
    std::size_t a = axes.size();
    while (a > 0) {
      --a;
      if (++index[a] < columns[a].size()) break;
      index[a] = 0;
      if (a == 0) return cases;
    }
    if (axes.empty()) return cases;
  }
}

std::pair<std::string, std::vector<std::string>> ParseAxisAssignment(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw UsageError("axis assignment '" + std::string(text) + "' is not AXIS=V1[,V2...]");
  }
  std::string name(text.substr(0, eq));
  std::vector<std::string> values;
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    if (part.empty()) throw UsageError("axis assignment '" + std::string(text) + "' has an empty value");
    values.emplace_back(part);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return {name, values};
}

}  // namespace gq
