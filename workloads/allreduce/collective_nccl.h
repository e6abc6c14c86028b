#pragma once
// The NCCL backend of the collective workloads (built with CUDA and NCCL, GQ_WITH_NCCL;
// host-includable: no CUDA or NCCL headers here).
//
// Launch modes (DESIGN.md §8):
//  - one process driving several GPUs, a DeviceRef group cuda:F-L (harness/measure/run_targets.h): one
//    communicator per GPU from ncclCommInitAll, the calls grouped in ncclGroupStart/End; each
//    GPU has its own stream, forked from and joined back into the context's stream (on the first
//    GPU) with events, so the context's CUDA-event timer spans the whole collective;
//  - one rank per GPU under MPI: one communicator from ncclCommInitRank, the ncclUniqueId made by
//    rank 0 and broadcast over the world Communicator;
//  - one GPU in a single process: a one-rank communicator (functional; busbw undefined).
// Communicators are made on a case's first Prepare and kept in the NcclCommPool for the run, so
// every rank creates them at the same point of the (identical) plan.
// graph=true captures each GPU's call into its own CUDA graph at Prepare (as nccl-tests does with
// -G); Run then launches the graphs instead of calling NCCL.
// Buffers are filled on the device (collective_kernels.cu); Verify refills them, runs once and
// counts wrong elements of every local GPU's output on the device, exactly.
#include <memory>

#include "harness/device.h"
#include "harness/system/communicator.h"
#include "harness/workload.h"
#include "workloads/allreduce/collective_problem.h"

namespace gq {

class NcclCommPool;  // defined in collective_nccl_comms.cuh

// `world` must outlive the pool; the pool must outlive every case prepared with it.
std::shared_ptr<NcclCommPool> MakeNcclCommPool(Communicator& world);

// `ctx` is a CUDA context (one GPU, or a group in a single process). Throws CaseSkipped when the
// buffers do not fit in a GPU's free memory.
std::unique_ptr<PreparedCase> PrepareCollectiveNccl(const CollectiveProblem& problem,
                                                    DeviceContext& ctx, Communicator& world,
                                                    NcclCommPool& pool);

}  // namespace gq
