// The cudnn backend of the attention workload (contract in attention_cudnn.h). No kernels of its
// own: the graph is attention_cudnn_graph.cu's, the data attention_device_data.cu's.
#include <stdexcept>
#include <string>

#include "harness/errors.h"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/attention/attention_cudnn.h"

#if GQ_WITH_CUDNN

#include <cuda_runtime.h>

#include <climits>
#include <optional>
#include <vector>

#include "harness/gpu/cuda_check.h"
#include "workloads/attention/attention_cudnn_backend.cuh"
#include "workloads/attention/attention_cudnn_graph.cuh"
#include "workloads/attention/attention_device_data.cuh"

namespace gq {
namespace {

using cudnn_backend::Descriptor;

class AttentionCudnnCase final : public PreparedCase {
 public:
  AttentionCudnnCase(const AttentionProblem& problem, int device, cudaStream_t stream)
      : p_(problem), device_(device), stream_(stream) {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    int major = 0;
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device_));
    if (major < 8) throw CaseSkipped("cuDNN fused attention needs compute capability >= 8.0");
    if (p_.head_dim % 8 != 0 || p_.head_dim > 256) {
      throw CaseSkipped("cuDNN fused attention takes head_dim a multiple of 8 up to 256 (got " +
                        std::to_string(p_.head_dim) + ")");
    }
    if (p_.causal && p_.seq_q > p_.seq_kv) {
      throw CaseSkipped(
          "causal with seq_q > seq_kv leaves query rows that attend no key; "
          "cuDNN's output for them is not defined");
    }
    if (p_.seq_q > INT_MAX || p_.seq_kv > INT_MAX) throw CaseSkipped("sequences above 2^31 - 1");
    handle_.emplace();
    GQ_CUDNN_CHECK(cudnnSetStream(handle_->get(), stream_));
    // The inference graph (stats virtual) first, as torch and cudnn_frontend build it; if no
    // engine takes it, the training graph that also writes the softmax stats.
    try {
      plan_.emplace(handle_->get(), p_, /*stats_output=*/false);
    } catch (const CaseSkipped& first) {
      try {
        plan_.emplace(handle_->get(), p_, /*stats_output=*/true);
      } catch (const CaseSkipped&) {
        throw first;
      }
    }
    const double stats_bytes =
        plan_->stats_output() ? double(p_.batch) * p_.heads * p_.seq_q * sizeof(float) : 0.0;
    data_.emplace(p_, stream_, double(plan_->workspace_bytes()) + stats_bytes);
    if (plan_->workspace_bytes() > 0) {
      workspace_ = DeviceBuffer::Allocate(static_cast<size_t>(plan_->workspace_bytes()));
    }
    if (stats_bytes > 0) stats_ = DeviceBuffer::Allocate(static_cast<size_t>(stats_bytes));
    for (size_t i = 0; i < data_->size(); ++i) packs_.push_back(MakeVariantPack(data_->set(i)));
  }

  ~AttentionCudnnCase() override {
    cudaSetDevice(device_);
    cudaDeviceSynchronize();
  }

  // Precondition: the case's device is current. Only cudnnBackendExecute (and cudnnSetStream
  // when the runner hands another stream than the case's).
  void Run(void* stream) override {
    const size_t index = next_;
    next_ = (next_ + 1) % packs_.size();
    const auto s = static_cast<cudaStream_t>(stream);
    if (s != current_stream_) {
      GQ_CUDNN_CHECK(cudnnSetStream(handle_->get(), s));
      current_stream_ = s;
    }
    GQ_CUDNN_CHECK(cudnnBackendExecute(handle_->get(), plan_->plan(), packs_[index].get()));
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
    return {{"library", "cuDNN " + std::to_string(cudnnGetVersion())},
            {"kernel", std::string("cuDNN fused SDPA graph") +
                           (plan_->stats_output() ? " with stats output" : " (inference)")},
            {"engine", plan_->engine()},
            {"workspace_bytes", std::to_string(plan_->workspace_bytes())},
            {"buffers", std::to_string(data_->size())},
            {"layout", "BSHD"}};
  }

 private:
  Descriptor MakeVariantPack(const AttentionDeviceData::Set& set) {
    const SdpaScalars& scalars = plan_->scalars();  // lives as long as plan_
    std::vector<int64_t> uids = {kSdpaUidQ, kSdpaUidK, kSdpaUidV, kSdpaUidO, kSdpaUidScale};
    std::vector<void*> ptrs = {set.q.get(), set.k.get(), set.v.get(), set.o.get(),
                               const_cast<float*>(&scalars.scale)};
    if (plan_->causal()) {
      uids.push_back(kSdpaUidNegInf);
      ptrs.push_back(const_cast<float*>(&scalars.neg_inf));
    }
    if (plan_->shifted_diagonal()) {
      uids.push_back(kSdpaUidSeqKv);
      ptrs.push_back(const_cast<int32_t*>(&scalars.seq_kv));
      uids.push_back(kSdpaUidSeqQ);
      ptrs.push_back(const_cast<int32_t*>(&scalars.seq_q));
    }
    if (plan_->stats_output()) {
      uids.push_back(kSdpaUidStats);
      ptrs.push_back(stats_.get());
    }
    void* workspace = workspace_.get();
    Descriptor pack(CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR);
    pack.Set(CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, int64_t(uids.size()),
             uids.data());
    pack.Set(CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR, int64_t(ptrs.size()),
             ptrs.data());
    pack.Set(CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &workspace);
    pack.Finalize();
    return pack;
  }

  AttentionProblem p_;
  int device_;
  cudaStream_t stream_;
  cudaStream_t current_stream_ = stream_;
  std::optional<cudnn_backend::Handle> handle_;
  std::optional<CudnnSdpaPlan> plan_;
  std::optional<AttentionDeviceData> data_;
  DeviceBuffer workspace_, stats_;
  std::vector<Descriptor> packs_;
  size_t next_ = 0;
  std::optional<size_t> last_;  // the copy the last Run wrote
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareAttentionCudnn(const AttentionProblem& problem,
                                                    DeviceContext& ctx) {
  if (!ctx.device().IsCuda()) {
    throw std::invalid_argument("PrepareAttentionCudnn: not a CUDA context");
  }
  return std::make_unique<AttentionCudnnCase>(problem, ctx.device().index,
                                              static_cast<cudaStream_t>(ctx.stream()));
}

}  // namespace gq

#else  // !GQ_WITH_CUDNN

namespace gq {

std::unique_ptr<PreparedCase> PrepareAttentionCudnn(const AttentionProblem& /*problem*/,
                                                    DeviceContext& /*ctx*/) {
  throw CaseSkipped(
      "this build has no cuDNN (cudnn_graph.h and libcudnn were not found when "
      "configuring)");
}

}  // namespace gq

#endif  // GQ_WITH_CUDNN
