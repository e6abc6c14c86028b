// The native backend of the attention workload (contract in attention_native.h). No kernels of
// its own: it owns the case's device data and launches attention_flash_fwd.cu or
// attention_decode.cu.
#include <cuda_runtime.h>

#include <climits>
#include <optional>
#include <stdexcept>
#include <string>

#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/attention/attention_decode.cuh"
#include "workloads/attention/attention_device_data.cuh"
#include "workloads/attention/attention_flash_fwd.cuh"
#include "workloads/attention/attention_native.h"

namespace gq {
namespace {

NativeAttentionKernel ChooseKernel(const AttentionProblem& p, NativeAttentionKernel requested) {
  if (requested != NativeAttentionKernel::kAuto) return requested;
  if (p.seq_q <= kAttentionDecodeMaxSeqQ && FlashDecodeSupportsHeadDim(p.head_dim)) {
    return NativeAttentionKernel::kDecode;
  }
  return NativeAttentionKernel::kFlash;
}

class AttentionNativeCase final : public PreparedCase {
 public:
  AttentionNativeCase(const AttentionProblem& problem, int device, cudaStream_t stream,
                      NativeAttentionKernel kernel)
      : p_(problem), device_(device), stream_(stream), kernel_(kernel) {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    int major = 0, sm_count = 0, smem_optin = 0;
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device_));
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&sm_count, cudaDevAttrMultiProcessorCount, device_));
    GQ_CUDA_CHECK(
        cudaDeviceGetAttribute(&smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device_));
    if (major < 8) {
      throw CaseSkipped(
          "native attention kernels need compute capability >= 8.0 (mma.sync "
          "bf16/fp16, cp.async)");
    }
    const bool decode = kernel_ == NativeAttentionKernel::kDecode;
    if (decode ? !FlashDecodeSupportsHeadDim(p_.head_dim) : !FlashFwdSupportsHeadDim(p_.head_dim)) {
      throw CaseSkipped(std::string("native ") + (decode ? "decode" : "flash") +
                        " kernel has no head_dim " + std::to_string(p_.head_dim) +
                        (decode ? " (supported: 64, 128, 256)" : " (supported: 64, 96, 128, 256)"));
    }
    const size_t smem = decode ? FlashDecodeSmemBytes(p_.dtype, p_.head_dim)
                               : FlashFwdSmemBytes(p_.dtype, p_.head_dim);
    if (smem > static_cast<size_t>(smem_optin)) {
      throw CaseSkipped("kernel needs " + std::to_string(smem) +
                        " bytes of shared memory per "
                        "block; this device allows " +
                        std::to_string(smem_optin));
    }
    if (p_.batch > 65535 || p_.heads > 65535 || p_.seq_q > INT_MAX / 2 || p_.seq_kv > INT_MAX / 2) {
      throw CaseSkipped(
          "native kernels take batch and heads up to 65535 and sequences up to "
          "2^30 tokens");
    }
    double workspace_bytes = 0;
    if (decode) {
      splits_ = FlashDecodeSplits(int(p_.batch), int(p_.heads), int(p_.kv_heads), int(p_.seq_q),
                                  int(p_.seq_kv), sm_count);
      workspace_bytes = static_cast<double>(FlashDecodeWorkspaceBytes(
          int(p_.batch), int(p_.heads), int(p_.seq_q), int(p_.head_dim), splits_));
    }
    data_.emplace(p_, stream_, workspace_bytes);
    if (decode) {
      workspace_ = DeviceBuffer::Allocate(static_cast<size_t>(workspace_bytes));
      ConfigureFlashDecode(p_.dtype, p_.head_dim);
    } else {
      ConfigureFlashFwd(p_.dtype, p_.head_dim);
    }
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  ~AttentionNativeCase() override {
    // Outstanding work must finish before the memory goes; errors are ignored (no throwing).
    cudaSetDevice(device_);
    cudaDeviceSynchronize();
  }

  // Precondition: the case's device is current. Only kernel launches.
  void Run(void* stream) override {
    const size_t index = next_;
    next_ = (next_ + 1) % data_->size();
    const AttentionDeviceData::Set& set = data_->set(index);
    const auto s = static_cast<cudaStream_t>(stream);
    if (kernel_ == NativeAttentionKernel::kDecode) {
      FlashDecodeArgs a;
      a.q = set.q.get();
      a.k = set.k.get();
      a.v = set.v.get();
      a.o = set.o.get();
      Shape(a);
      a.splits = splits_;
      a.workspace = workspace_.as<float>();
      LaunchFlashDecode(a, s);
    } else {
      FlashFwdArgs a;
      a.q = set.q.get();
      a.k = set.k.get();
      a.v = set.v.get();
      a.o = set.o.get();
      Shape(a);
      LaunchFlashFwd(a, s);
    }
    last_ = index;
  }

  Work GetWork() const override { return AttentionWork(p_); }

  VerifyResult Verify() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    const size_t index = last_.value_or(0);
    data_->PoisonOutput(index);
    next_ = index;
    Run(stream_);
    return data_->Verify(index);
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> details;
    if (kernel_ == NativeAttentionKernel::kDecode) {
      details["kernel"] = "flash_decode_split_kernel + flash_decode_combine_kernel (CUDA cores)";
      details["splits"] = std::to_string(splits_);
    } else {
      details["kernel"] = "flash_attention_fwd_kernel (FlashAttention-2, mma.sync m16n8k16)";
      details["tile"] = FlashFwdTileName(p_.head_dim);
    }
    details["buffers"] = std::to_string(data_->size());
    details["layout"] = "BSHD";
    return details;
  }

 private:
  template <typename Args>
  void Shape(Args& a) const {
    a.batch = static_cast<int>(p_.batch);
    a.heads = static_cast<int>(p_.heads);
    a.kv_heads = static_cast<int>(p_.kv_heads);
    a.seq_q = static_cast<int>(p_.seq_q);
    a.seq_kv = static_cast<int>(p_.seq_kv);
    a.head_dim = static_cast<int>(p_.head_dim);
    a.causal = p_.causal;
    a.dtype = p_.dtype;
  }

  AttentionProblem p_;
  int device_;
  cudaStream_t stream_;
  NativeAttentionKernel kernel_;
  int splits_ = 1;
  std::optional<AttentionDeviceData> data_;
  DeviceBuffer workspace_;
  size_t next_ = 0;
  std::optional<size_t> last_;  // the copy the last Run wrote
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareAttentionNative(const AttentionProblem& problem,
                                                     DeviceContext& ctx,
                                                     NativeAttentionKernel kernel) {
  if (!ctx.device().IsCuda()) {
    throw std::invalid_argument("PrepareAttentionNative: not a CUDA context");
  }
  return std::make_unique<AttentionNativeCase>(problem, ctx.device().index,
                                               static_cast<cudaStream_t>(ctx.stream()),
                                               ChooseKernel(problem, kernel));
}

}  // namespace gq
