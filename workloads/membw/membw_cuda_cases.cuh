#pragma once
// The membw CUDA cases by kind of op, one file each (membw_cuda_device.cu, membw_cuda_transfer.cu,
// membw_cuda_peer.cu), and the memory check they share. Their CUDA resources are owned by
// harness/gpu/cuda_resources.cuh.
#include <cuda_runtime.h>

#include <memory>

#include "harness/workload.h"
#include "workloads/membw/membw_problem.h"

namespace gq {

// Throws CaseSkipped when `bytes` exceed 90% of the free memory of the current device.
void CheckDeviceMemory(double bytes);

// Device ops (copy, read, write, triad, copy_ce) on the context's device and stream.
std::unique_ptr<PreparedCase> PrepareMembwDeviceOp(const MembwProblem& problem, int device,
                                                   cudaStream_t stream);
// h2d, d2h, bidir with either engine (membw_cuda_transfer.cu).
std::unique_ptr<PreparedCase> PrepareMembwHostTransfer(const MembwProblem& problem, int device,
                                                       cudaStream_t stream);
// d2d_ce, d2d_sm to the next visible GPU (membw_cuda_peer.cu); skipped with one GPU.
std::unique_ptr<PreparedCase> PrepareMembwPeer(const MembwProblem& problem, int device,
                                               cudaStream_t stream);

}  // namespace gq
