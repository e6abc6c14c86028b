#pragma once
// The cpu backend of membw: STREAM-style loops (McCalpin, "Memory Bandwidth and Machine Balance in
// Current High Performance Computers", IEEE TCCA Newsletter 1995) over host memory on a pool of
// std::threads, one contiguous chunk of every array per worker (64-byte aligned chunk bounds):
//   copy   std::memcpy of the worker's chunk (glibc picks non-temporal stores for large chunks, as
//          compilers do for STREAM's own copy loop)
//   read   sum of the chunk as 64-bit words into a per-worker total (checked in Verify)
//   write  word w = WrittenWord(key, w)
//   triad  a[i] = b[i] + 3 * c[i] in float
// Worker i is bound to the i-th CPU the process may use (restrict them with taskset or numactl);
// threads = 0 uses one worker per such CPU. Each worker first-touches and fills its own chunks in
// Prepare, so pages live on the node of the worker that streams them (STREAM's OpenMP
// initialisation does the same). Run hands one round to the workers and waits for all of them.
// copy_ce and the host<->device and peer ops need a GPU: they are skipped with that reason.
#include <memory>

#include "harness/workload.h"
#include "workloads/membw/membw_problem.h"

namespace gq {

// Throws CaseSkipped for an op the cpu cannot run or arrays that do not fit in host memory.
std::unique_ptr<PreparedCase> PrepareMembwCpu(const MembwProblem& problem);

}  // namespace gq
