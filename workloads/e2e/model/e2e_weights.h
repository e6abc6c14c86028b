#pragma once
// The seeded weights of the e2e decoder, as a plan both backends fill from (values from
// e2e_init.h, so the cpu reference and every GPU shard hold the same numbers).
//
// Layout per tensor-parallel rank r of tp (row-major, `rows` x `cols`):
//   embed      [V, hidden]                      replicated (only looked-up rows are read)
//   attn_norm, mlp_norm, final_norm [hidden]    replicated; 1 + 0.1 u
//   qkv        [(H/tp + 2 Hkv/tp) D, hidden]    rank r's q heads, then k heads, then v heads
//   qkv_bias   [(H/tp + 2 Hkv/tp) D]            Qwen2 only
//   out        [H/tp D, hidden]                 Wo stored transposed: rank r's input rows
//   gate_up    [2 F/tp, hidden]                 rank r's gate rows, then its up rows
//   down       [F/tp, hidden]                   Wd stored transposed: rank r's input rows
//   lm_head    [V/tp, hidden]                   rank r's vocabulary rows
// Element (i, j) of the full (unsharded) tensor t takes E2eInitValue(seed(t), i * cols + j, ...),
// so a shard is a set of contiguous runs of the full tensor and tp = 1 and tp = 8 hold the same
// model. Matmul weights are uniform with the standard deviation 1/sqrt(fan_in) (scale
// sqrt(3 / fan_in)), which keeps activations of order one through the layers.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/e2e/model/e2e_model.h"

namespace gq {

enum class E2eWeight { kEmbed, kAttnNorm, kMlpNorm, kQkv, kQkvBias, kOut, kGateUp, kDown, kFinalNorm, kLmHead };

// Elements [dest, dest + count) of the shard tensor take E2eInitValue(seed, first_index + i,
// scale, offset) for i in [0, count).
struct E2eFill {
  int64_t dest = 0;
  int64_t count = 0;
  uint64_t seed = 0;
  uint64_t first_index = 0;
  float scale = 0;
  float offset = 0;
};

struct E2eTensorPlan {
  int64_t rows = 0, cols = 0;
  std::vector<E2eFill> fills;  // cover the tensor exactly
  int64_t elements() const { return rows * cols; }
};

// `layer` is ignored for the tensors that are not per layer.
E2eTensorPlan PlanWeight(const E2eProblem& p, int rank, E2eWeight which, int layer);

// Elements of every weight of one rank (what the memory check counts).
double RankWeightElements(const E2eProblem& p);

}  // namespace gq
