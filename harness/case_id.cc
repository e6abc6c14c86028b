#include "harness/case_id.h"

namespace gq {
namespace {

bool IsAutomatic(std::string_view workload, std::string_view axis, std::string_view value) {
  const char* automatic = AutomaticAxisValue(workload, axis);
  return automatic != nullptr && value == automatic;
}

}  // namespace

const char* AutomaticAxisValue(std::string_view workload, std::string_view axis) {
  for (const AutomaticAxis& a : kAutomaticAxes) {
    if (workload == a.workload && axis == a.axis) return a.value;
  }
  return nullptr;
}

std::string CaseId(std::string_view workload, const Params& params) {
  std::string id(workload);
  for (const auto& [name, value] : params) {
    if (!IsAutomatic(workload, name, value)) id += "/" + name + "=" + value;
  }
  return id;
}

std::string CanonicalCaseId(std::string_view id) {
  const std::size_t first = id.find('/');
  if (first == std::string_view::npos) return std::string(id);
  const std::string_view workload = id.substr(0, first);
  std::string out(workload);
  std::size_t start = first + 1;
  while (start <= id.size()) {
    std::size_t end = id.find('/', start);
    if (end == std::string_view::npos) end = id.size();
    const std::string_view segment = id.substr(start, end - start);
    const std::size_t eq = segment.find('=');
    const bool drop = eq != std::string_view::npos &&
                      IsAutomatic(workload, segment.substr(0, eq), segment.substr(eq + 1));
    if (!drop) {
      out += '/';
      out += segment;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace gq
