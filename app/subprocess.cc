#include "app/subprocess.h"

#include <signal.h>
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
  // The stop signals go to the child alone while it runs (a terminal's Ctrl-C reaches the whole
  // process group): this process ignores them until the child has ended, and the child starts
  // with their default actions (an ignored signal would stay ignored across exec).
  const int stops[] = {SIGINT, SIGTERM, SIGHUP};
  sigset_t defaults;
  sigemptyset(&defaults);
  struct sigaction ignore {}, saved[3];
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  for (int i = 0; i < 3; ++i) {
    sigaddset(&defaults, stops[i]);
    ::sigaction(stops[i], &ignore, &saved[i]);
  }
  auto restore = [&] {
    for (int i = 0; i < 3; ++i) ::sigaction(stops[i], &saved[i], nullptr);
  };
  posix_spawnattr_t attr;
  ::posix_spawnattr_init(&attr);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  // posix_spawnp reports a failed exec as its return value (glibc >= 2.24, musl), so a program
  // that cannot be started is an error here, not an exit status of 127.
  const int rc = ::posix_spawnp(&pid, cargs[0], nullptr, &attr, cargs.data(), cenv.data());
  ::posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    restore();
    throw SubprocessError("cannot run '" + argv[0] + "': " + std::strerror(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      restore();
      throw std::runtime_error("waiting for '" + argv[0] + "': " + std::strerror(errno));
    }
  }
  restore();
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace gq::cli
