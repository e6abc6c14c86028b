#include "app/workload_names.h"

#include "harness/errors.h"
#include "workloads/registry.h"

namespace gq::cli {

void RequireWorkload(const std::string& what, const std::string& name) {
  try {
    BuildRegistry().Get(name);
  } catch (const UsageError& e) {
    throw UsageError(what + ": " + e.what());
  }
}

}  // namespace gq::cli
