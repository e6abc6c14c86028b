#pragma once
// The CUDA backend of membw (built only with the CUDA backend; host-includable). Device ops are in
// membw_cuda_device.cu (with this entry point), host<->device copies in membw_cuda_transfer.cu,
// GPU<->GPU copies in membw_cuda_peer.cu; kernels in membw_kernels.cu.
#include <memory>

#include "harness/device.h"
#include "harness/workload.h"
#include "workloads/membw/membw_problem.h"

namespace gq {

// `ctx` must be a CUDA context; the prepared case uses its stream and must not outlive it.
// Throws CaseSkipped for a case this GPU (or this machine) cannot run.
std::unique_ptr<PreparedCase> PrepareMembwCuda(const MembwProblem& problem, DeviceContext& ctx);

}  // namespace gq
