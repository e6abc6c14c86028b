#pragma once
// SIGINT/SIGTERM/SIGHUP handling for runs (DESIGN.md §9; SIGHUP: a dropped ssh session). The
// first signal sets the stop flag, which the runner polls between samples so finished cases are
// kept and written; a second signal of the same kind ends the process at once (default action).
// The flag is the one process-wide mutable state in gpuqual: a signal handler can reach nothing
// else.
#include <atomic>

namespace gq {

// Installs the handlers and returns the flag they set.
const std::atomic<bool>& InstallStopHandlers();
// The signal that set the flag (0 when none); the CLI exits 128 + this.
int StopSignal();

}  // namespace gq
