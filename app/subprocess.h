#pragma once
// Runs another program as a child process and waits for it; no shell is involved, so arguments
// are passed exactly as given.
//
// RunSubprocess(argv, env): argv[0] is the program (searched on PATH when it holds no '/'), argv
// its arguments; the child inherits stdin, stdout, stderr and the environment, with each entry
// of `env` set (replacing an inherited value). Buffered output of this process is flushed first
// so the child's output follows it in order. While the child runs, this process ignores SIGINT,
// SIGTERM and SIGHUP (the child gets them with their default actions and decides, e.g. a Ctrl-C
// at the terminal reaches both); the previous handlers are back on return. Returns the child's
// exit status (0..255), or
// 128 + N when signal N ended it. Throws SubprocessError "cannot run 'PROG': REASON" when the
// program cannot be started (not found, not executable, no process can be made), and
// std::runtime_error when waiting for it fails.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gq::cli {

class SubprocessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int RunSubprocess(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env = {});

}  // namespace gq::cli
