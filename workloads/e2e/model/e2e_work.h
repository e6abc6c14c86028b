#pragma once
// The counts e2e rates are made of. E2ePrefillWork and E2eDecodeStepWork are per GPU (one
// tensor-parallel rank does 1/tp of the matmul and attention work and holds 1/tp of the weights
// and KV cache; norms and the embedding lookup are small and counted in full on every rank);
// E2eWork, what the runner's roofline reads, holds the totals over the tp GPUs (harness/work.h).
//
// Dense matmuls: 2 FLOPs per weight per token (a multiply and an add; Kaplan et al. 2020,
// "Scaling Laws", C_forward ~ 2N per token). Attention: 4 * D FLOPs per (query, key) pair per
// query head (QK^T and PV, 2D each; FlashAttention-2 paper, Dao 2023, §4.1), causal pairs only.
// Bytes (fewest: each input read once, each output written once, bf16 = 2 bytes):
//   prefill:      the matmul weights once + the KV rows written + the embedding rows read
//   decode step:  the matmul weights once + the KV rows read (the whole context) and the new row
//                 written + the embedding rows read
// This is the "weights + KV cache read per step" figure torch_anchors.py reports.
// The decode steps of one iteration attend S+1, ..., S+out-1 keys (S = input_len); work is linear
// in the context, so the step at the mean context S + out/2 times (out - 1) is their exact sum.
#include "harness/work.h"
#include "workloads/e2e/model/e2e_model.h"

namespace gq {

struct E2ePhaseWork {
  double flops = 0;
  double bytes = 0;
};

// Prefill of every sequence's prompt, and one decode step at `context` keys, per GPU.
E2ePhaseWork E2ePrefillWork(const E2eProblem& p);
E2ePhaseWork E2eDecodeStepWork(const E2eProblem& p, double context);
// Mean context of the decode steps: input_len + output_len / 2.
double E2eMeanDecodeContext(const E2eProblem& p);

// Per scenario (e2e_model.h), gpus = tp, compute dtype bf16, phases = the per-GPU phase work
// times tp, flops and bytes the sum of the phases:
//   offline  tokens = batch * output_len, prefill_tokens = batch * input_len,
//            phases {"prefill", 1}, {"decode_step" at the mean context, output_len - 1}
//   prefill  tokens = batch (the first tokens), prefill_tokens = batch * input_len, {"prefill", 1}
//   decode   tokens = batch, prefill_tokens = 0, {"decode_step" at input_len + 1 keys, 1}
Work E2eWork(const E2eProblem& p);

}  // namespace gq
