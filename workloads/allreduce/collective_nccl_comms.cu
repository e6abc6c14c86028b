// NCCL communicators of a run (contract in collective_nccl_comms.cuh and collective_nccl.h).
//
// MPI bootstrap, as the NCCL documentation's "Example 2: One Device per Process or Thread":
// rank 0 calls ncclGetUniqueId, the id is broadcast to every rank (here with a flag saying
// whether rank 0 got one, so a failure there fails every rank instead of leaving them waiting),
// and each rank calls ncclCommInitRank(nranks, id, rank) on its own GPU.
// Single process, as "Example 1: Single Process, Single Thread, Multiple Devices":
// ncclCommInitAll over the group's GPUs gives communicator i rank i on devices[i].
#include <cuda_runtime.h>

#include <cstring>
#include <exception>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>

#include "harness/gpu/cuda_check.h"
#include "workloads/allreduce/collective_nccl.h"
#include "workloads/allreduce/collective_nccl_comms.cuh"

namespace gq {

ncclRedOp_t NcclOp(CommOp op) {
  switch (op) {
    case CommOp::kSum:
      return ncclSum;
    case CommOp::kMax:
      return ncclMax;
    case CommOp::kMin:
      return ncclMin;
  }
  throw std::invalid_argument("unknown op");
}

NcclCommPool::~NcclCommPool() {
  for (auto& [key, set] : comms_) {
    for (ncclComm_t comm : set.comms) ncclCommDestroy(comm);
  }
}

const NcclComms& NcclCommPool::Get(const DeviceRef& device) {
  if (!device.IsCuda()) throw std::invalid_argument("NcclCommPool: not a CUDA device");
  const std::pair<int, int> key{device.index, device.count};
  auto it = comms_.find(key);
  if (it != comms_.end()) return it->second;
  if (world_.size() > 1 && device.count > 1) {
    throw std::logic_error("NcclCommPool: under MPI each rank drives one GPU");
  }
  NcclComms set = world_.size() > 1 ? InitWorld(device) : InitLocal(device);
  return comms_.emplace(key, std::move(set)).first->second;
}

NcclComms NcclCommPool::InitWorld(const DeviceRef& device) {
  struct {
    int ok;
    ncclUniqueId id;
  } root{};
  std::string error;
  if (world_.rank() == 0) {
    const ncclResult_t status = ncclGetUniqueId(&root.id);
    root.ok = status == ncclSuccess ? 1 : 0;
    if (!root.ok) error = std::string("ncclGetUniqueId failed: ") + ncclGetErrorString(status);
  }
  world_.Broadcast(&root, sizeof(root), 0);
  if (!root.ok)
    throw std::runtime_error(error.empty() ? "rank 0 could not make an NCCL id" : error);
  NcclComms set;
  set.devices = {device.index};
  set.ranks = {world_.rank()};
  set.nranks = world_.size();
  set.comms.assign(1, nullptr);
  GQ_CUDA_CHECK(cudaSetDevice(device.index));
  GQ_NCCL_CHECK(ncclCommInitRank(&set.comms[0], set.nranks, root.id, world_.rank()));
  set.mode = "one rank per GPU: ncclCommInitRank, unique id broadcast over MPI";
  return set;
}

NcclComms NcclCommPool::InitLocal(const DeviceRef& device) {
  NcclComms set;
  set.devices.resize(static_cast<std::size_t>(device.count));
  std::iota(set.devices.begin(), set.devices.end(), device.index);
  set.ranks.resize(set.devices.size());
  std::iota(set.ranks.begin(), set.ranks.end(), 0);
  set.nranks = device.count;
  set.comms.assign(set.devices.size(), nullptr);
  GQ_NCCL_CHECK(ncclCommInitAll(set.comms.data(), device.count, set.devices.data()));
  set.mode = device.count > 1 ? "one process, " + std::to_string(device.count) +
                                    " GPUs: ncclCommInitAll, grouped calls"
                              : "one process, one GPU: ncclCommInitAll";
  return set;
}

std::shared_ptr<NcclCommPool> MakeNcclCommPool(Communicator& world) {
  return std::make_shared<NcclCommPool>(world);
}

}  // namespace gq
