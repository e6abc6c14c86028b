#pragma once
// Each gpuqual command registers its subcommand and options on the root app and returns the
// action to run once that subcommand has been parsed. Actions return the process exit code
// (0 ok, 1 a check failed, 2 bad input) and throw UsageError for bad input.
#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "harness/system/communicator.h"

namespace gq::cli {

// The end of `gpuqual --help`: examples and the environment variables gpuqual reads.
inline constexpr const char* kMainHelpFooter = R"(Examples:
  gpuqual list                                  workloads, axes, defaults per device, suites
  gpuqual run gemm --device cpu                 one workload with its defaults
  gpuqual run --suite ci -o ci.json             a suite
  gpuqual compare ci.json --baseline base.json  exit 1 on a regression
  gpuqual COMMAND --help                        each command's options and an example
Environment:
  GQ_SUITES_DIR     directory searched first for named suites (--suite NAME)
  GQ_BASELINES_DIR  directory searched first for SKU baselines and instances.json (qualify)
  GQ_REPORTS_DIR    directory holding the gpuqual_reports Python package (report)
  GQ_PYTHON         Python interpreter for `gpuqual report` (default /usr/bin/python3)
  GQ_CLOUD_PROVIDER, GQ_INSTANCE_TYPE, GQ_REGION  the cloud facts, over what DMI says
  OMPI_COMM_WORLD_SIZE, PMI_SIZE, SLURM_STEP_NUM_TASKS  set by mpirun / srun: run as MPI ranks
See README.md (Environment) for the whole list.)";

// `command_line` is argv joined by spaces, for the results file's run.command.
using Action = std::function<int(const std::string& command_line)>;

Action AddInfoCommand(CLI::App& root);
Action AddListCommand(CLI::App& root);
// `world`: the process world (single process or MPI), made in main before parsing.
Action AddRunCommand(CLI::App& root, std::shared_ptr<Communicator> world);
Action AddBaselineCommand(CLI::App& root);
Action AddCompareCommand(CLI::App& root);
Action AddQualifyCommand(CLI::App& root);
Action AddReportCommand(CLI::App& root);
Action AddRankCommand(CLI::App& root);
Action AddHistoryCommand(CLI::App& root);

}  // namespace gq::cli
