// gpuqual: qualify GPU machines (see README.md). Parses the command line, runs the chosen
// command, and turns errors into exit codes: UsageError and CLI parse errors -> 2 with one line
// on stderr, anything unexpected -> 1 with its message. Only main() exits.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "harness/cli/commands.h"
#include "harness/errors.h"
#include "harness/version.h"

int main(int argc, char** argv) {
  CLI::App app{"gpuqual: benchmark and qualify GPU machines (GEMM, attention, collectives, LLM tokens/s)"};
  app.set_version_flag("--version", "gpuqual " + gq::ToolVersion() + " (" + gq::ToolGitRevision() + ")");
  app.require_subcommand(1);
  const std::vector<std::pair<const char*, gq::cli::Action>> commands = {
      {"info", gq::cli::AddInfoCommand(app)},
      {"list", gq::cli::AddListCommand(app)},
      {"run", gq::cli::AddRunCommand(app)},
      {"baseline", gq::cli::AddBaselineCommand(app)},
      {"compare", gq::cli::AddCompareCommand(app)},
      {"qualify", gq::cli::AddQualifyCommand(app)},
      {"report", gq::cli::AddReportCommand(app)},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "gpuqual: error: " << e.what() << " (see gpuqual --help)\n";
    return 2;
  }
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  try {
    for (const auto& [name, action] : commands) {
      if (app.get_subcommand(name)->parsed()) return action(command_line);
    }
    return 2;
  } catch (const gq::UsageError& e) {
    std::cerr << "gpuqual: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gpuqual: failed: " << e.what() << "\n";
    return 1;
  }
}
