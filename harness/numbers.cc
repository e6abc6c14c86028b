#include "harness/numbers.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>

#include "harness/errors.h"

namespace gq {
namespace {

// The shortest text that reads back as `v` (integers without an exponent).
std::string Shortest(double v) {
  char buf[48];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", v);
  double back = 0;
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::sscanf(buf, "%lf", &back) == 1 && back == v) break;
  }
  return buf;
}

}  // namespace

std::string RangeText(NumberRange r) {
  return std::string(r.lo_open ? "(" : "[") + Shortest(r.lo) + ", " + Shortest(r.hi) + "]";
}

double CheckNumber(const std::string& what, double value, NumberRange r) {
  const bool above_lo = r.lo_open ? value > r.lo : value >= r.lo;
  if (!std::isfinite(value) || !above_lo || !(value <= r.hi)) {
    throw UsageError(what + ": must be a number in " + RangeText(r) + " (got " + Shortest(value) + ")");
  }
  return value;
}

double ParseNumber(const std::string& what, const std::string& text, NumberRange range) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || std::isspace(static_cast<unsigned char>(text[0]))) {
    throw UsageError(what + ": '" + text + "' is not a number");
  }
  return CheckNumber(what, value, range);
}

int64_t CheckInteger(const std::string& what, double value, int64_t lo, int64_t hi) {
  if (!std::isfinite(value) || value != std::floor(value) || value < double(lo) || value > double(hi)) {
    throw UsageError(what + ": must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                     "] (got " + Shortest(value) + ")");
  }
  return static_cast<int64_t>(value);
}

}  // namespace gq
