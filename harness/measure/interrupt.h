#pragma once
// SIGINT/SIGTERM/SIGHUP handling for runs (DESIGN.md §9; SIGHUP: a dropped ssh session). The
// first signal sets the stop flag, which the runner reads between iterations
// (harness/measure/sampling.h), so finished cases are kept and written, and (when announcing)
// writes one line to stderr from the handler (write(2), async-signal-safe):
//   gpuqual: stopping: finished cases are kept; Ctrl-C again to abort at once
// (naming SIGTERM or SIGHUP when one of those stopped it). An interrupted command exits 130
// whichever of the three stopped it (DESIGN.md §9), so scripts test one code.
// A second signal of the same kind ends the process at once (the handler is reset to the default
// action). The flag is the one process-wide mutable state in gpuqual: a signal handler can reach
// nothing else.
#include <atomic>

namespace gq {

// Installs the handlers and returns the flag they set. `announce`: print the line above (rank 0;
// other MPI ranks stay quiet).
const std::atomic<bool>& InstallStopHandlers(bool announce = true);
// The signal that set the flag (0 when none).
int StopSignal();

inline constexpr int kInterruptedExit = 130;

}  // namespace gq
