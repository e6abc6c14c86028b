#pragma once
// What `gpuqual rank` and `gpuqual report` read to build the procurement figures
// (harness/decide/procurement.h): the results files, and optionally prices, a baseline (or a
// results file standing for one) and the instance catalog (the shipped one by default), with the
// workloads' cost roles from the registry. Throws UsageError naming the bad input.
#include <string>
#include <vector>

#include "harness/decide/procurement.h"

namespace gq::cli {

struct ProcurementInputs {
  std::vector<std::string> results;
  std::string prices, baseline, catalog, objective = "perf-per-dollar", scenario;
};

ProcurementReport BuildProcurementFrom(const ProcurementInputs& in);

}  // namespace gq::cli
