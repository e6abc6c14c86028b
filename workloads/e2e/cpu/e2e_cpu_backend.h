#pragma once
// The cpu backend of the e2e workload: fp32 activations and KV cache, weights holding the seeded
// bf16 values (e2e_weights.h) as floats, matmuls with OpenBLAS cblas_sgemm, the other ops from
// e2e_cpu_ops.h. One shard: rank `rank` of tp; with tp > 1 the ranks of an MPI job are the
// shards and `world` (of exactly tp ranks) carries the all-reduce and the sampling all-gather.
// Marks are host steady_clock times (the work is synchronous).
#include <memory>

#include "harness/system/communicator.h"
#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/model/e2e_model.h"

namespace gq {

// `max_rows`: the largest step (MaxStepRows). `world` may be null when tp == 1.
std::unique_ptr<E2eBackend> MakeE2eCpuBackend(const E2eProblem& p, int64_t max_rows, int rank,
                                              Communicator* world);

// Bytes the cpu backend allocates for `p` (weights, KV cache, activations), for the memory check.
double E2eCpuBackendBytes(const E2eProblem& p, int64_t max_rows);

}  // namespace gq
