#include "workloads/e2e/cuda/e2e_cuda_linear.cuh"

#include <vector>

#include "harness/gpu/cuda_check.h"

namespace gq {
namespace {

bool Capturing(cudaStream_t stream) {
  cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
  GQ_CUDA_CHECK(cudaStreamIsCapturing(stream, &status));
  return status != cudaStreamCaptureStatusNone;
}

}  // namespace

E2eLinearPlans::E2eLinearPlans(size_t workspace_bytes) {
  GQ_CUBLAS_CHECK(cublasLtCreate(handle_.out()));
  workspace_ = DeviceBuffer::Allocate(workspace_bytes);
}

void E2eLinearPlans::Run(const void* in, const void* weight, void* out, int m, int n, int k,
                         bool weight_nk, bool fp32_out, cudaStream_t stream) {
  const Key key{m, n, k, weight_nk, fp32_out};
  auto it = plans_.find(key);
  const bool capturing = Capturing(stream);
  GemmMatmulPlan lt;
  auto fill = [&](Plan& p) {
    lt.handle = handle_.get();
    lt.desc = p.desc.get();
    lt.a = p.a.get();
    lt.b = p.b.get();
    lt.c = p.c.get();
    lt.alpha = &alpha_;
    lt.beta = &beta_;
    lt.workspace = workspace_.get();
    lt.workspace_bytes = workspace_.bytes();
  };
  if (it == plans_.end()) {
    Plan p;
    GQ_CUBLAS_CHECK(cublasLtMatmulDescCreate(p.desc.out(), CUBLAS_COMPUTE_32F, CUDA_R_32F));
    const cublasOperation_t trans_a = weight_nk ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t trans_b = CUBLAS_OP_N;
    GQ_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.desc.get(), CUBLASLT_MATMUL_DESC_TRANSA, &trans_a, sizeof trans_a));
    GQ_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.desc.get(), CUBLASLT_MATMUL_DESC_TRANSB, &trans_b, sizeof trans_b));
    GQ_CUBLAS_CHECK(weight_nk ? cublasLtMatrixLayoutCreate(p.a.out(), CUDA_R_16BF, k, n, k)
                              : cublasLtMatrixLayoutCreate(p.a.out(), CUDA_R_16BF, n, k, n));
    GQ_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(p.b.out(), CUDA_R_16BF, k, m, k));
    GQ_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(p.c.out(), fp32_out ? CUDA_R_32F : CUDA_R_16BF, n, m, n));
    it = plans_.emplace(key, std::move(p)).first;
  }
  Plan& p = it->second;
  fill(p);
  const GemmOperandPtrs ops{weight, in, out};
  if (!p.tuned && (!capturing || p.selection.heuristic_count == 0)) {
    size_t next = 0;
    // Autotuning runs the candidates, which a capture must not record: heuristic only there.
    p.selection = SelectGemmAlgo(lt, std::vector<GemmOperandPtrs>{ops}, /*autotune=*/!capturing, stream, next);
    p.tuned = !capturing;
  }
  GQ_CUBLAS_CHECK(LaunchGemm(lt, p.selection.algo, ops, stream));
}

std::map<std::string, std::string> E2eLinearPlans::Describe() const {
  std::map<std::string, std::string> out;
  for (const auto& [key, p] : plans_) {
    const auto& [m, n, k, nk, fp32] = key;
    std::string text;
    for (const auto& [name, value] : DescribeGemmAlgo(p.selection.algo)) {
      text += (text.empty() ? "" : " ") + name + "=" + value;
    }
    text += " rank " + std::to_string(p.selection.rank) + " of " + std::to_string(p.selection.heuristic_count) +
            (p.tuned ? " (autotuned)" : " (heuristic)");
    out["gemm " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k) +
        (nk ? " NT" : " NN") + (fp32 ? " ->fp32" : "")] = text;
  }
  return out;
}

}  // namespace gq
