#pragma once
// The one rule for numbers gpuqual reads from flags and files (DESIGN.md §9): finite and inside a
// stated range, or a UsageError that names the input and the range, e.g.
//   "--max-time: must be a number in (0, 86400] (got nan)"
//   "s.json: measure.min_samples: must be an integer in [1, 1000000] (got 4294967301)"
// Flags are checked after parsing (CLI11 takes "nan" and "inf" for a double); JSON files through
// JsonFields::NumIn / IntIn, which call these with "FILE: PATH.KEY" as the name.
#include <cstdint>
#include <string>

namespace gq {

struct NumberRange {
  double lo = 0, hi = 0;
  bool lo_open = false;  // (lo, hi] instead of [lo, hi]
};

double CheckNumber(const std::string& what, double value, NumberRange range);
// A number written in text (a part of a flag such as --tolerance-for gemm=5): the whole text must
// be the number ("5x", "", "0x1p3" with trailing junk are refused), then CheckNumber.
double ParseNumber(const std::string& what, const std::string& text, NumberRange range);
int64_t CheckInteger(const std::string& what, double value, int64_t lo, int64_t hi);

// "[1, 1000000]", "(0, 86400]".
std::string RangeText(NumberRange range);

}  // namespace gq
