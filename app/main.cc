// gpuqual: qualify GPU machines (see README.md). Parses the command line, runs the chosen
// command, and turns errors into exit codes: UsageError (bad input, an output that cannot be
// written) and CLI parse errors -> 2 with one line on stderr; anything else -> 3 with its message,
// "gpuqual could not do its job" (an internal error or a failure of the machine, never to be read
// as 1, "a check failed"; under MPI the whole job is aborted, as other ranks may be waiting for
// this one). Only main() exits.
#include <cctype>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "app/commands.h"
#include "harness/errors.h"
#include "harness/system/communicator.h"
#include "harness/version.h"

namespace {

// An error message as one line: text from files (a schema string, a key) may hold line breaks or
// other control characters; they are shown escaped (\n, \t, \xNN) so the message stays one line.
std::string OneLine(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// CLI11's parse errors in the words the rest of gpuqual uses: "--max-time: At Most 1 required but
// received 2" (an option given twice) becomes "--max-time: given 2 times, takes one value".
// Likewise "Could not convert: --repetitions = abc" -> "--repetitions 'abc' is not a number",
// "results is required" -> "RESULTS is required", "The following argument was not expected: X"
// -> "unexpected argument X", "--sku: 1 required TEXT missing" -> "--sku needs a value".
std::string ParseErrorText(const std::string& what) {
  static const std::regex kRepeated(R"(^(\S+): At Most 1 required but received (\d+)$)");
  static const std::regex kConvert(R"(^Could not convert: (\S+) = (.*)$)");
  static const std::regex kPositional(R"(^([a-z_]+) is required$)");
  static const std::regex kUnexpected(R"(^The following arguments? (?:was|were) not expected: (.*)$)");
  static const std::regex kNoValue(R"(^(-\S+): \d+ required \S+ missing$)");
  std::smatch m;
  if (std::regex_match(what, m, kRepeated)) return m[1].str() + ": given " + m[2].str() + " times, takes one value";
  if (std::regex_match(what, m, kConvert)) return m[1].str() + " '" + m[2].str() + "' is not a number";
  if (std::regex_match(what, m, kPositional)) {
    std::string name = m[1].str();
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name + " is required";
  }
  if (std::regex_match(what, m, kUnexpected)) return "unexpected argument " + m[1].str();
  if (std::regex_match(what, m, kNoValue)) return m[1].str() + " needs a value";
  return what;
}

// The command being parsed when the error came: "gpuqual history list".
const CLI::App* DeepestParsed(const CLI::App& app, std::string& command) {
  command = app.get_name();
  const CLI::App* at = &app;
  for (;;) {
    const std::vector<CLI::App*> parsed = at->get_subcommands();  // the ones parsed
    if (parsed.empty()) return at;
    at = parsed.front();
    command += " " + at->get_name();
  }
}

// A parse error in gpuqual's words, ending with the help that explains the command: "unexpected
// argument --bogus (see gpuqual run --help)"; a word where a command was required is named
// ("unknown command 'bogus' of gpuqual (one of: info, list, ...) (see gpuqual --help)").
std::string ParseErrorLine(const CLI::App& app, const CLI::ParseError& e) {
  std::string command;
  const CLI::App* at = DeepestParsed(app, command);
  std::string text = ParseErrorText(e.what());
  const std::vector<std::string> left = at->remaining();
  if (text == "A subcommand is required") {
    std::string known;
    for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
      known += (known.empty() ? "" : ", ") + sub->get_name();
    }
    text = (!left.empty() && !left.front().empty() && left.front()[0] != '-'
                ? "unknown command '" + left.front() + "' of " + command
                : command + " needs a command") +
           " (one of: " + known + ")";
  }
  return text + " (see " + command + " --help)";
}

}  // namespace

int main(int argc, char** argv) {
  // MPI is initialised here when a launcher started several ranks, and finalised when `world`
  // goes (the last line of main); see harness/system/communicator.h.
  std::shared_ptr<gq::Communicator> world;
  try {
    world = gq::MakeWorldCommunicator(&argc, &argv);
  } catch (const gq::UsageError& e) {  // a launcher this build cannot serve
    std::cerr << "gpuqual: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {  // MPI could not start
    std::cerr << "gpuqual: failed: " << e.what() << "\n";
    return 3;
  }
  // Under MPI only rank 0 speaks for the errors every rank has alike (bad arguments).
  const bool root = world->rank() == 0;
  // Named here, so help says "gpuqual run", not the path the binary was started by.
  CLI::App app{"gpuqual: benchmark and qualify GPU machines (GEMM, attention, collectives, LLM tokens/s)", "gpuqual"};
  app.footer(gq::cli::kMainHelpFooter);
  app.set_version_flag("--version", "gpuqual " + gq::ToolVersion() + " (" + gq::ToolGitRevision() + ")");
  app.require_subcommand(1);
  const std::vector<std::pair<const char*, gq::cli::Action>> commands = {
      {"info", gq::cli::AddInfoCommand(app)},
      {"list", gq::cli::AddListCommand(app)},
      {"run", gq::cli::AddRunCommand(app, world)},
      {"baseline", gq::cli::AddBaselineCommand(app)},
      {"compare", gq::cli::AddCompareCommand(app)},
      {"qualify", gq::cli::AddQualifyCommand(app)},
      {"report", gq::cli::AddReportCommand(app)},
      {"rank", gq::cli::AddRankCommand(app)},
      {"history", gq::cli::AddHistoryCommand(app)},
  };

  int parse_exit = -1;  // set when parsing ends the process: 0 --help/--version, 2 bad usage
  std::string parse_error;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      parse_exit = root ? app.exit(e) : 0;  // --help, --version
    } else {
      parse_exit = 2;
      parse_error = ParseErrorLine(app, e);
    }
  }
  if (world->size() > 1) {
    // The ranks end together: a rank whose command line failed alone (an MPMD launch) must not
    // leave the others waiting in the run's first collective. Rank 0 speaks for errors it shares.
    std::vector<double> ended{parse_exit >= 0 ? 1.0 : 0.0, root && parse_exit >= 0 ? 1.0 : 0.0};
    world->AllReduceMax(ended);
    if (ended[0] > 0) {
      if (parse_exit < 0) return 2;  // another rank's command line is wrong: it explains
      if (!parse_error.empty() && (root || ended[1] == 0)) {
        std::cerr << "gpuqual: error: " << (root ? "" : "rank " + std::to_string(world->rank()) + ": ") << parse_error
                  << "\n";
      }
      return parse_exit;
    }
    if (!app.get_subcommand("run")->parsed()) {  // the other commands read and write files once
      if (root) {
        std::cerr << "gpuqual: error: launched as " << world->size() << " ranks: only `gpuqual run` runs under "
                  << "mpirun or srun; give its results file to the other commands in one process\n";
      }
      return 2;
    }
  } else if (parse_exit >= 0) {
    if (!parse_error.empty()) std::cerr << "gpuqual: error: " << parse_error << "\n";
    return parse_exit;
  }
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  try {
    for (const auto& [name, action] : commands) {
      if (app.get_subcommand(name)->parsed()) return action(command_line);
    }
    return 2;
  } catch (const gq::UsageError& e) {
    if (root) std::cerr << "gpuqual: error: " << OneLine(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (world->size() == 1) {
      std::cerr << "gpuqual: failed: " << OneLine(e.what()) << "\n";
      return 3;
    }
    // Other ranks may be waiting for this one inside a collective: end the whole job.
    std::cerr << "gpuqual: failed: rank " << world->rank() << ": " << e.what() << "\n";
    world->Abort(3);
  }
}
