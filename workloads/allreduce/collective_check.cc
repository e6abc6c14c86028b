#include "workloads/allreduce/collective_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "harness/float16.h"

namespace gq {
namespace {

// The exact-integer limit L of a float dtype: 2^(significand bits) (collective_values.h).
int64_t ExactLimit(Dtype dtype) {
  switch (dtype) {
    case Dtype::kBf16:
      return int64_t{1} << 8;
    case Dtype::kFp16:
      return int64_t{1} << 11;
    case Dtype::kFp32:
      return int64_t{1} << 24;
    case Dtype::kFp64:
      return int64_t{1} << 53;
    default:
      return std::numeric_limits<int64_t>::max();  // integers wrap exactly
  }
}

template <typename T>
void Store(void* out, int64_t k, T v) {
  std::memcpy(static_cast<char*>(out) + k * static_cast<int64_t>(sizeof(T)), &v, sizeof(T));
}

template <typename T>
T Load(const void* data, int64_t k) {
  T v;
  std::memcpy(&v, static_cast<const char*>(data) + k * static_cast<int64_t>(sizeof(T)), sizeof(T));
  return v;
}

std::string Figure(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", v);
  return text;
}

}  // namespace

ValuePattern ChooseValuePattern(CollectiveKind kind, Dtype dtype, CommOp op, int64_t ranks) {
  ValuePattern p;
  p.ranks = ranks;
  p.non_negative = dtype == Dtype::kUint8;
  const int64_t limit = ExactLimit(dtype);
  const bool exact_sum_needed =
      CollectiveReduces(kind) && op == CommOp::kSum && DtypeIsFloat(dtype);
  if (exact_sum_needed) {
    const int64_t a = std::min<int64_t>(8, limit / (2 * ranks));
    if (a >= 1) {
      p.index_amp = p.rank_amp = static_cast<int32_t>(a);
    } else {
      p.index_amp = 1;
      p.rank_amp = 0;
      p.stride = ranks <= limit ? 1 : (ranks + limit - 1) / limit;
    }
  }
  p.rank_sum = 0;
  p.rank_max = std::numeric_limits<int64_t>::min();
  p.rank_min = std::numeric_limits<int64_t>::max();
  for (int64_t r = 0; r < ranks; ++r) {
    const int64_t h = RankTerm(p, r);
    p.rank_sum += h;
    p.rank_max = std::max(p.rank_max, h);
    p.rank_min = std::min(p.rank_min, h);
  }
  return p;
}

void FillInputsHost(Dtype dtype, const ValuePattern& p, int64_t rank, void* out, int64_t n) {
  for (int64_t k = 0; k < n; ++k) {
    const int64_t v = InputValue(p, rank, k);
    switch (dtype) {
      case Dtype::kFp32:
        Store(out, k, static_cast<float>(v));
        break;
      case Dtype::kFp64:
        Store(out, k, static_cast<double>(v));
        break;
      case Dtype::kBf16:
        Store(out, k, FloatToBf16Bits(static_cast<float>(v)));
        break;
      case Dtype::kFp16:
        Store(out, k, FloatToHalfBits(static_cast<float>(v)));
        break;
      case Dtype::kInt32:
        Store(out, k, static_cast<int32_t>(v));
        break;
      case Dtype::kInt64:
        Store(out, k, v);
        break;
      case Dtype::kInt8:
        Store(out, k, static_cast<int8_t>(v));
        break;
      case Dtype::kUint8:
        Store(out, k, static_cast<uint8_t>(v));
        break;
      default:
        throw std::invalid_argument(std::string("collectives take no ") + DtypeName(dtype));
    }
  }
}

double DecodeElement(Dtype dtype, const void* data, int64_t k) {
  switch (dtype) {
    case Dtype::kFp32:
      return Load<float>(data, k);
    case Dtype::kFp64:
      return Load<double>(data, k);
    case Dtype::kBf16:
      return Bf16BitsToFloat(Load<uint16_t>(data, k));
    case Dtype::kFp16:
      return HalfBitsToFloat(Load<uint16_t>(data, k));
    case Dtype::kInt32:
      return Load<int32_t>(data, k);
    case Dtype::kInt64:
      return static_cast<double>(Load<int64_t>(data, k));
    case Dtype::kInt8:
      return Load<int8_t>(data, k);
    case Dtype::kUint8:
      return Load<uint8_t>(data, k);
    default:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double ElementRelError(double got, double expected) {
  const double err = std::fabs(got - expected) / std::max(1.0, std::fabs(expected));
  return std::isfinite(err) ? err : std::numeric_limits<double>::infinity();
}

WrongElements CountWrongElements(const CheckSpec& s, const void* out, int64_t n, int64_t offset) {
  WrongElements w;
  w.checked = n;
  for (int64_t k = 0; k < n; ++k) {
    const double got = DecodeElement(s.dtype, out, k);
    const double expected = static_cast<double>(ExpectedOutput(s, offset + k));
    if (got == expected) continue;  // false for NaN
    if (w.wrong++ == 0) {
      w.first_wrong = offset + k;
      w.got = got;
      w.expected = expected;
    }
    w.max_rel_err = std::max(w.max_rel_err, ElementRelError(got, expected));
  }
  return w;
}

void MergeWrongElements(WrongElements& into, const WrongElements& more) {
  if (into.first_wrong < 0 && more.first_wrong >= 0) {
    into.first_wrong = into.checked + more.first_wrong;
    into.got = more.got;
    into.expected = more.expected;
  }
  into.checked += more.checked;
  into.wrong += more.wrong;
  into.max_rel_err = std::max(into.max_rel_err, more.max_rel_err);
}

VerifyResult ToVerifyResult(const WrongElements& w, const std::string& what) {
  VerifyResult v;
  v.passed = w.wrong == 0;
  v.max_rel_err = w.max_rel_err;
  v.tolerance = 0;
  v.detail = "exact check of all " + std::to_string(w.checked) + " elements of " + what + ": " +
             std::to_string(w.wrong) + " wrong";
  if (w.wrong > 0) {
    v.detail += ", first at " + std::to_string(w.first_wrong) + " (got " + Figure(w.got) +
                ", expected " + Figure(w.expected) + ")";
  }
  return v;
}

}  // namespace gq
