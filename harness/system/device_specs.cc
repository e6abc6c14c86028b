// The SKU table (contract in device_specs.h).
//
// Conventions for every figure below:
//  - TFLOP/s are dense: NVIDIA datasheets print tensor figures "with sparsity" (marked *);
//    dense = sparse / 2, as their footnotes say ("Specifications 1/2 lower without sparsity").
//  - "fp64" is the FP64 Tensor Core (DMMA) peak where the GPU has one (A100, H100, H200, GH200,
//    B200): that is what a DGEMM can reach, so it is the bound for the sanity guard and roofline.
//    "fp64_vector" is the non-tensor FP64 peak on those GPUs. GA102/AD10x parts (A10, L4, L40S)
//    have no FP64 tensor path and their datasheets omit FP64; their "fp64" is derived as
//    fp32 / 64 from the CUDA C++ Programming Guide throughput table (compute capability 8.6 and
//    8.9: 2 FP64 vs 128 FP32 results per clock per SM).
//  - "fp32" is the non-tensor FP32 (FFMA) peak; "tf32", "bf16", "fp16", "fp8" are tensor peaks
//    with FP32 accumulation.
//  - memory_bandwidth_gbs is the datasheet DRAM figure in GB/s (1e9 B/s);
//    interconnect_gbs is NVLink per GPU per direction = datasheet total (bidirectional) / 2.
//
// Matching (MatchSku): the CUDA name is lowercased and split into tokens at every character
// that is not a letter or digit ("NVIDIA A100-SXM4-80GB" -> nvidia, a100, sxm4, 80gb). A rule
// matches when one token equals its model token (so "l4" does not match "L40S", "h200" does
// not match "GH200"), every `require` string occurs in the lowercased name, no `forbid` string
// does (A100 names carry their size, so a name saying "40GB" never matches an 80GB rule),
// and the memory lies in [0.90, 1.01] x the nominal size taken as GiB. The window covers
// what devices report: totalGlobalMem is below the nominal size (H100 SXM 80GB reports
// 85,031,714,816 B = 79.19 GiB; H200 ~139.8 GiB of "141GB"; GDDR6 with ECC on, e.g. L4, loses
// ~6%). MIG slices report their slice's memory and so match nothing. Exactly one matching rule
// gives its spec; none or several give nullptr.
#include "harness/system/device_specs.h"

#include <algorithm>
#include <cctype>

namespace gq {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kMinMemoryFraction = 0.90;
constexpr double kMaxMemoryFraction = 1.01;

struct MatchRule {
  std::string model_token;           // lowercase token that must appear
  std::vector<std::string> require;  // lowercase substrings that must appear
  std::vector<std::string> forbid;   // lowercase substrings that must not appear
  double nominal_gib = 0;
};

struct SkuEntry {
  DeviceSpec spec;
  MatchRule rule;
};

// Datasheets cited below (NVIDIA unless noted):
//  [H100]  "NVIDIA H100 Tensor Core GPU" datasheet (H100 SXM / H100 NVL columns) and
//          "NVIDIA H100 Tensor Core GPU" product datasheet with the H100 PCIe column.
//  [H100W] "NVIDIA H100 Tensor Core GPU Architecture" whitepaper (unrounded H100 SXM5 peaks).
//  [H200]  "NVIDIA H200 Tensor Core GPU" datasheet (H200 SXM / H200 NVL columns).
//  [GH200] "NVIDIA GH200 Grace Hopper Superchip" datasheet (96GB HBM3 and 144GB HBM3e).
//  [A100]  "NVIDIA A100 Tensor Core GPU" datasheet (40GB/80GB, PCIe/SXM columns).
//  [L40S]  "NVIDIA L40S GPU" datasheet.   [L4] "NVIDIA L4 Tensor Core GPU" datasheet.
//  [A10]   "NVIDIA A10 Tensor Core GPU" datasheet.
//  [HGXB200] HGX B200 specifications (nvidia.com/data-center/hgx, per-GPU column);
//  [DGXB200] "NVIDIA DGX B200" datasheet (8 GPUs).
// Formatting kept by hand: one SKU per paragraph reads better than one value per line.
// clang-format off
std::vector<SkuEntry> BuildTable() {
  return {
      // [H100W]: FP64 33.5, FP64 TC 66.9, FP32 66.9, TF32 494.7, BF16/FP16 989.4, FP8 1978.9
      // (dense); [H100]: 3.35 TB/s HBM3, NVLink 900 GB/s.
      {{"h100-sxm-80gb", "NVIDIA H100 SXM5 80GB",
        {{"fp64", 66.9}, {"fp64_vector", 33.5}, {"fp32", 66.9}, {"tf32", 494.7},
         {"bf16", 989.4}, {"fp16", 989.4}, {"fp8", 1978.9}},
        3350, 450, "NVIDIA H100 datasheet (SXM); H100 architecture whitepaper"},
       {"h100", {}, {"pcie", "nvl", "mig"}, 80}},
      // [H100] PCIe column: FP64 26, FP64 TC 51, FP32 51, TF32 756*, BF16/FP16 1,513*,
      // FP8 3,026*; 2 TB/s HBM2e; NVLink bridge 600 GB/s (only with the optional bridge).
      {{"h100-pcie-80gb", "NVIDIA H100 PCIe 80GB",
        {{"fp64", 51}, {"fp64_vector", 26}, {"fp32", 51}, {"tf32", 378}, {"bf16", 756.5},
         {"fp16", 756.5}, {"fp8", 1513}},
        2000, 300, "NVIDIA H100 datasheet (PCIe)"},
       {"h100", {"pcie"}, {"mig"}, 80}},
      // [H100] NVL column (per GPU): FP64 30, FP64 TC 60, FP32 60, TF32 835*, BF16/FP16 1,671*,
      // FP8 3,341*; 94GB HBM3 at 3.9 TB/s; NVLink bridge 600 GB/s. (The 2023 datasheet gave
      // per-pair figures at SXM clocks; the current one gives these per-GPU figures.)
      {{"h100-nvl-94gb", "NVIDIA H100 NVL 94GB",
        {{"fp64", 60}, {"fp64_vector", 30}, {"fp32", 60}, {"tf32", 417.5}, {"bf16", 835.5},
         {"fp16", 835.5}, {"fp8", 1670.5}},
        3900, 300, "NVIDIA H100 datasheet (NVL)"},
       {"h100", {"nvl"}, {"mig"}, 94}},
      // [H200] SXM column: the H100 SXM compute figures (FP64 34, FP64 TC 67, FP32 67,
      // TF32 989*, BF16/FP16 1,979*, FP8 3,958*), written at [H100W] precision; 141GB HBM3e at
      // 4.8 TB/s; NVLink 900 GB/s.
      {{"h200-sxm-141gb", "NVIDIA H200 SXM 141GB",
        {{"fp64", 66.9}, {"fp64_vector", 33.5}, {"fp32", 66.9}, {"tf32", 494.7},
         {"bf16", 989.4}, {"fp16", 989.4}, {"fp8", 1978.9}},
        4800, 450, "NVIDIA H200 datasheet (SXM)"},
       {"h200", {}, {"nvl", "mig"}, 141}},
      // [H200] NVL column: FP64 30, FP64 TC 60, FP32 60, TF32 835*, BF16/FP16 1,671*,
      // FP8 3,341*; 141GB at 4.8 TB/s; 2- or 4-way NVLink bridge 900 GB/s.
      {{"h200-nvl-141gb", "NVIDIA H200 NVL 141GB",
        {{"fp64", 60}, {"fp64_vector", 30}, {"fp32", 60}, {"tf32", 417.5}, {"bf16", 835.5},
         {"fp16", 835.5}, {"fp8", 1670.5}},
        4800, 450, "NVIDIA H200 datasheet (NVL)"},
       {"h200", {"nvl"}, {"mig"}, 141}},
      // [GH200]: FP64 34, FP64 TC 67, FP32 67, TF32 494 | 989*, BF16/FP16 990 | 1,979*,
      // FP8 1,979 | 3,958*; 96GB HBM3 at 4 TB/s or 144GB HBM3e at 4.9 TB/s. The Hopper GPU keeps
      // 18 NVLink4 links (900 GB/s, used through NVLink Switch in GH200 NVL32); NVLink-C2C
      // (900 GB/s to the Grace CPU) is not GPU-GPU and is not counted. CUDA names: "NVIDIA GH200
      // 480GB" (96GB HBM3 + 480GB LPDDR5X), "NVIDIA GH200 144G HBM3e".
      {{"gh200-96gb", "NVIDIA GH200 96GB HBM3",
        {{"fp64", 67}, {"fp64_vector", 34}, {"fp32", 67}, {"tf32", 494}, {"bf16", 990},
         {"fp16", 990}, {"fp8", 1979}},
        4000, 450, "NVIDIA GH200 Grace Hopper Superchip datasheet (HBM3)"},
       {"gh200", {}, {"mig"}, 96}},
      {{"gh200-144gb", "NVIDIA GH200 144GB HBM3e",
        {{"fp64", 67}, {"fp64_vector", 34}, {"fp32", 67}, {"tf32", 494}, {"bf16", 990},
         {"fp16", 990}, {"fp8", 1979}},
        4900, 450, "NVIDIA GH200 Grace Hopper Superchip datasheet (HBM3e)"},
       {"gh200", {}, {"mig"}, 144}},
      // [A100], every column: FP64 9.7, FP64 TC 19.5, FP32 19.5, TF32 156 | 312*,
      // BF16/FP16 312 | 624*; no FP8. Bandwidth: 40GB PCIe 1,555, 80GB PCIe 1,935,
      // 40GB SXM 1,555, 80GB SXM 2,039 GB/s. NVLink 600 GB/s (SXM; PCIe via a 2-GPU bridge).
      {{"a100-sxm-40gb", "NVIDIA A100 SXM4 40GB",
        {{"fp64", 19.5}, {"fp64_vector", 9.7}, {"fp32", 19.5}, {"tf32", 156}, {"bf16", 312},
         {"fp16", 312}},
        1555, 300, "NVIDIA A100 datasheet (40GB SXM)"},
       {"a100", {"sxm"}, {"mig", "80gb"}, 40}},
      {{"a100-sxm-80gb", "NVIDIA A100 SXM4 80GB",
        {{"fp64", 19.5}, {"fp64_vector", 9.7}, {"fp32", 19.5}, {"tf32", 156}, {"bf16", 312},
         {"fp16", 312}},
        2039, 300, "NVIDIA A100 datasheet (80GB SXM)"},
       {"a100", {"sxm"}, {"mig", "40gb"}, 80}},
      {{"a100-pcie-40gb", "NVIDIA A100 PCIe 40GB",
        {{"fp64", 19.5}, {"fp64_vector", 9.7}, {"fp32", 19.5}, {"tf32", 156}, {"bf16", 312},
         {"fp16", 312}},
        1555, 300, "NVIDIA A100 datasheet (40GB PCIe)"},
       {"a100", {"pcie"}, {"mig", "80gb"}, 40}},
      {{"a100-pcie-80gb", "NVIDIA A100 PCIe 80GB",
        {{"fp64", 19.5}, {"fp64_vector", 9.7}, {"fp32", 19.5}, {"tf32", 156}, {"bf16", 312},
         {"fp16", 312}},
        1935, 300, "NVIDIA A100 datasheet (80GB PCIe)"},
       {"a100", {"pcie"}, {"mig", "40gb"}, 80}},
      // [L40S]: FP32 91.6, TF32 183 | 366*, BF16/FP16 362.05 | 733*, FP8 733 | 1,466*;
      // 48GB GDDR6 (ECC) at 864 GB/s; no NVLink. FP64 = 91.6 / 64 (see top).
      {{"l40s", "NVIDIA L40S 48GB",
        {{"fp64", 1.43}, {"fp32", 91.6}, {"tf32", 183}, {"bf16", 362.05}, {"fp16", 362.05},
         {"fp8", 733}},
        864, 0, "NVIDIA L40S datasheet"},
       {"l40s", {}, {"mig"}, 48}},
      // [L4]: FP32 30.3, TF32 120*, BF16/FP16 242*, FP8 485*; 24GB GDDR6 at 300 GB/s; no NVLink.
      {{"l4", "NVIDIA L4 24GB",
        {{"fp64", 0.473}, {"fp32", 30.3}, {"tf32", 60}, {"bf16", 121}, {"fp16", 121},
         {"fp8", 242.5}},
        300, 0, "NVIDIA L4 datasheet"},
       {"l4", {}, {"mig"}, 24}},
      // [A10]: FP32 31.2, TF32 62.5 | 125*, BF16/FP16 125 | 250*; 24GB GDDR6 at 600 GB/s.
      // The A10G (AWS g5) is a different board with no NVIDIA datasheet, so it is not listed.
      {{"a10", "NVIDIA A10 24GB",
        {{"fp64", 0.4875}, {"fp32", 31.2}, {"tf32", 62.5}, {"bf16", 125}, {"fp16", 125}},
        600, 0, "NVIDIA A10 datasheet"},
       {"a10", {}, {"mig"}, 24}},
      // [HGXB200] per GPU: FP64/FP64 TC 37, FP32 75, TF32 2.2 PF*, FP16/BF16 4.5 PF*,
      // FP8 9 PF*; 180GB HBM3e; NVLink 5 1.8 TB/s. Bandwidth from [DGXB200]: 64 TB/s / 8 GPUs
      // (the HGX page prints 7.7 TB/s per GPU; the higher figure is kept as the bound).
      {{"b200-180gb", "NVIDIA B200 180GB",
        {{"fp64", 37}, {"fp64_vector", 37}, {"fp32", 75}, {"tf32", 1100}, {"bf16", 2250},
         {"fp16", 2250}, {"fp8", 4500}},
        8000, 900, "NVIDIA HGX B200 specifications; DGX B200 datasheet"},
       {"b200", {}, {"mig"}, 180}},
  };
}
// clang-format on

const std::vector<SkuEntry>& Table() {
  static const std::vector<SkuEntry> table = BuildTable();
  return table;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> Tokens(const std::string& lower_name) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : lower_name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += c;
    } else if (!current.empty()) {
      tokens.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

bool Matches(const MatchRule& rule, const std::string& lower_name,
             const std::vector<std::string>& tokens, uint64_t memory_bytes) {
  if (std::find(tokens.begin(), tokens.end(), rule.model_token) == tokens.end()) return false;
  for (const auto& s : rule.require) {
    if (lower_name.find(s) == std::string::npos) return false;
  }
  for (const auto& s : rule.forbid) {
    if (lower_name.find(s) != std::string::npos) return false;
  }
  const double gib = static_cast<double>(memory_bytes) / kGiB;
  return gib >= kMinMemoryFraction * rule.nominal_gib &&
         gib <= kMaxMemoryFraction * rule.nominal_gib;
}

}  // namespace

const std::vector<DeviceSpec>& AllSkus() {
  static const std::vector<DeviceSpec> specs = [] {
    std::vector<DeviceSpec> out;
    for (const auto& entry : Table()) out.push_back(entry.spec);
    return out;
  }();
  return specs;
}

const DeviceSpec* FindSku(const std::string& sku) {
  for (const auto& spec : AllSkus()) {
    if (spec.sku == sku) return &spec;
  }
  return nullptr;
}

const DeviceSpec* MatchSku(const std::string& device_name, uint64_t memory_bytes) {
  const std::string lower = Lower(device_name);
  const std::vector<std::string> tokens = Tokens(lower);
  const DeviceSpec* found = nullptr;
  for (const auto& entry : Table()) {
    if (!Matches(entry.rule, lower, tokens, memory_bytes)) continue;
    if (found != nullptr) return nullptr;  // ambiguous: say unknown rather than guess
    found = FindSku(entry.spec.sku);
  }
  return found;
}

double PeakTflops(const DeviceSpec& spec, const std::string& dtype) {
  const auto it = spec.peak_tflops.find(Lower(dtype));
  return it == spec.peak_tflops.end() ? 0.0 : it->second;
}

}  // namespace gq
