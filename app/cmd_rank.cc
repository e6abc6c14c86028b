// `gpuqual rank RESULTS... [--prices FILE] [--baseline FILE] [--objective perf-per-dollar|performance]
//  [--scenario SPEC] [--catalog FILE] [--json FILE|-]`
// Ranks the machines the results files come from, as a buyer would compare them (rules in
// harness/decide/procurement.h): a table with each machine's verdict, score and 95% interval,
// performance per dollar-hour, TFLOP/s per dollar-hour and $/Mtok of the named scenario, ties
// within the measured spread, the machines set apart and why, and a recommendation. The same
// figures `gpuqual report` draws. Exit 0, or 2 on bad input.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/procurement_inputs.h"
#include "harness/decide/procurement_format.h"
#include "harness/record/file_io.h"

namespace gq::cli {

Action AddRankCommand(CLI::App& root) {
  auto in = std::make_shared<ProcurementInputs>();
  auto json = std::make_shared<std::string>();
  CLI::App* cmd = root.add_subcommand("rank", "Rank machines for a purchase: verdict, score, perf per dollar, $/Mtok");
  cmd->footer("Example:\n  gpuqual rank results/*.json --prices prices.json --json ranking.json");
  cmd->add_option("results", in->results, "Results files (several runs of a machine are combined)")->required();
  AddProcurementFlags(cmd, *in);
  cmd->add_option("--json", *json, "Write the figures as JSON (gpuqual.procurement/1; - for standard output)");
  return [in, json](const std::string&) {
    std::vector<std::string> inputs = in->results;
    inputs.insert(inputs.end(), {in->prices, in->baseline, in->catalog});
    RefuseOutputOverInput(*json, inputs, "--json");
    const ProcurementReport report = BuildProcurementFrom(*in);
    PrintProcurement(*json == "-" ? std::cerr : std::cout, report);
    if (!json->empty()) WriteFileSafely(*json, ProcurementJson(report).dump(1) + "\n");
    return 0;
  };
}

}  // namespace gq::cli
