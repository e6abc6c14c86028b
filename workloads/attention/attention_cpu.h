#pragma once
// The cpu backend of the attention workload: exact (non-flash) attention in float32 on host
// threads, one query row at a time (scores, row max, exp, sum, P V), over the layout of
// attention_problem.h. Inputs are seeded odd multiples of 1/128 in (-1, 1), exact in bf16 and
// fp16, so the dtype axis only selects the tolerance; output is float32. Run ignores the stream.
// Cases above kAttentionCpuMaxFlops are skipped so that a run stays bounded.
#include <memory>

#include "harness/workload.h"
#include "workloads/attention/attention_problem.h"

namespace gq {

// 2^31 flops: ~1 s per iteration on a few cores.
inline constexpr double kAttentionCpuMaxFlops = 2147483648.0;

// Throws CaseSkipped for a case above kAttentionCpuMaxFlops or one that does not fit in memory.
std::unique_ptr<PreparedCase> PrepareAttentionCpu(const AttentionProblem& problem);

}  // namespace gq
