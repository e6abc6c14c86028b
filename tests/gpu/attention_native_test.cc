// GPU tests of the attention workload's native kernels (workloads/attention/attention_flash_fwd.cu
// and attention_decode.cu through attention_native.cu) on cuda:0: each kernel, forced, against
// the float64 reference over shapes with ragged lengths (1, 17, 200, 1000, not multiples of the
// tiles), GQA (8 heads on 2 and on 1 kv heads), causal masks with Sq = Skv, Sq < Skv and
// Sq > Skv, both dtypes and every head dim. Each test skips itself when no CUDA device is visible.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <tuple>

#include "harness/device.h"
#include "harness/errors.h"
#include "workloads/attention/attention_problem.h"
#include "workloads/attention/attention_workload.h"
#if GQ_WITH_CUDA
#include "workloads/attention/attention_native.h"
#endif

namespace gq {
namespace {

struct Shape {
  int batch, heads, kv_heads, seq_q, seq_kv, head_dim;
  bool causal;
};

// gtest prints parameters with it (instead of their bytes).
void PrintTo(const Shape& s, std::ostream* os) {
  *os << s.batch << "x" << s.heads << " heads/" << s.kv_heads << " kv, seq_q " << s.seq_q
      << ", seq_kv " << s.seq_kv << ", head_dim " << s.head_dim << (s.causal ? ", causal" : "");
}

AttentionProblem Problem(const Shape& s, Dtype dtype, uint64_t seed) {
  AttentionProblem p;
  p.backend = AttentionBackend::kNative;
  p.batch = s.batch;
  p.heads = s.heads;
  p.kv_heads = s.kv_heads;
  p.seq_q = s.seq_q;
  p.seq_kv = s.seq_kv;
  p.head_dim = s.head_dim;
  p.causal = s.causal;
  p.dtype = dtype;
  p.seed = seed;
  return p;
}

std::string Name(const Shape& s, Dtype dtype) {
  return std::to_string(s.batch) + "x" + std::to_string(s.heads) + "h" +
         std::to_string(s.kv_heads) + "kv_q" + std::to_string(s.seq_q) + "_kv" +
         std::to_string(s.seq_kv) + "_d" + std::to_string(s.head_dim) +
         (s.causal ? "_causal_" : "_") + DtypeName(dtype);
}

using Param = std::tuple<Shape, Dtype>;

#if GQ_WITH_CUDA
void ExpectVerifies(const AttentionProblem& p, NativeAttentionKernel kernel) {
  auto ctx = MakeCudaContext(0);
  auto prepared = PrepareAttentionNative(p, *ctx, kernel);
  for (int i = 0; i < 3; ++i) prepared->Run(ctx->stream());
  ctx->Synchronize();
  const VerifyResult result = prepared->Verify();
  EXPECT_TRUE(result.passed) << result.detail;
  EXPECT_LE(result.max_rel_err, result.tolerance) << result.detail;
  // The same inputs give the same output (a moving error would be a race).
  const VerifyResult again = prepared->Verify();
  EXPECT_EQ(again.max_rel_err, result.max_rel_err) << again.detail;
}
#endif

class AttentionFlashTest : public testing::TestWithParam<Param> {};

TEST_P(AttentionFlashTest, MatchesReference) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
#if GQ_WITH_CUDA
  const auto& [shape, dtype] = GetParam();
  ExpectVerifies(Problem(shape, dtype, 11), NativeAttentionKernel::kFlash);
#endif
}

constexpr Shape kFlashShapes[] = {
    {1, 1, 1, 1, 1, 64, false},       {1, 1, 1, 1, 1, 128, true},
    {2, 8, 2, 17, 17, 64, true},      {2, 8, 1, 17, 200, 128, false},
    {1, 8, 2, 200, 200, 128, true},   {1, 8, 8, 200, 17, 64, true},
    {1, 8, 1, 1000, 1000, 128, true}, {1, 8, 2, 1000, 1000, 64, false},
    {1, 4, 2, 130, 1000, 128, true},  {3, 4, 4, 64, 64, 128, false},
    {1, 4, 1, 129, 257, 96, true},    {1, 4, 2, 200, 1000, 256, true},
    {1, 2, 2, 1000, 300, 256, false}, {1, 2, 1, 1000, 999, 96, false},
};

INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionFlashTest,
    testing::Combine(testing::ValuesIn(kFlashShapes),
                     testing::Values(Dtype::kBf16, Dtype::kFp16)),
    [](const auto& info) { return Name(std::get<0>(info.param), std::get<1>(info.param)); });

class AttentionDecodeTest : public testing::TestWithParam<Param> {};

TEST_P(AttentionDecodeTest, MatchesReference) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
#if GQ_WITH_CUDA
  const auto& [shape, dtype] = GetParam();
  ExpectVerifies(Problem(shape, dtype, 13), NativeAttentionKernel::kDecode);
#endif
}

constexpr Shape kDecodeShapes[] = {
    {1, 8, 2, 1, 1, 128, false},      {1, 8, 2, 1, 17, 64, false},
    {4, 8, 1, 1, 1000, 128, false},   {2, 32, 8, 1, 4097, 128, false},
    {3, 8, 2, 4, 200, 64, true},      {1, 8, 8, 16, 1000, 128, true},
    {2, 8, 1, 5, 3, 128, true},       {1, 4, 2, 17, 300, 256, true},
    {1, 16, 16, 1, 20000, 64, false}, {64, 8, 2, 1, 1024, 128, true},
};

INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionDecodeTest,
    testing::Combine(testing::ValuesIn(kDecodeShapes),
                     testing::Values(Dtype::kBf16, Dtype::kFp16)),
    [](const auto& info) { return Name(std::get<0>(info.param), std::get<1>(info.param)); });

// Through the workload, with its case parsing and kernel choice: the default shape and a decode
// shape run, verify and say which kernel ran.
TEST(AttentionNativeWorkloadTest, DefaultAndDecodeCasesRunAndVerify) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  AttentionWorkload workload;
  auto ctx = MakeCudaContext(0);
  const CaseSpec prefill = ExpandCases("attention", workload.Axes(), {}).at(0);
  const CaseSpec decode = ExpandCases("attention", workload.Axes(),
                                      {{"seq_q", {"1"}}, {"seq_kv", {"8192"}}, {"kv_heads", {"4"}}})
                              .at(0);
  const CaseSpec specs[] = {prefill, decode};
  const char* kernels[] = {"flash_attention_fwd", "flash_decode"};
  for (int n = 0; n < 2; ++n) {
    const CaseSpec& spec = specs[n];
    auto prepared = workload.Prepare(spec, *ctx);
    prepared->Run(ctx->stream());
    ctx->Synchronize();
    const VerifyResult result = prepared->Verify();
    EXPECT_TRUE(result.passed) << spec.Id() << ": " << result.detail;
    const auto details = prepared->Details();
    ASSERT_TRUE(details.count("kernel")) << spec.Id();
    EXPECT_NE(details.at("kernel").find(kernels[n]), std::string::npos) << details.at("kernel");
  }
}

}  // namespace
}  // namespace gq
