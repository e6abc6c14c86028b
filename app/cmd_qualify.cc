// `gpuqual qualify [RESULTS...] [--baseline FILE] [--spec FILE] [--instance TYPE]
//  [--price-per-hour USD] [--catalog FILE] [--device D] [-o FILE]`
// Judges a machine (rules in harness/decide/qualify.h, inputs in qualify_spec.h). With no RESULTS
// it first runs the quick suite (`gpuqual run --suite quick` as a child process) and judges that
// run. The verdict is printed and written into a results file: -o FILE, else the file of the run
// it made (given files are never modified). Exit 0 PASS or WARN, 1 FAIL, 2 bad input.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/procurement_inputs.h"
#include "app/workload_names.h"
#include "app/subprocess.h"
#include "harness/clock.h"
#include "harness/decide/qualify.h"
#include "harness/decide/qualify_format.h"
#include "harness/decide/qualify_spec.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"
#include "harness/system/host_info.h"
#include "workloads/registry.h"

namespace gq::cli {
namespace {

std::string MachineLabel(const ResultsDoc& doc) {
  const auto it = doc.run.labels.find("machine");
  return it == doc.run.labels.end() ? "" : it->second;
}

// Several files are runs of one machine: its verdict (health, inventory, performance) is that
// machine's. A "machine" label, when the runs carry one, names it (as rank groups runs: a host
// renamed between runs stays one machine); without, the host name does. Runs of two machines are
// refused.
void RequireSameMachine(const ResultsDoc& first, const std::string& first_file, const ResultsDoc& doc,
                        const std::string& file) {
  const auto refuse = [&](const std::string& what, const std::string& a, const std::string& b) {
    const auto shown = [](const std::string& v) { return v.empty() ? std::string("(none)") : "'" + v + "'"; };
    throw UsageError(file + ": " + what + " " + shown(b) + ", but " + first_file + " " + shown(a) +
                     ": qualify judges one machine (qualify each on its own; rank or report compares machines)");
  };
  if (MachineLabel(doc) != MachineLabel(first)) refuse("is labelled machine", MachineLabel(first), MachineLabel(doc));
  if (MachineLabel(doc).empty() && doc.system.host.hostname != first.system.host.hostname) {
    refuse("ran on host", first.system.host.hostname, doc.system.host.hostname);
  }
}

struct QualifyArgs {
  std::vector<std::string> results;
  std::string baseline, spec, instance, catalog, output, device = "auto", scenario;
  double price = 0;
  CLI::Option* price_option = nullptr;
};

// Runs `gpuqual run --suite quick` on `device`, writing `path`; returns its exit code.
// The child run takes the id its default file is named after (results/<run id>.json).
int RunQuickSuite(const std::string& device, const std::string& run_id, const std::string& path) {
  std::cout << "qualify: no results given, running the quick suite -> " << path << "\n";
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  return RunSubprocess({self, "run", "--suite", "quick", "--device", device, "--run-id", run_id, "-o", path});
}

int Run(QualifyArgs& a) {
  const WorkloadRegistry registry = BuildRegistry();
  std::vector<std::string> workloads;
  CostMetrics cost_metrics;
  for (const Workload* w : registry.All()) {
    workloads.push_back(w->Name());
    cost_metrics.Declare(w->Name(), w->Metrics());
  }
  QualifyFlags flags{a.instance, std::nullopt};
  if (a.price_option->count() > 0) flags.price_per_hour_usd = a.price;
  QualifyOptions options = MergeQualifyOptions(
      flags, a.spec.empty() ? QualifySpec{} : ReadQualifySpecFile(a.spec, workloads));
  options.cost_metrics = cost_metrics;
  if (!a.scenario.empty()) options.scenario = ParseScenarioFlag(a.scenario);
  const InstanceCatalog catalog =
      ReadInstanceCatalog(a.catalog.empty() ? BaselinesDir() + "/instances.json" : a.catalog);

  std::vector<std::string> inputs = a.results;  // given files are never modified
  inputs.insert(inputs.end(), {a.baseline, a.spec, a.catalog});
  RefuseOutputOverInput(a.output, inputs, "-o");
  std::string write_to = a.output;
  if (a.results.empty()) {
    std::string run_id;
    const std::string default_path = NewResultsPath(DiscoverHost().hostname, &run_id);
    const std::string path = !a.output.empty() ? a.output : default_path;
    const int rc = RunQuickSuite(a.device, run_id, path);
    if (rc != 0 && rc != 1) return rc;  // bad usage or interrupted: nothing to judge
    a.results = {path};
    write_to = path;
  }
  std::vector<ResultsDoc> runs;
  for (const std::string& file : a.results) {
    runs.push_back(ReadResultsFile(file));
    RequireSameMachine(runs.front(), a.results.front(), runs.back(), file);
  }
  RequireDistinctRuns(runs, a.results);
  ResultsDoc doc = CombineRuns(std::move(runs));
  const std::optional<Baseline> baseline = FindQualifyBaseline(doc, a.baseline, BaselinesDir());
  if (!baseline) options.no_baseline_reason = NoQualifyBaselineReason(doc, BaselinesDir());
  doc.verdict = Qualify(doc, baseline ? &*baseline : nullptr, &catalog, options);
  if (!a.instance.empty()) doc.run.labels["instance_type"] = a.instance;  // recorded for rank and report
  PrintQualifyVerdict(std::cout, *doc.verdict);
  if (!write_to.empty()) {
    WriteResultsFile(write_to, doc);
    std::cout << "results with verdict: " << write_to << "\n";
  }
  const QualifyStatus overall = doc.verdict->overall;
  return overall == QualifyStatus::kFail || overall == QualifyStatus::kIncomplete ? 1 : 0;
}

}  // namespace

Action AddQualifyCommand(CLI::App& root) {
  auto a = std::make_shared<QualifyArgs>();
  CLI::App* cmd = root.add_subcommand(
      "qualify",
      "PASS / WARN / FAIL verdict for this machine (runs the quick suite without RESULTS)");
  cmd->footer("Examples:\n  gpuqual qualify\n  gpuqual qualify results.json --instance p5.48xlarge --price-per-hour 98.32");
  cmd->add_option("results", a->results,
                  "Results files of this machine (default: run the quick suite now)");
  cmd->add_option("--baseline", a->baseline, "Baseline file (default baselines/<sku>.json)");
  cmd->add_option("--spec", a->spec, "Threshold overrides (gpuqual.qualify-spec/1)");
  cmd->add_option("--instance", a->instance,
                  "Instance type to check against the catalog (default: from DMI)");
  a->price_option = cmd->add_option("--price-per-hour", a->price,
                                    "Instance price in USD per hour, for cost figures");
  cmd->add_option("--catalog", a->catalog, "Instance catalog (default baselines/instances.json)");
  AddScenarioFlag(cmd, a->scenario);
  cmd->add_option("--device", a->device, "Devices for the quick suite run")->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Write the results with the verdict here");
  return [a](const std::string&) { return Run(*a); };
}

}  // namespace gq::cli
