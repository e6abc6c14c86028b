// The cuBLASLt backend of the gemm workload (contract in gemm_cublaslt.h). No kernels of its own:
// the operands are filled by gemm_fill.cu and multiplied by cublasLtMatmul.
#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/byte_text.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "workloads/gemm/gemm_algo_select.cuh"
#include "workloads/gemm/gemm_cublaslt.h"
#include "workloads/gemm/gemm_cublaslt_support.cuh"
#include "workloads/gemm/gemm_cuda_objects.cuh"
#include "workloads/gemm/gemm_fill.cuh"
#include "workloads/gemm/gemm_reference.h"

namespace gq {
namespace {

constexpr size_t kWorkspaceBytes = size_t{64} << 20;
// Rotation (DESIGN.md §5): when one operand set is under kL2Multiple x L2, use enough copies that
// together they exceed it, at most kMaxCopies.
constexpr double kL2Multiple = 3.0;
constexpr int kMaxCopies = 16;
constexpr double kUsableFreeFraction = 0.9;
// fp8 per-tensor scales: powers of two (exact), their product 1/8 far from 1, so that Verify
// (which applies them) fails a kernel that ignores the scale pointers; |C| <= k/8 fits bf16.
constexpr float kFp8ScaleA = 0.5f;
constexpr float kFp8ScaleB = 0.25f;
// Every output type reads bytes of 0x70 as a large finite value (bf16 ~2e29, fp16 9088, fp32
// ~2e29, fp64 ~1e233): an entry the GEMM fails to write shows up in Verify, while a kernel that
// reads C despite beta = 0 still gets 0 * C = 0.
constexpr int kOutputSentinelByte = 0x70;

template <typename T>
double ToDouble(T v) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    return static_cast<double>(v);
  } else {
    return static_cast<double>(static_cast<float>(v));  // bf16, fp16, fp8: exact in float
  }
}

struct OperandCopy {
  DeviceBuffer a, b, c;
};

class GemmCublasLtCase final : public PreparedCase {
 public:
  GemmCublasLtCase(const GemmProblem& problem, int device, cudaStream_t stream)
      : g_(problem), device_(device), stream_(stream), types_(GemmLtTypesFor(problem.dtype)) {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    int major = 0, minor = 0, l2_bytes = 0;
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device_));
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device_));
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device_));
    CheckGemmSupportedByCublasLt(g_, 10 * major + minor);
    AllocateAndFill(l2_bytes);
    BuildPlan();
    size_t next = 0;
    selection_ = SelectGemmAlgo(plan_, ptrs_, g_.algo == GemmAlgo::kAutotune, stream_, next);
    // Autotuning wrote every output with other algorithms: reset them so that Verify sees only
    // what the chosen algorithm writes.
    for (const OperandCopy& copy : copies_) {
      GQ_CUDA_CHECK(cudaMemsetAsync(copy.c.get(), kOutputSentinelByte, copy.c.bytes(), stream_));
    }
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    algo_details_ = DescribeGemmAlgo(selection_.algo);
  }

  ~GemmCublasLtCase() override {
    // Outstanding work must finish before the memory goes; errors are ignored (no throwing).
    cudaSetDevice(device_);
    cudaDeviceSynchronize();
  }

  // Precondition: the case's device is current (Prepare, Verify and the CUDA context's timers
  // and Synchronize make it so); no call here but the matmul.
  void Run(void* stream) override {
    const size_t index = next_;
    next_ = (next_ + 1) % ptrs_.size();
    GQ_CUBLAS_CHECK(
        LaunchGemm(plan_, selection_.algo, ptrs_[index], static_cast<cudaStream_t>(stream)));
    last_ = index;
  }

  Work GetWork() const override { return GemmWork(g_); }

  VerifyResult Verify() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    if (!last_) Run(stream_);
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    switch (g_.dtype) {
      case Dtype::kBf16:
        return VerifyTyped<__nv_bfloat16, __nv_bfloat16>();
      case Dtype::kFp16:
        return VerifyTyped<__half, __half>();
      case Dtype::kTf32:
      case Dtype::kFp32:
        return VerifyTyped<float, float>();
      case Dtype::kFp64:
        return VerifyTyped<double, double>();
      case Dtype::kFp8E4m3:
        return VerifyTyped<__nv_fp8_e4m3, __nv_bfloat16>();
      default:
        break;
    }
    throw std::logic_error(std::string("gemm takes no ") + DtypeName(g_.dtype));
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> details = algo_details_;
    const bool autotune = g_.algo == GemmAlgo::kAutotune;
    details["algo"] =
        autotune ? "autotune best of " + std::to_string(selection_.timed_count) : "heuristic";
    details["algo_rank"] = std::to_string(selection_.rank);
    details["heuristic_candidates"] = std::to_string(selection_.heuristic_count);
    details["buffers"] = std::to_string(copies_.size());
    details["library"] = "cuBLASLt " + std::to_string(cublasLtGetVersion());
    if (autotune) {
      std::string list;
      char text[32];
      for (double us : selection_.candidate_us) {
        if (std::isnan(us)) {
          std::snprintf(text, sizeof(text), "failed");
        } else {
          std::snprintf(text, sizeof(text), "%.1f", us);
        }
        if (!list.empty()) list += ',';
        list += text;
      }
      details["candidate_us"] = list;
    }
    return details;
  }

 private:
  void AllocateAndFill(int l2_bytes) {
    const double a_elems = double(g_.m) * double(g_.k);
    const double b_elems = double(g_.k) * double(g_.n);
    const double c_elems = double(g_.m) * double(g_.n);
    const double in_size = double(DtypeBytes(g_.dtype));
    const double set_bytes =
        (a_elems + b_elems) * in_size + c_elems * double(DtypeBytes(GemmOutputDtype(g_.dtype)));
    int copies = 1;
    if (set_bytes < kL2Multiple * l2_bytes) {
      copies = std::min(kMaxCopies, static_cast<int>(kL2Multiple * l2_bytes / set_bytes) + 1);
    }
    const double needed = copies * set_bytes + double(kWorkspaceBytes) + 4096.0;
    size_t free_bytes = 0, total_bytes = 0;
    GQ_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    if (needed > kUsableFreeFraction * double(free_bytes)) {
      throw CaseSkipped("needs " + GiBText(needed) + ", " + GiBText(double(free_bytes)) + " free");
    }

    workspace_ = DeviceBuffer::Allocate(kWorkspaceBytes);
    const size_t in_bytes = DtypeBytes(g_.dtype);
    const size_t out_bytes = DtypeBytes(GemmOutputDtype(g_.dtype));
    for (int i = 0; i < copies; ++i) {
      OperandCopy copy;
      copy.a = DeviceBuffer::Allocate(static_cast<size_t>(a_elems) * in_bytes);
      copy.b = DeviceBuffer::Allocate(static_cast<size_t>(b_elems) * in_bytes);
      copy.c = DeviceBuffer::Allocate(static_cast<size_t>(c_elems) * out_bytes);
      const uint64_t seed = g_.seed + 16 * static_cast<uint64_t>(i);
      FillInputs(copy, static_cast<int64_t>(a_elems), static_cast<int64_t>(b_elems), seed);
      GQ_CUDA_CHECK(cudaMemsetAsync(copy.c.get(), kOutputSentinelByte, copy.c.bytes(), stream_));
      ptrs_.push_back({copy.a.get(), copy.b.get(), copy.c.get()});
      copies_.push_back(std::move(copy));
    }
    if (g_.dtype == Dtype::kFp8E4m3) {
      // A's scale at offset 0 and B's at 256 bytes, each aligned as cudaMalloc memory is.
      scales_ = DeviceBuffer::Allocate(512);
      const float a_scale = kFp8ScaleA, b_scale = kFp8ScaleB;
      GQ_CUDA_CHECK(cudaMemcpyAsync(scales_.as<char>(), &a_scale, sizeof(float),
                                    cudaMemcpyHostToDevice, stream_));
      GQ_CUDA_CHECK(cudaMemcpyAsync(scales_.as<char>() + 256, &b_scale, sizeof(float),
                                    cudaMemcpyHostToDevice, stream_));
    }
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));  // the host scale values above are locals
  }

  void FillInputs(const OperandCopy& copy, int64_t a_elems, int64_t b_elems, uint64_t seed) {
    const uint64_t seed_a = Mix64(seed + 1), seed_b = Mix64(seed + 2);
    switch (g_.dtype) {
      case Dtype::kBf16:
        FillUniform(copy.a.as<__nv_bfloat16>(), a_elems, seed_a, stream_);
        FillUniform(copy.b.as<__nv_bfloat16>(), b_elems, seed_b, stream_);
        break;
      case Dtype::kFp16:
        FillUniform(copy.a.as<__half>(), a_elems, seed_a, stream_);
        FillUniform(copy.b.as<__half>(), b_elems, seed_b, stream_);
        break;
      case Dtype::kTf32:
      case Dtype::kFp32:
        FillUniform(copy.a.as<float>(), a_elems, seed_a, stream_);
        FillUniform(copy.b.as<float>(), b_elems, seed_b, stream_);
        break;
      case Dtype::kFp64:
        FillUniform(copy.a.as<double>(), a_elems, seed_a, stream_);
        FillUniform(copy.b.as<double>(), b_elems, seed_b, stream_);
        break;
      case Dtype::kFp8E4m3:
        FillUniform(copy.a.as<__nv_fp8_e4m3>(), a_elems, seed_a, stream_);
        FillUniform(copy.b.as<__nv_fp8_e4m3>(), b_elems, seed_b, stream_);
        break;
      default:
        throw std::logic_error(std::string("gemm takes no ") + DtypeName(g_.dtype));
    }
  }

  void BuildPlan() {
    GQ_CUBLAS_CHECK(cublasLtCreate(handle_.out()));
    GQ_CUBLAS_CHECK(cublasLtMatmulDescCreate(desc_.out(), types_.compute, types_.scale));
    const bool tn = g_.layout == GemmLayout::kTN;
    const cublasOperation_t trans_a = tn ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t trans_b = CUBLAS_OP_N;
    GQ_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(desc_.get(), CUBLASLT_MATMUL_DESC_TRANSA,
                                                   &trans_a, sizeof(trans_a)));
    GQ_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(desc_.get(), CUBLASLT_MATMUL_DESC_TRANSB,
                                                   &trans_b, sizeof(trans_b)));
    if (g_.dtype == Dtype::kFp8E4m3) {
      const void* a_scale = scales_.as<char>();
      const void* b_scale = scales_.as<char>() + 256;
      GQ_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(
          desc_.get(), CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &a_scale, sizeof(a_scale)));
      GQ_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(
          desc_.get(), CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &b_scale, sizeof(b_scale)));
    }
    // Storage as in gemm_problem.h: A is k x m (TN) or m x k (NN), B is k x n, C is m x n.
    const uint64_t m = g_.m, n = g_.n, k = g_.k;
    GQ_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(a_layout_.out(), types_.in, tn ? k : m, tn ? m : k,
                                               static_cast<int64_t>(tn ? k : m)));
    GQ_CUBLAS_CHECK(
        cublasLtMatrixLayoutCreate(b_layout_.out(), types_.in, k, n, static_cast<int64_t>(k)));
    GQ_CUBLAS_CHECK(
        cublasLtMatrixLayoutCreate(c_layout_.out(), types_.out, m, n, static_cast<int64_t>(m)));
    plan_.handle = handle_.get();
    plan_.desc = desc_.get();
    plan_.a = a_layout_.get();
    plan_.b = b_layout_.get();
    plan_.c = c_layout_.get();
    const bool fp64 = g_.dtype == Dtype::kFp64;
    plan_.alpha = fp64 ? static_cast<const void*>(&alpha_d_) : &alpha_f_;
    plan_.beta = fp64 ? static_cast<const void*>(&beta_d_) : &beta_f_;
    plan_.workspace = workspace_.get();
    plan_.workspace_bytes = workspace_.bytes();
  }

  template <typename T>
  std::vector<T> ToHost(const DeviceBuffer& buffer) const {
    std::vector<T> host(buffer.bytes() / sizeof(T));
    GQ_CUDA_CHECK(cudaMemcpyAsync(host.data(), buffer.get(), host.size() * sizeof(T),
                                  cudaMemcpyDeviceToHost, stream_));
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return host;
  }

  // Checks the copy the last Run wrote against float64 dot products of the same quantised inputs
  // (times the fp8 scales).
  template <typename In, typename Out>
  VerifyResult VerifyTyped() const {
    const OperandCopy& copy = copies_[*last_];
    const std::vector<In> a = ToHost<In>(copy.a);
    const std::vector<In> b = ToHost<In>(copy.b);
    const std::vector<Out> c = ToHost<Out>(copy.c);
    const bool fp8 = g_.dtype == Dtype::kFp8E4m3;
    const double scale_a = fp8 ? kFp8ScaleA : 1.0;
    const double scale_b = fp8 ? kFp8ScaleB : 1.0;
    GemmVerifyInput input;
    input.m = g_.m;
    input.n = g_.n;
    input.k = g_.k;
    input.a = [&](int64_t i, int64_t p) { return scale_a * ToDouble(a[GemmOpAIndex(g_, i, p)]); };
    input.b = [&](int64_t p, int64_t j) { return scale_b * ToDouble(b[GemmOpBIndex(g_, p, j)]); };
    input.c = [&](int64_t i, int64_t j) { return ToDouble(c[GemmCIndex(g_, i, j)]); };
    return VerifyGemmSampled(input, GemmTolerance(g_.dtype), Mix64(g_.seed + 3));
  }

  GemmProblem g_;
  int device_;
  cudaStream_t stream_;
  GemmLtTypes types_;
  float alpha_f_ = 1.0f, beta_f_ = 0.0f;  // scale type fp32
  double alpha_d_ = 1.0, beta_d_ = 0.0;   // scale type fp64
  LtHandle handle_;
  LtMatmulDesc desc_;
  LtMatrixLayout a_layout_, b_layout_, c_layout_;
  DeviceBuffer workspace_, scales_;
  std::vector<OperandCopy> copies_;
  std::vector<GemmOperandPtrs> ptrs_;
  GemmMatmulPlan plan_;
  GemmAlgoSelection selection_;
  std::map<std::string, std::string> algo_details_;
  size_t next_ = 0;
  std::optional<size_t> last_;  // the copy the last Run wrote
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareGemmCublasLt(const GemmProblem& problem, DeviceContext& ctx) {
  if (!ctx.device().IsCuda()) {
    throw std::invalid_argument("PrepareGemmCublasLt: not a CUDA context");
  }
  return std::make_unique<GemmCublasLtCase>(problem, ctx.device().index,
                                            static_cast<cudaStream_t>(ctx.stream()));
}

}  // namespace gq
