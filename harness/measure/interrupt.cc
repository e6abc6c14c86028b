#include "harness/measure/interrupt.h"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace gq {
namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_announce = 1;

extern "C" void OnStopSignal(int sig) {
  g_signal = sig;
  g_stop.store(true);
  if (g_announce) {
    // The leading newline leaves a progress line (and the terminal's "^C") above it.
    static const char kInt[] = "\ngpuqual: stopping: finished cases are kept; Ctrl-C again to abort at once\n";
    static const char kTerm[] = "\ngpuqual: stopping (SIGTERM): finished cases are kept; SIGTERM again aborts at once\n";
    static const char kHup[] = "\ngpuqual: stopping (SIGHUP): finished cases are kept; SIGHUP again aborts at once\n";
    const char* text = sig == SIGTERM ? kTerm : sig == SIGHUP ? kHup : kInt;
    const std::size_t size = sig == SIGTERM ? sizeof kTerm : sig == SIGHUP ? sizeof kHup : sizeof kInt;
    const ssize_t written = write(STDERR_FILENO, text, size - 1);
    (void)written;  // nothing to do about a closed stderr inside a handler
  }
  // SA_RESETHAND has put the default action back: a second signal ends the process.
}

}  // namespace

const std::atomic<bool>& InstallStopHandlers(bool announce) {
  g_announce = announce ? 1 : 0;
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
  return g_stop;
}

int StopSignal() { return g_signal; }



}  // namespace gq
