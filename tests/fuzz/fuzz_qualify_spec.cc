// Fuzz target: the qualify-spec loader (decide/qualify_spec.h), with gpuqual's workload names.
#include "harness/decide/qualify_spec.h"
#include "tests/fuzz/fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> kWorkloads = {"gemm", "attention", "allreduce", "all_gather",
                                                      "reduce_scatter", "membw", "e2e"};
  return gq::fuzz::LoadOne(data, size,
                           [](const nlohmann::ordered_json& j) { gq::ParseQualifySpec(j, "fuzz.json", kWorkloads); });
}
