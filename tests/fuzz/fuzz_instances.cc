// Fuzz target: the instance-catalog loader (decide/instance_catalog.h).
#include "harness/decide/instance_catalog.h"
#include "tests/fuzz/fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return gq::fuzz::LoadOne(data, size,
                           [](const nlohmann::ordered_json& j) { gq::InstanceCatalogFromJson(j, "fuzz.json"); });
}
