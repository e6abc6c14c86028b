#include "harness/dtype.h"

#include <stdexcept>

#include "harness/errors.h"

namespace gq {
namespace {

struct DtypeRow {
  Dtype dtype;
  const char* name;
  size_t bytes;
  bool is_float;
  const char* peak_key;
};

// clang-format off
constexpr DtypeRow kTable[] = {
    // dtype          name        bytes  float  peak key
    {Dtype::kFp64,    "fp64",     8,     true,  "fp64"},
    {Dtype::kFp32,    "fp32",     4,     true,  "fp32"},
    {Dtype::kTf32,    "tf32",     4,     true,  "tf32"},
    {Dtype::kBf16,    "bf16",     2,     true,  "bf16"},
    {Dtype::kFp16,    "fp16",     2,     true,  "fp16"},
    {Dtype::kFp8E4m3, "fp8_e4m3", 1,     true,  "fp8"},
    {Dtype::kInt64,   "int64",    8,     false, "int64"},
    {Dtype::kInt32,   "int32",    4,     false, "int32"},
    {Dtype::kInt8,    "int8",     1,     false, "int8"},
    {Dtype::kUint8,   "uint8",    1,     false, "uint8"},
};
// clang-format on

const DtypeRow& Row(Dtype dtype) {
  for (const DtypeRow& row : kTable) {
    if (row.dtype == dtype) return row;
  }
  throw std::logic_error("Dtype " + std::to_string(static_cast<int>(dtype)) + " not in the table");
}

}  // namespace

const char* DtypeName(Dtype dtype) { return Row(dtype).name; }
size_t DtypeBytes(Dtype dtype) { return Row(dtype).bytes; }
bool DtypeIsFloat(Dtype dtype) { return Row(dtype).is_float; }
const char* DtypePeakKey(Dtype dtype) { return Row(dtype).peak_key; }

std::vector<std::string> DtypeNames(std::span<const Dtype> choices) {
  std::vector<std::string> names;
  for (Dtype d : choices) names.emplace_back(DtypeName(d));
  return names;
}

Dtype ParseDtype(const std::string& what, const std::string& name, std::span<const Dtype> choices) {
  std::string listed;
  for (Dtype d : choices) {
    if (name == DtypeName(d)) return d;
    listed += (listed.empty() ? "" : ", ") + std::string(DtypeName(d));
  }
  throw UsageError(what + ": unknown dtype '" + name + "' (choices: " + listed + ")");
}

}  // namespace gq
