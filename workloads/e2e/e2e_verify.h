#pragma once
// Verification of the e2e forward pass (DESIGN.md §3: against a reference, stated tolerance).
//
// 1. KV-cache consistency: prefill the prompt (S tokens) and run k = min(4, max(1, output_len
//    - 1)) decode steps through the same captured decode graph the timed run uses; keep the
//    last step's logits (position S + k - 1). Then run a full forward (a prefill, no cache
//    reuse) over the S + k tokens of each sequence, prompt and generated tokens, and compare its
//    last-position logits with them. A wrong cache row, position, mask or sampling shows up as
//    logits that do not match.
// 2. Cross-backend (when a reference backend is given: the cpu, fp32, on a model small enough):
//    the reference runs the full forward over the same S + k tokens; each shard's logits are
//    compared with the reference's columns of that shard's vocabulary slice.
// Error per sequence: relative L2, ||a - b|| / ||b||; the case's error is the largest over
// sequences, shards and both checks. A non-finite logit fails.
#include <string>

#include "harness/workload.h"
#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/model/e2e_model.h"

namespace gq {

// Decode steps the consistency check runs for an output length (see above).
int E2eVerifySteps(int output_len);

// Relative L2 distance of rows of `a` from rows of `b` (`rows` x `cols`, row-major, `b` may be
// a column slice [offset, offset + cols) of wider rows of `b_cols`): the largest over rows.
// Returns +inf when any value is not finite.
double MaxRowRelativeL2(const float* a, const float* b, int rows, int cols, int b_cols, int b_offset);

// Runs both checks. `reference` may be null (no cross-check). `tolerance` applies to both.
VerifyResult VerifyE2e(E2eBackend& backend, const E2eProblem& p, E2eBackend* reference,
                       double tolerance);

}  // namespace gq
