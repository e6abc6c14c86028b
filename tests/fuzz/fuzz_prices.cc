// Fuzz target: the prices loader (decide/prices.h).
#include "harness/decide/prices.h"
#include "tests/fuzz/fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return gq::fuzz::LoadOne(data, size, [](const nlohmann::ordered_json& j) { gq::PriceListFromJson(j, "fuzz.json"); });
}
