// Placement, memory check and set-up of the e2e CUDA backend (contract in e2e_cuda_backend.h):
// which GPUs and ranks the shards take, the bytes they need against the free memory, the
// shards' allocation (agreed over MPI ranks before any collective), the NCCL communicators.
#include <cuda_runtime.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/byte_text.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "workloads/attention/attention_decode.cuh"
#include "workloads/attention/attention_flash_fwd.cuh"
#include "workloads/e2e/cuda/e2e_cuda_backend.h"
#include "workloads/e2e/cuda/e2e_cuda_shard.cuh"
#include "workloads/e2e/model/e2e_weights.h"
#if GQ_WITH_NCCL
#include "workloads/allreduce/collective_nccl_comms.cuh"
#endif

namespace gq {

E2eGpuBytes E2eCudaBackendBytes(const E2eProblem& p, int64_t max_rows) {
  const ModelConfig& m = p.model;
  const double d = m.head_dim, hq = p.heads_local() * d, hkv = p.kv_heads_local() * d;
  E2eGpuBytes b;
  b.weights = 2.0 * RankWeightElements(p);
  b.kv_cache = 2.0 * 2.0 * m.layers * p.batch * double(p.max_seq()) * hkv;
  const double per_row = 3.0 * m.hidden + (hq + 2 * hkv) + hq + 2 * hkv + hq + 3.0 * p.ffn_local();
  b.activations = 2.0 * per_row * double(max_rows) + 2.0 * p.batch * m.hidden + 4.0 * p.batch * p.vocab_local();
  // cuBLASLt workspace, decode split partials (generous), and room for the CUDA context, NCCL
  // buffers and the graph: 1 GiB.
  b.workspace = double(kE2eGemmWorkspaceBytes) + 4.0 * p.batch * p.heads_local() * (d + 1) * 64 + double(1ull << 30);
  return b;
}

std::unique_ptr<E2eBackend> MakeE2eCudaBackend(const E2eProblem& p, int64_t max_rows, DeviceContext& ctx,
                                               Communicator& world, NcclCommPool* pool) {
  const DeviceRef& dev = ctx.device();
  if (!FlashFwdSupportsHeadDim(p.model.head_dim) || !FlashDecodeSupportsHeadDim(p.model.head_dim)) {
    throw CaseSkipped("no native attention kernel for head_dim " + std::to_string(p.model.head_dim) +
                      " (prefill: 64, 96, 128, 256; decode: 64, 128, 256)");
  }
  std::vector<int> devices, ranks;
  if (world.size() > 1 && p.tp > 1) {
    if (world.size() != p.tp) {
      throw CaseSkipped("tp=" + std::to_string(p.tp) + " under MPI needs exactly " + std::to_string(p.tp) +
                        " ranks (this job has " + std::to_string(world.size()) + ")");
    }
    devices = {dev.index};
    ranks = {world.rank()};
  } else {
    if (p.tp > dev.count) {
      throw CaseSkipped("tp=" + std::to_string(p.tp) + " needs " + std::to_string(p.tp) + " GPUs; " +
                        dev.Name() + " has " + std::to_string(dev.count));
    }
    for (int i = 0; i < p.tp; ++i) {
      devices.push_back(dev.index + i);
      ranks.push_back(i);
    }
  }
  // The free memory and the allocations may fail on one rank only: agree before the collective
  // communicator set-up.
  std::vector<std::unique_ptr<E2eShard>> shards;
  std::exception_ptr error;
  try {
    const E2eGpuBytes need = E2eCudaBackendBytes(p, max_rows);
    for (int d : devices) {
      size_t free = 0, total = 0;
      GQ_CUDA_CHECK(cudaSetDevice(d));
      GQ_CUDA_CHECK(cudaMemGetInfo(&free, &total));
      if (need.total() > double(free)) {
        throw CaseSkipped("does not fit: needs " + GiBText(need.total()) + " per GPU (weights " +
                          GiBText(need.weights) + ", KV cache " + GiBText(need.kv_cache) + ", activations " +
                          GiBText(need.activations) + ", workspace " + GiBText(need.workspace) + "), cuda:" +
                          std::to_string(d) + " has " + GiBText(double(free)) + " free");
      }
    }
    for (size_t i = 0; i < devices.size(); ++i) {
      int sms = 0;
      GQ_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, devices[i]));
      GQ_CUDA_CHECK(cudaSetDevice(devices[i]));
      ConfigureFlashFwd(Dtype::kBf16, p.model.head_dim);
      ConfigureFlashDecode(Dtype::kBf16, p.model.head_dim);
      shards.push_back(std::make_unique<E2eShard>(p, max_rows, devices[i], ranks[i], sms));
    }
  } catch (...) {
    error = std::current_exception();
  }
  AgreeToContinue(world, world.size() > 1 && p.tp > 1, error);
  std::vector<void*> comms;
  std::string mode;
  if (p.tp > 1) {
#if GQ_WITH_NCCL
    if (pool == nullptr) throw std::logic_error("e2e: tp > 1 without an NCCL pool");
    DeviceRef group = dev;
    group.count = world.size() > 1 ? 1 : p.tp;
    const NcclComms& set = pool->Get(group);
    for (ncclComm_t c : set.comms) comms.push_back(c);
    mode = set.mode;
#else
    throw CaseSkipped("tp > 1 needs NCCL; this build has none");
#endif
  }
  GQ_CUDA_CHECK(cudaSetDevice(devices[0]));
  return MakeE2eCudaBackendOn(p, std::move(shards), comms, mode);
}

}  // namespace gq
