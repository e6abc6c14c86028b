#include "workloads/gemm/gemm_cpu.h"

#include <cblas.h>

#include <climits>
#include <cstdio>
#include <new>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/errors.h"
#include "workloads/gemm/gemm_reference.h"

namespace gq {
namespace {

template <typename T>
std::vector<T> RandomUniform(int64_t count, uint64_t seed) {
  std::vector<T> values(static_cast<size_t>(count));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<T> dist(T(-1), T(1));
  for (T& v : values) v = dist(rng);
  return values;
}

template <typename T>
class GemmCpuCase final : public PreparedCase {
 public:
  explicit GemmCpuCase(const GemmProblem& problem) : g_(problem) {
    try {
      a_ = RandomUniform<T>(g_.m * g_.k, Mix64(g_.seed + 1));
      b_ = RandomUniform<T>(g_.k * g_.n, Mix64(g_.seed + 2));
      c_.assign(static_cast<size_t>(g_.m * g_.n), T(0));
    } catch (const std::bad_alloc&) {
      char text[96];
      std::snprintf(text, sizeof(text), "needs %.1f GiB of host memory",
                    GemmWork(g_).bytes / double(1ull << 30));
      throw CaseSkipped(text);
    }
  }

  void Run(void* /*stream*/) override {
    const CBLAS_TRANSPOSE trans_a = g_.layout == GemmLayout::kTN ? CblasTrans : CblasNoTrans;
    const int m = static_cast<int>(g_.m);
    const int n = static_cast<int>(g_.n);
    const int k = static_cast<int>(g_.k);
    const int lda = g_.layout == GemmLayout::kTN ? k : m;
    if constexpr (std::is_same_v<T, float>) {
      cblas_sgemm(CblasColMajor, trans_a, CblasNoTrans, m, n, k, 1.0f, a_.data(), lda, b_.data(), k,
                  0.0f, c_.data(), m);
    } else {
      cblas_dgemm(CblasColMajor, trans_a, CblasNoTrans, m, n, k, 1.0, a_.data(), lda, b_.data(), k,
                  0.0, c_.data(), m);
    }
    ran_ = true;
  }

  Work GetWork() const override { return GemmWork(g_); }

  VerifyResult Verify() override {
    if (!ran_) Run(nullptr);
    GemmVerifyInput input;
    input.m = g_.m;
    input.n = g_.n;
    input.k = g_.k;
    input.a = [this](int64_t i, int64_t p) { return double(a_[GemmOpAIndex(g_, i, p)]); };
    input.b = [this](int64_t p, int64_t j) { return double(b_[GemmOpBIndex(g_, p, j)]); };
    input.c = [this](int64_t i, int64_t j) { return double(c_[GemmCIndex(g_, i, j)]); };
    return VerifyGemmSampled(input, GemmTolerance(g_.dtype), Mix64(g_.seed + 3));
  }

  std::map<std::string, std::string> Details() const override {
    return {{"library", "OpenBLAS"},
            {"algo", std::is_same_v<T, float> ? "cblas_sgemm" : "cblas_dgemm"}};
  }

 private:
  GemmProblem g_;
  std::vector<T> a_, b_, c_;
  bool ran_ = false;
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareGemmCpu(const GemmProblem& problem) {
  if (problem.dtype != Dtype::kFp32 && problem.dtype != Dtype::kFp64) {
    throw CaseSkipped(std::string("dtype ") + DtypeName(problem.dtype) +
                      " is not supported by the cpu backend (supported: fp32, fp64)");
  }
  // CBLAS takes int dimensions and leading dimensions (OpenBLAS built with 32-bit integers).
  for (int64_t dim : {problem.m, problem.n, problem.k}) {
    if (dim > INT_MAX) throw CaseSkipped("the cpu backend takes dimensions up to 2^31 - 1");
  }
  if (problem.dtype == Dtype::kFp32) return std::make_unique<GemmCpuCase<float>>(problem);
  return std::make_unique<GemmCpuCase<double>>(problem);
}

}  // namespace gq
