#include "workloads/e2e/model/e2e_work.h"

#include <gtest/gtest.h>

namespace gq {
namespace {

E2eProblem Problem(const std::string& model, int batch, int in, int out, int tp = 1) {
  E2eProblem p;
  p.model = ModelPreset(model);
  p.batch = batch;
  p.input_len = in;
  p.output_len = out;
  p.tp = tp;
  return p;
}

TEST(E2eWorkTest, TinyPrefillCountsByHand) {
  // tiny: 2 layers, hidden 256, 4 heads (D 64), 2 kv heads, ffn 512, vocab 1024.
  const E2eProblem p = Problem("tiny", 2, 8, 4);
  const double layer = 256.0 * (256 + 2 * 128) + 256.0 * 256 + 3.0 * 256 * 512;
  EXPECT_DOUBLE_EQ(p.model.LayerMatmulParams(), layer);
  const E2ePhaseWork w = E2ePrefillWork(p);
  const double attention = 2 * 4.0 * 2 * 4 * 64 * (8 * 9 / 2.0);
  EXPECT_DOUBLE_EQ(w.flops, 2 * layer * 2 * 16 + 2 * 1024.0 * 256 * 2 + attention);
  const double weights = (2 * layer + 1024.0 * 256) * 2;
  const double kv_row = 2.0 * 2 * 2 * 64 * 2;  // layers x (K, V) x kv heads x D x bf16
  EXPECT_DOUBLE_EQ(w.bytes, weights + 16 * kv_row + 16 * 256 * 2.0);
}

TEST(E2eWorkTest, DecodeStepOfLlama3At1024MatchesTheAnchorsFigure) {
  // torch_anchors.py: weights (15.0 GB) + KV of batch x 1024 rows x 32 layers x 8 kv heads x 128
  // x (K, V) x 2 bytes per step; batch 64: 15.0 + 8.6 GB.
  const E2eProblem p = Problem("llama-3-8b", 64, 1024, 2);
  const double kv = 64.0 * 1024 * 32 * 8 * 128 * 2 * 2;
  const E2ePhaseWork w = E2eDecodeStepWork(p, 1024);  // 1024 keys: 1024 rows read, 1 written
  // Plus the new row written and the embedding rows read (0.1% of the KV).
  EXPECT_NEAR(w.bytes, p.model.MatmulParams() * 2 + kv, 2e-3 * kv);
}

TEST(E2eWorkTest, TensorParallelDividesThePerGpuWork) {
  const E2ePhaseWork one = E2eDecodeStepWork(Problem("llama-3-70b", 8, 512, 64, 1), 600);
  const E2ePhaseWork eight = E2eDecodeStepWork(Problem("llama-3-70b", 8, 512, 64, 8), 600);
  EXPECT_NEAR(eight.flops * 8, one.flops, 1e-9 * one.flops);
  // Embedding rows are read in full on every rank, the rest divides.
  EXPECT_NEAR(eight.bytes * 8, one.bytes, 1e-4 * one.bytes);
  // The runner's Work holds totals over the GPUs.
  E2eProblem p = Problem("llama-3-70b", 8, 512, 64, 8);
  const Work w = E2eWork(p);
  EXPECT_EQ(w.gpus, 8);
  EXPECT_DOUBLE_EQ(w.phases[0].flops, 8 * E2ePrefillWork(p).flops);
  EXPECT_DOUBLE_EQ(w.phases[1].bytes, 8 * E2eDecodeStepWork(p, E2eMeanDecodeContext(p)).bytes);
}

TEST(E2eWorkTest, IterationIsPrefillPlusDecodeStepsAtTheMeanContext) {
  const E2eProblem p = Problem("tiny", 3, 16, 9);
  const Work w = E2eWork(p);
  EXPECT_EQ(w.tokens, 27);
  EXPECT_EQ(w.prefill_tokens, 48);
  EXPECT_EQ(w.gpus, 1);
  ASSERT_EQ(w.phases.size(), 2u);
  EXPECT_EQ(w.phases[1].repeats, 8);
  // Sum over contexts 17 .. 24 equals 8 steps at the mean context 16 + 9/2 (work is linear).
  double flops = 0, bytes = 0;
  for (int c = 17; c <= 24; ++c) {
    flops += E2eDecodeStepWork(p, c).flops;
    bytes += E2eDecodeStepWork(p, c).bytes;
  }
  EXPECT_NEAR(w.flops, E2ePrefillWork(p).flops + flops, 1e-9 * w.flops);
  EXPECT_NEAR(w.bytes, E2ePrefillWork(p).bytes + bytes, 1e-9 * w.bytes);
  EXPECT_EQ(E2eWork(Problem("tiny", 1, 4, 1)).phases.size(), 1u);  // no decode step
}

}  // namespace
}  // namespace gq
