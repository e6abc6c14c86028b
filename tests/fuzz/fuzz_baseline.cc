// Fuzz target: the baseline-file loader (decide/baseline.h).
#include "harness/decide/baseline.h"
#include "tests/fuzz/fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return gq::fuzz::LoadOne(data, size, [](const nlohmann::ordered_json& j) { gq::BaselineFromJson(j, "fuzz.json"); });
}
