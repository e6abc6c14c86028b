#include "app/procurement_inputs.h"

#include <filesystem>
#include <optional>

#include "app/workload_names.h"
#include "harness/decide/baseline.h"
#include "harness/decide/instance_catalog.h"
#include "harness/decide/prices.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"
#include "workloads/registry.h"

namespace gq::cli {

ProcurementReport BuildProcurementFrom(const ProcurementInputs& in) {
  ProcurementOptions options;
  options.objective = ParseObjective(in.objective);
  if (!in.scenario.empty()) options.scenario = ParseScenarioFlag(in.scenario);
  const WorkloadRegistry registry = BuildRegistry();
  for (const Workload* w : registry.All()) options.cost_metrics.Declare(w->Name(), w->Metrics());
  std::vector<ResultsDoc> runs;
  for (const std::string& f : in.results) runs.push_back(ReadResultsFile(f));
  RequireDistinctRuns(runs, in.results);
  std::optional<PriceList> prices;
  if (!in.prices.empty()) prices = ReadPriceList(in.prices);
  std::optional<Baseline> baseline;
  if (!in.baseline.empty()) {
    const auto j = ReadJsonFile(in.baseline);
    const bool results = j.is_object() && j.contains("schema") && j["schema"].is_string() &&
                         j["schema"].get<std::string>().rfind("gpuqual.results/", 0) == 0;
    baseline = results ? CreateBaseline({ResultsFromJson(j, in.baseline)}, {in.baseline}, in.baseline)
                       : BaselineFromJson(j, in.baseline);
  }
  // The shipped catalog when none is named; an installation without it just has no catalog facts.
  std::optional<InstanceCatalog> catalog;
  const std::string shipped = BaselinesDir() + "/instances.json";
  std::error_code ec;
  if (!in.catalog.empty()) {
    catalog = ReadInstanceCatalog(in.catalog);
  } else if (std::filesystem::is_regular_file(shipped, ec)) {
    catalog = ReadInstanceCatalog(shipped);
  }
  return BuildProcurement(runs, prices ? &*prices : nullptr, baseline ? &*baseline : nullptr,
                          catalog ? &*catalog : nullptr, options);
}

void AddScenarioFlag(CLI::App* cmd, std::string& scenario) {
  cmd->add_option("--scenario", scenario,
                  "What $/Mtok is quoted for: model=,scenario=,batch=,input_len=,output_len=,tp= "
                  "(default llama-3-8b offline, batch 64, 1024/128, tp 1)");
}

void AddProcurementFlags(CLI::App* cmd, ProcurementInputs& in) {
  cmd->add_option("--prices", in.prices, "Instance prices (gpuqual.prices/1, see README): perf per dollar and $/Mtok");
  cmd->add_option("--baseline", in.baseline,
                  "Score against this baseline (gpuqual.baseline/1) or results file instead of the best machine");
  cmd->add_option("--objective", in.objective, "Rank by perf-per-dollar or performance")->capture_default_str();
  AddScenarioFlag(cmd, in.scenario);
  cmd->add_option("--catalog", in.catalog, "Instance catalog (default baselines/instances.json)");
}

}  // namespace gq::cli
