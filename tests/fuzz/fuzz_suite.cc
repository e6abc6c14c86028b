// Fuzz target: the suite loader (app/suite.h) and the plan it makes with the real workloads
// (app/plan.h: axis values, Workload::Validate, the plan-size limit), as `gpuqual run --suite`.
#include "app/plan.h"
#include "app/suite.h"
#include "tests/fuzz/fuzz_loader.h"
#include "workloads/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gq::WorkloadRegistry registry = gq::BuildRegistry();
  return gq::fuzz::LoadOne(data, size, [](const nlohmann::ordered_json& j) {
    const gq::Suite suite = gq::SuiteFromJson(j, "fuzz.json");
    gq::RunOptions options;
    gq::BuildPlan(registry, options, &suite);
  });
}
