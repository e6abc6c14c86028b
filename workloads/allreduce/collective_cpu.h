#pragma once
// The cpu backend of the collective workloads: host buffers and the Communicator's collectives,
// i.e. MPI_Allreduce / MPI_Allgather / MPI_Reduce_scatter_block (MPI_IN_PLACE for in_place)
// under MPI, and a copy in a single process (one rank). Same axes, metrics and exact check as
// the NCCL backend; Run ignores the stream. graph=true is skipped (CUDA graphs need a GPU).
#include <memory>

#include "harness/system/communicator.h"
#include "harness/workload.h"
#include "workloads/allreduce/collective_problem.h"

namespace gq {

// `world` must outlive the prepared case. Throws CaseSkipped for graph=true, a count beyond
// MPI's int, or buffers that would not fit in host memory.
std::unique_ptr<PreparedCase> PrepareCollectiveCpu(const CollectiveProblem& problem,
                                                   Communicator& world);

}  // namespace gq
