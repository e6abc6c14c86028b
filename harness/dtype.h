#pragma once
// The element types gpuqual uses, in one table (harness/dtype.cc): for each, its axis spelling,
// its size in memory, whether it is a floating-point type, and the key of the datasheet peak that
// bounds the flops done in it (DeviceSpec::peak_tflops in harness/system/device_specs.h, and
// Work::compute_dtype). A workload accepts a subset (its axis choices, e.g. kGemmDtypes) and
// parses with ParseDtype. The CUDA, NCCL and cuDNN type of each: harness/gpu/cuda_dtype.cuh.
// Dtype is a plain enum, usable from host and device code; the functions are host-only.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace gq {

enum class Dtype {
  kFp64,
  kFp32,
  kTf32,  // fp32 data, multiplied on tf32 tensor cores
  kBf16,
  kFp16,
  kFp8E4m3,
  kInt64,
  kInt32,
  kInt8,
  kUint8,
};

// Axis spelling: "fp64", "fp32", "tf32", "bf16", "fp16", "fp8_e4m3", "int64", "int32", "int8",
// "uint8".
const char* DtypeName(Dtype dtype);
// Bytes per element in memory (tf32: 4, its data is fp32).
size_t DtypeBytes(Dtype dtype);
bool DtypeIsFloat(Dtype dtype);
// The key of the datasheet peak that bounds work in this dtype: its name, except "fp8" for
// fp8_e4m3 (the peak tables name fp8 without its format). Integer types name peaks no table has.
const char* DtypePeakKey(Dtype dtype);

// The spellings of `choices`, in their order (a workload's axis choices).
std::vector<std::string> DtypeNames(std::span<const Dtype> choices);
// The dtype among `choices` spelled `name`; any other name throws UsageError
//   "<what>: unknown dtype '<name>' (choices: <the spellings of choices>)".
Dtype ParseDtype(const std::string& what, const std::string& name, std::span<const Dtype> choices);

}  // namespace gq
