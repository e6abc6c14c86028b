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
Action AddHistoryCommand(CLI::App& root);

}  // namespace gq::cli
