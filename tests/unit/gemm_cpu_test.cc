// Tests of the gemm workload's CPU backend (workloads/gemm/gemm_cpu.cc), its reference check
// (gemm_reference.cc), its work formulas (gemm_problem.cc) and its declared axes and metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "harness/device.h"
#include "harness/errors.h"
#include "workloads/gemm/gemm_problem.h"
#include "workloads/gemm/gemm_reference.h"
#include "workloads/gemm/gemm_workload.h"

namespace gq {
namespace {

CaseSpec GemmCase(const std::string& dtype, int m, int n, int k, const std::string& layout) {
  return {"gemm",
          {{"dtype", dtype},
           {"m", std::to_string(m)},
           {"n", std::to_string(n)},
           {"k", std::to_string(k)},
           {"layout", layout},
           {"algo", "autotune"}}};
}

struct CpuShape {
  std::string dtype;
  std::string layout;
};

class GemmCpuVerifyTest : public testing::TestWithParam<CpuShape> {};

TEST_P(GemmCpuVerifyTest, OddShapePassesWithTinyError) {
  GemmWorkload workload;
  auto ctx = MakeCpuContext();
  const auto& param = GetParam();
  for (auto [m, n, k] : {std::tuple{37, 53, 61}, std::tuple{1, 1, 1}, std::tuple{64, 3, 129}}) {
    auto prepared = workload.Prepare(GemmCase(param.dtype, m, n, k, param.layout), *ctx);
    prepared->Run(ctx->stream());
    ctx->Synchronize();
    const VerifyResult result = prepared->Verify();
    EXPECT_TRUE(result.passed) << result.detail;
    EXPECT_LE(result.max_rel_err, param.dtype == "fp64" ? 1e-14 : 1e-6) << result.detail;
    EXPECT_EQ(result.tolerance, param.dtype == "fp64" ? 1e-12 : 1e-5);
    EXPECT_FALSE(prepared->Details().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(DtypesAndLayouts, GemmCpuVerifyTest,
                         testing::Values(CpuShape{"fp32", "TN"}, CpuShape{"fp32", "NN"},
                                         CpuShape{"fp64", "TN"}, CpuShape{"fp64", "NN"}),
                         [](const auto& info) { return info.param.dtype + info.param.layout; });

TEST(GemmCpuTest, UnsupportedDtypesAreSkipped) {
  GemmWorkload workload;
  auto ctx = MakeCpuContext();
  for (const char* dtype : {"bf16", "fp16", "tf32", "fp8_e4m3"}) {
    try {
      workload.Prepare(GemmCase(dtype, 8, 8, 8, "TN"), *ctx);
      ADD_FAILURE() << dtype << " was not skipped";
    } catch (const CaseSkipped& e) {
      EXPECT_NE(std::string(e.what()).find("fp32, fp64"), std::string::npos) << e.what();
    }
  }
}

TEST(GemmCpuTest, NonPositiveDimensionIsUsageError) {
  GemmWorkload workload;
  auto ctx = MakeCpuContext();
  EXPECT_THROW(workload.Prepare(GemmCase("fp32", 0, 8, 8, "TN"), *ctx), UsageError);
  EXPECT_THROW(workload.Prepare(GemmCase("fp32", 8, 8, -1, "NN"), *ctx), UsageError);
}

TEST(GemmCpuTest, SameCaseGivesSameInputs) {
  GemmWorkload workload;
  auto ctx = MakeCpuContext();
  auto first = workload.Prepare(GemmCase("fp64", 5, 7, 9, "TN"), *ctx);
  auto second = workload.Prepare(GemmCase("fp64", 5, 7, 9, "TN"), *ctx);
  first->Run(nullptr);
  second->Run(nullptr);
  EXPECT_EQ(first->Verify().max_rel_err, second->Verify().max_rel_err);
}

TEST(GemmWorkTest, FlopsAndBytesOfKnownShape) {
  GemmProblem g;
  g.m = 100;
  g.n = 200;
  g.k = 300;
  g.dtype = Dtype::kBf16;
  Work w = GemmWork(g);
  EXPECT_DOUBLE_EQ(w.flops, 2.0 * 100 * 200 * 300);
  EXPECT_DOUBLE_EQ(w.bytes, (100.0 * 300 + 300.0 * 200) * 2 + 100.0 * 200 * 2);
  EXPECT_EQ(w.compute_dtype, "bf16");

  g.dtype = Dtype::kFp8E4m3;  // 1-byte inputs, bf16 output
  w = GemmWork(g);
  EXPECT_DOUBLE_EQ(w.bytes, (100.0 * 300 + 300.0 * 200) * 1 + 100.0 * 200 * 2);
  EXPECT_EQ(w.compute_dtype, "fp8");

  g.dtype = Dtype::kTf32;
  w = GemmWork(g);
  EXPECT_DOUBLE_EQ(w.bytes, (100.0 * 300 + 300.0 * 200 + 100.0 * 200) * 4);
  EXPECT_EQ(w.compute_dtype, "tf32");

  g.dtype = Dtype::kFp64;
  EXPECT_DOUBLE_EQ(GemmWork(g).bytes, (100.0 * 300 + 300.0 * 200 + 100.0 * 200) * 8);
  EXPECT_EQ(GemmWork(g).compute_dtype, "fp64");
  EXPECT_EQ(DtypePeakKey(Dtype::kFp16), std::string("fp16"));
  EXPECT_EQ(DtypePeakKey(Dtype::kFp32), std::string("fp32"));
}

TEST(GemmWorkTest, PreparedCaseReportsWork) {
  GemmWorkload workload;
  auto ctx = MakeCpuContext();
  auto prepared = workload.Prepare(GemmCase("fp32", 37, 53, 61, "NN"), *ctx);
  const Work w = prepared->GetWork();
  EXPECT_DOUBLE_EQ(w.flops, 2.0 * 37 * 53 * 61);
  EXPECT_DOUBLE_EQ(w.bytes, (37.0 * 61 + 61.0 * 53 + 37.0 * 53) * 4);
  EXPECT_EQ(w.compute_dtype, "fp32");
}

TEST(GemmWorkloadTest, AxesAndMetrics) {
  GemmWorkload workload;
  EXPECT_EQ(workload.Name(), "gemm");
  EXPECT_FALSE(workload.Summary().empty());
  const auto axes = workload.Axes();
  std::vector<std::string> names;
  for (const auto& a : axes) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"dtype", "m", "n", "k", "layout", "algo"}));
  EXPECT_EQ(axes[0].kind, AxisKind::kString);
  EXPECT_EQ(axes[0].defaults, std::vector<std::string>{"bf16"});
  EXPECT_EQ(axes[0].choices,
            (std::vector<std::string>{"bf16", "fp16", "tf32", "fp32", "fp64", "fp8_e4m3"}));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(axes[i].kind, AxisKind::kInt);
    EXPECT_EQ(axes[i].defaults, std::vector<std::string>{"8192"});
  }
  EXPECT_EQ(axes[4].defaults, std::vector<std::string>{"TN"});
  EXPECT_EQ(axes[4].choices, (std::vector<std::string>{"TN", "NN"}));
  EXPECT_EQ(axes[5].defaults, std::vector<std::string>{"autotune"});
  EXPECT_EQ(axes[5].choices, (std::vector<std::string>{"autotune", "heuristic"}));
  const auto metrics = workload.Metrics();
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "tflops");
  EXPECT_EQ(metrics[1].name, "time_ms");
}

// A hand-made 2 x 3 x 2 product in the NN storage, checked in full (m * n <= samples).
TEST(GemmReferenceTest, DetectsCorruptedElement) {
  const int64_t m = 2, n = 3, k = 2;
  const std::vector<double> a = {1, -2, 0.5, 3};            // m x k, ld = m
  const std::vector<double> b = {2, 1, -1, 4, 0.25, -0.5};  // k x n, ld = k
  std::vector<double> c(m * n);
  for (int64_t j = 0; j < n; ++j) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t p = 0; p < k; ++p) c[i + j * m] += a[i + p * m] * b[p + j * k];
    }
  }
  GemmVerifyInput input;
  input.m = m;
  input.n = n;
  input.k = k;
  input.a = [&](int64_t i, int64_t p) { return a[i + p * m]; };
  input.b = [&](int64_t p, int64_t j) { return b[p + j * k]; };
  input.c = [&](int64_t i, int64_t j) { return c[i + j * m]; };
  VerifyResult ok = VerifyGemmSampled(input, 1e-12, 7);
  EXPECT_TRUE(ok.passed) << ok.detail;
  EXPECT_EQ(ok.max_rel_err, 0);

  c[1 + 2 * m] += 0.01;  // C(1, 2) = -2*0.25 + 3*(-0.5) = -2; bound 2; error 0.005
  VerifyResult bad = VerifyGemmSampled(input, 1e-3, 7);
  EXPECT_FALSE(bad.passed);
  EXPECT_NEAR(bad.max_rel_err, 0.01 / 2.0, 1e-12);
  EXPECT_NE(bad.detail.find("C(1,2)"), std::string::npos) << bad.detail;

  c[1 + 2 * m] = std::numeric_limits<double>::quiet_NaN();
  VerifyResult nan = VerifyGemmSampled(input, 1e9, 7);
  EXPECT_FALSE(nan.passed);
}

// op(A)(i, p) = sin(31 i + p), op(B)(p, j) = cos(17 p + j) and their exact product C
// (column-major), which a test may then corrupt.
struct SinCosGemm {
  SinCosGemm(int64_t m_, int64_t n_, int64_t k_) : m(m_), n(n_), k(k_), c(m_ * n_) {
    for (int64_t j = 0; j < n; ++j) {
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t p = 0; p < k; ++p) c[i + j * m] += A(i, p) * B(p, j);
      }
    }
  }
  static double A(int64_t i, int64_t p) { return std::sin(double(i * 31 + p)); }
  static double B(int64_t p, int64_t j) { return std::cos(double(p * 17 + j)); }
  GemmVerifyInput Input() const { return {m, n, k, A, B, [this](int64_t i, int64_t j) { return c[i + j * m]; }}; }

  int64_t m, n, k;
  std::vector<double> c;
};

// On a large output only sampled entries are checked: corrupt one that the sampler picks.
TEST(GemmReferenceTest, DetectsCorruptedSampledElementInLargeOutput) {
  const int64_t m = 300, n = 200, k = 16;
  SinCosGemm g(m, n, k);
  std::vector<double>& c = g.c;
  const GemmVerifyInput input = g.Input();
  const auto positions = GemmSamplePositions(m, n, k, 42);
  ASSERT_EQ(positions.size(), size_t(kGemmVerifySamples));
  EXPECT_EQ(positions[3], std::make_pair(m - 1, n - 1));  // corners come first
  EXPECT_TRUE(VerifyGemmSampled(input, 1e-12, 42).passed);

  const auto [i, j] = positions[100];
  c[i + j * m] += 1.0;  // bound = sum |a b| <= k = 16, so the error is >= 1/16
  const VerifyResult bad = VerifyGemmSampled(input, 1e-2, 42);
  EXPECT_FALSE(bad.passed) << bad.detail;
}

// Every block of C holds a checked entry: a wrong output tile (one faulty SM's tiles) is always
// seen, wherever it lies; the blocks grow only when the dot products would be too long.
TEST(GemmReferenceTest, EveryBlockOfTheOutputIsChecked) {
  const int64_t m = 1000, n = 700, k = 4;
  EXPECT_EQ(GemmVerifyBlockSide(m, n, k), kGemmVerifyBlock);
  const auto positions = GemmSamplePositions(m, n, k, 5);
  EXPECT_EQ(positions.size(), size_t(kGemmVerifySamples));  // 4 corners + 16 x 11 blocks + draws
  std::set<std::pair<int64_t, int64_t>> blocks;
  for (const auto& [i, j] : positions) {
    ASSERT_TRUE(i >= 0 && i < m && j >= 0 && j < n);
    blocks.insert({i / kGemmVerifyBlock, j / kGemmVerifyBlock});
  }
  EXPECT_EQ(blocks.size(), size_t(16 * 11));

  SinCosGemm g(m, n, k);
  std::vector<double>& c = g.c;
  const GemmVerifyInput input = g.Input();
  EXPECT_TRUE(VerifyGemmSampled(input, 1e-12, 5).passed);
  // Every aligned 64 x 64 tile, the cut ones at the edges too, and a 128 x 64 one.
  auto wrong_tile = [&](int64_t i0, int64_t j0, int64_t rows, int64_t cols, double delta) {
    for (int64_t i = i0; i < std::min(m, i0 + rows); ++i) {
      for (int64_t j = j0; j < std::min(n, j0 + cols); ++j) c[i + j * m] += delta;
    }
  };
  for (int64_t i0 = 0; i0 < m; i0 += 64) {
    for (int64_t j0 = 0; j0 < n; j0 += 64) {
      wrong_tile(i0, j0, 64, 64, 0.5);
      const VerifyResult bad = VerifyGemmSampled(input, 1e-2, 5);
      EXPECT_FALSE(bad.passed) << "tile at " << i0 << "," << j0 << ": " << bad.detail;
      EXPECT_NE(bad.detail.find("one in every 64x64 block of C"), std::string::npos) << bad.detail;
      wrong_tile(i0, j0, 64, 64, -0.5);
    }
  }
  wrong_tile(384, 640, 128, 64, 0.5);
  EXPECT_FALSE(VerifyGemmSampled(input, 1e-2, 5).passed);
  // Long dot products: the blocks double until blocks x k <= kGemmVerifyMaxTerms.
  EXPECT_EQ(GemmVerifyBlockSide(8192, 8192, 8192), 64);       // 16384 blocks x 8192 = 2^27 terms
  EXPECT_EQ(GemmVerifyBlockSide(16384, 16384, 16384), 256);   // 4096 blocks x 16384 = 2^26
  EXPECT_EQ(GemmVerifyBlockSide(4096, 4096, int64_t{1} << 20), 512);  // 64 blocks x 2^20 = 2^26
  EXPECT_EQ(GemmVerifyBlockSide(1, 1, int64_t{1} << 40), 64);  // one block: never grows
}

TEST(GemmReferenceTest, TolerancesPerDtype) {
  EXPECT_EQ(GemmTolerance(Dtype::kFp64), 1e-12);
  EXPECT_EQ(GemmTolerance(Dtype::kFp32), 1e-5);
  EXPECT_EQ(GemmTolerance(Dtype::kTf32), 2e-3);
  EXPECT_EQ(GemmTolerance(Dtype::kFp16), 5e-3);
  EXPECT_EQ(GemmTolerance(Dtype::kBf16), 1e-2);
  EXPECT_EQ(GemmTolerance(Dtype::kFp8E4m3), 1e-2);
}

TEST(GemmProblemTest, StorageIndexing) {
  GemmProblem g;
  g.m = 4;
  g.n = 5;
  g.k = 6;
  g.layout = GemmLayout::kTN;
  EXPECT_EQ(GemmOpAIndex(g, 2, 3), 3 + 2 * 6);  // A stored k x m
  g.layout = GemmLayout::kNN;
  EXPECT_EQ(GemmOpAIndex(g, 2, 3), 2 + 3 * 4);  // A stored m x k
  EXPECT_EQ(GemmOpBIndex(g, 3, 4), 3 + 4 * 6);
  EXPECT_EQ(GemmCIndex(g, 2, 4), 2 + 4 * 4);
}

}  // namespace
}  // namespace gq
