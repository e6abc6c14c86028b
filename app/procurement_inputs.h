#pragma once
// What `gpuqual rank` and `gpuqual report` read to build the procurement figures
// (harness/decide/procurement.h): the results files, and optionally prices, a baseline (or a
// results file standing for one) and the instance catalog (the shipped one by default), with the
// workloads' cost roles from the registry. Throws UsageError naming the bad input.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/decide/procurement.h"

namespace gq::cli {

struct ProcurementInputs {
  std::vector<std::string> results;
  std::string prices, baseline, catalog, objective = "perf-per-dollar", scenario;
};

ProcurementReport BuildProcurementFrom(const ProcurementInputs& in);

// The flags `rank` and `report` share: --prices, --baseline, --objective, --scenario, --catalog.
void AddProcurementFlags(CLI::App* cmd, ProcurementInputs& in);
// --scenario alone (also `qualify`'s, for its $/Mtok).
void AddScenarioFlag(CLI::App* cmd, std::string& scenario);

}  // namespace gq::cli
