#include "harness/measure/interrupt.h"

#include <csignal>

namespace gq {
namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void OnStopSignal(int sig) {
  g_signal = sig;
  g_stop.store(true);
  std::signal(sig, SIG_DFL);  // a second signal ends the process
}

}  // namespace

const std::atomic<bool>& InstallStopHandlers() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGHUP, OnStopSignal);
  return g_stop;
}

int StopSignal() { return g_signal; }

}  // namespace gq
