// Fuzz target: the results-file loader (record/results_json.h).
#include "harness/record/results_json.h"
#include "tests/fuzz/fuzz_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return gq::fuzz::LoadOne(data, size, [](const nlohmann::ordered_json& j) { gq::ResultsFromJson(j, "fuzz.json"); });
}
