#pragma once
// NCCL communicators of one run, made on first use and kept until the pool is destroyed
// (contract in collective_nccl.h).
#include <nccl.h>

#include <map>
#include <utility>
#include <vector>

#include "harness/device.h"
#include "harness/system/comm_types.h"
#include "harness/system/communicator.h"

namespace gq {

// The communicators this process holds for one set of GPUs: one per local GPU, in GPU order.
struct NcclComms {
  std::vector<int> devices;  // CUDA ordinals
  std::vector<int> ranks;    // each one's NCCL rank
  std::vector<ncclComm_t> comms;
  int nranks = 0;    // ranks in the communicator (all processes)
  std::string mode;  // how they were made, for the case details
};

// NCCL's spelling of an op (of a dtype: NcclDataType, harness/gpu/cuda_dtype.cuh).
ncclRedOp_t NcclOp(CommOp op);

class NcclCommPool {
 public:
  explicit NcclCommPool(Communicator& world) : world_(world) {}
  ~NcclCommPool();  // ncclCommDestroy on every communicator (errors ignored)
  NcclCommPool(const NcclCommPool&) = delete;
  NcclCommPool& operator=(const NcclCommPool&) = delete;

  // For `device`'s GPUs: under MPI (world of several ranks; one GPU per rank) this rank's
  // communicator over all ranks, from ncclCommInitRank with the unique id rank 0 broadcasts; in a
  // single process one communicator per GPU of the group (or the one GPU), from ncclCommInitAll.
  // Collective under MPI: every rank calls it for its first collective case.
  const NcclComms& Get(const DeviceRef& device);

 private:
  NcclComms InitWorld(const DeviceRef& device);
  NcclComms InitLocal(const DeviceRef& device);

  Communicator& world_;
  std::map<std::pair<int, int>, NcclComms> comms_;  // (first GPU, GPU count) -> communicators
};

}  // namespace gq
