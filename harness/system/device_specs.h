#pragma once
// Datasheet figures per GPU SKU (DESIGN.md §4), each with its source in device_specs.cc.
// SKUs differ in ways the name alone hides (H100 SXM vs PCIe vs NVL): MatchSku uses the CUDA
// device name and total memory, and returns nullptr ("unknown SKU") rather than guess.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gq {

struct DeviceSpec {
  std::string sku;      // stable key, e.g. "h100-sxm-80gb"; baselines are named after it
  std::string display;  // "NVIDIA H100 SXM5 80GB"
  // Dense (no sparsity) tensor/vector peaks in TFLOP/s, keyed by dtype:
  // "fp64", "fp32", "tf32", "bf16", "fp16", "fp8" (absent = not supported). "fp64" is the
  // FP64 Tensor Core peak where the GPU has one (what DGEMM can reach), and "fp64_vector" then
  // holds the non-tensor FP64 peak; "fp32" is non-tensor FP32 (conventions in device_specs.cc).
  std::map<std::string, double> peak_tflops;
  double memory_bandwidth_gbs = 0;  // HBM/GDDR datasheet GB/s
  double interconnect_gbs = 0;      // NVLink per GPU per direction GB/s; 0 = none
  std::string source;               // datasheet the figures come from
};

// Matches a CUDA device name (cudaDeviceProp::name) and its total memory in bytes.
const DeviceSpec* MatchSku(const std::string& device_name, uint64_t memory_bytes);
// The spec with this sku key, or nullptr.
const DeviceSpec* FindSku(const std::string& sku);
const std::vector<DeviceSpec>& AllSkus();
// Peak TFLOP/s for a compute dtype ("bf16", "fp8", ...); 0 when the SKU has none for it.
double PeakTflops(const DeviceSpec& spec, const std::string& dtype);

}  // namespace gq
