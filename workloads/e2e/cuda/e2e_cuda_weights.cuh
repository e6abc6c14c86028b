#pragma once
// Device-side state setup of the e2e CUDA backend. LaunchFillWeight fills a shard tensor from
// its plan (e2e_weights.h): element dest + i of each run takes E2eInitValue(seed, first_index +
// i, scale, offset) as bf16, the same numbers the cpu backend holds. Include only from .cu files.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include "workloads/e2e/model/e2e_weights.h"

namespace gq {

void LaunchFillWeight(__nv_bfloat16* dst, const E2eTensorPlan& plan, cudaStream_t stream);

// pos[b] = position, kv_len[b] = position + 1 for b < batch (graph-capturable).
void LaunchSetPositions(int* pos, int* kv_len, int batch, int position, cudaStream_t stream);

}  // namespace gq
