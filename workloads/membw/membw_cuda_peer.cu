// Peer ops of the membw CUDA backend: d2d_ce (cudaMemcpyPeerAsync, copy engine) and d2d_sm
// (copy_kernel on this GPU writing the peer's memory) from this GPU to the next visible one,
// peer = (index + 1) % count. Peer access is enabled where the GPUs allow it (and disabled again
// at the end if this case enabled it); without it cudaMemcpyPeerAsync stages through host memory,
// which the case records, and d2d_sm is skipped. The source holds the array-0 pattern, the
// destination starts as kSentinelByte bytes and Verify checks every word of it.
#include <cuda_runtime.h>

#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/membw/membw_cuda_cases.cuh"
#include "workloads/membw/membw_kernels.cuh"
#include "workloads/membw/membw_pattern.h"
#include "workloads/membw/membw_verify.h"

namespace gq {
namespace {

// Peer access from `device` to `peer`, enabled by Enable and disabled again on destruction when
// Enable turned it on (not when it was already on). As a member of the case, it is also undone
// when a later step of the case's constructor throws.
class PeerAccess {
 public:
  PeerAccess() = default;
  PeerAccess(const PeerAccess&) = delete;
  PeerAccess& operator=(const PeerAccess&) = delete;
  ~PeerAccess() {
    if (!enabled_here_) return;
    int current = 0;
    cudaGetDevice(&current);
    cudaSetDevice(device_);
    cudaDeviceDisablePeerAccess(peer_);
    cudaSetDevice(current);
    (void)cudaGetLastError();  // an ignored failure is not left for a later check
  }

  // Makes `device` current and enables its access to `peer`'s memory.
  void Enable(int device, int peer) {
    GQ_CUDA_CHECK(cudaSetDevice(device));
    const cudaError_t status = cudaDeviceEnablePeerAccess(peer, 0);
    if (status == cudaErrorPeerAccessAlreadyEnabled) {
      cudaGetLastError();  // not sticky; clear it
      return;
    }
    GQ_CUDA_CHECK(status);
    device_ = device;
    peer_ = peer;
    enabled_here_ = true;
  }

 private:
  int device_ = 0, peer_ = 0;
  bool enabled_here_ = false;
};

class MembwPeerCase final : public PreparedCase {
 public:
  MembwPeerCase(const MembwProblem& problem, int device, int peer, cudaStream_t stream)
      : p_(problem),
        device_(device),
        peer_(peer),
        stream_(stream),
        n_(problem.size / kMembwVectorBytes) {
    int can_access = 0;
    GQ_CUDA_CHECK(cudaDeviceCanAccessPeer(&can_access, device_, peer_));
    if (!can_access && p_.op == MembwOp::kD2dSm) {
      throw CaseSkipped("cuda:" + std::to_string(device_) + " cannot access cuda:" +
                        std::to_string(peer_) + "'s memory (no peer access); d2d_sm needs it");
    }
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    if (can_access) {
      access_.Enable(device_, peer_);
      peer_access_ = true;
    }
    CheckDeviceMemory(static_cast<double>(p_.size));
    src_ = DeviceBuffer::Allocate(static_cast<size_t>(p_.size));
    FillSourceSlots(src_.as<uint32_t>(), p_.size / 4, p_.size / 4, p_.seed, 0, stream_);
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    GQ_CUDA_CHECK(cudaSetDevice(peer_));
    try {
      CheckDeviceMemory(static_cast<double>(p_.size));
      dst_ = DeviceBuffer::Allocate(static_cast<size_t>(p_.size));
      GQ_CUDA_CHECK(cudaMemset(dst_.get(), kSentinelByte, dst_.bytes()));
      GQ_CUDA_CHECK(cudaDeviceSynchronize());
    } catch (...) {
      cudaSetDevice(device_);
      throw;
    }
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    if (p_.op == MembwOp::kD2dSm) launch_ = PlanMembwLaunch(MembwKernel::kCopy, device_, n_);
  }

  ~MembwPeerCase() override {
    cudaSetDevice(device_);
    cudaStreamSynchronize(stream_);
  }  // then each buffer is freed on its own device, and access_ disables the peer access this
     // case enabled

  void Run(void* stream) override {
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    if (p_.op == MembwOp::kD2dCe) {
      GQ_CUDA_CHECK(cudaMemcpyPeerAsync(dst_.get(), peer_, src_.get(), device_,
                                        static_cast<size_t>(p_.size), s));
    } else {
      LaunchCopy(dst_.get(), src_.get(), n_, launch_, s);
    }
    ran_ = true;
  }

  Work GetWork() const override { return MembwWork(p_); }

  VerifyResult Verify() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    if (!ran_) Run(stream_);
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    std::vector<uint32_t> host(static_cast<size_t>(p_.size) / 4);
    GQ_CUDA_CHECK(
        cudaMemcpy(host.data(), dst_.get(), static_cast<size_t>(p_.size), cudaMemcpyDeviceToHost));
    return CheckSourceWords(host.data(), p_.size / 4, ArraySeed(p_.seed, 0, 0));
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d;
    d["peer"] = "cuda:" + std::to_string(peer_);
    d["peer_access"] =
        peer_access_ ? "enabled" : "not available (copies staged through host memory)";
    int rank = -1;
    if (cudaDeviceGetP2PAttribute(&rank, cudaDevP2PAttrPerformanceRank, device_, peer_) ==
        cudaSuccess) {
      d["p2p_performance_rank"] = std::to_string(rank);
    } else {
      cudaGetLastError();
    }
    d["bytes_counted"] = "bytes copied, once (nvbandwidth)";
    d["engine"] = p_.op == MembwOp::kD2dCe ? "copy engine (cudaMemcpyPeerAsync)"
                                           : "SM kernel copy_kernel writing peer memory";
    if (p_.op == MembwOp::kD2dSm) {
      d["grid"] = std::to_string(launch_.blocks) + " x " + std::to_string(launch_.threads);
    }
    return d;
  }

 private:
  MembwProblem p_;
  int device_, peer_;
  cudaStream_t stream_;
  int64_t n_;
  bool peer_access_ = false;
  PeerAccess access_;       // declared before the buffers: destroyed after them
  DeviceBuffer src_, dst_;  // src_ on device_, dst_ on peer_
  MembwLaunch launch_;
  bool ran_ = false;
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareMembwPeer(const MembwProblem& problem, int device,
                                               cudaStream_t stream) {
  const int count = CudaDeviceCount();
  if (count < 2) {
    throw CaseSkipped(std::string(MembwOpName(problem.op)) + " copies between two GPUs; " +
                      std::to_string(count) + " visible");
  }
  return std::make_unique<MembwPeerCase>(problem, device, (device + 1) % count, stream);
}

}  // namespace gq
