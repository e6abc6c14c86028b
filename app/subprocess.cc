#include "app/subprocess.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

extern char** environ;

namespace gq::cli {
namespace {

// NAME=VALUE strings of this process's environment with `env` set over it.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (env.count(name) == 0) out.push_back(entry);
  }
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

int RunSubprocess(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env) {
  if (argv.empty() || argv[0].empty()) {
    throw std::invalid_argument("RunSubprocess: no program given");
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> environment = ChildEnvironment(env);
  std::vector<char*> cargs = Pointers(args);
  std::vector<char*> cenv = Pointers(environment);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  pid_t pid = 0;
  // posix_spawnp reports a failed exec as its return value (glibc >= 2.24, musl), so a program
  // that cannot be started is an error here, not an exit status of 127.
  const int rc = ::posix_spawnp(&pid, cargs[0], nullptr, nullptr, cargs.data(), cenv.data());
  if (rc != 0) throw SubprocessError("cannot run '" + argv[0] + "': " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error("waiting for '" + argv[0] + "': " + std::strerror(errno));
    }
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace gq::cli
