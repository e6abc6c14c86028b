#pragma once
// The "attention" workload: scaled dot-product attention forward, O = softmax(Q K^T / sqrt(D)) V,
// with grouped-query heads and an optional causal mask, in the layout of attention_problem.h.
//
// Axes, in this order (the case id follows it):
//   backend  native | cudnn | cpu   (default native)
//     native: gpuqual's own CUDA kernels: FlashAttention-2-style forward (attention_flash_fwd.cu),
//             or for seq_q <= kAttentionDecodeMaxSeqQ the split-KV decode kernel
//             (attention_decode.cu); cudnn: cuDNN's fused SDPA through the cuDNN 9 graph API;
//             cpu: exact float32 attention on host threads (small cases only).
//   batch    (default 8)      heads (default 16)      kv_heads (default 0 = heads)
//   seq_q    (default 2048)   seq_kv (default 0 = seq_q)
//   head_dim (default 128)    causal (default false)  dtype bf16 | fp16 (default bf16)
// The defaults are 16k tokens with a hidden size of 2048, the shape of ANCHORS.md. On the cpu the
// defaults are backend cpu, batch 1, heads 8, seq_q 512, head_dim 64 (0.5 GFLOP per iteration,
// under the cpu backend's limit).
// Metrics: tflops (primary), time_ms. A backend that cannot run on the case's device, or a shape
// a backend cannot run, is skipped with a reason.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/workload.h"

namespace gq {

class AttentionWorkload final : public Workload {
 public:
  std::string Name() const override { return "attention"; }
  std::string Summary() const override;
  std::vector<AxisSpec> Axes() const override;
  std::vector<MetricSpec> Metrics() const override;
  // Throws UsageError for a bad shape, CaseSkipped for a backend that does not run on this device
  // or a case it cannot run.
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec& spec, DeviceContext& ctx) override;
  void Validate(const CaseSpec& spec) const override;
  std::map<std::string, std::vector<std::string>> DefaultsFor(DeviceRef::Kind kind) const override;
};

}  // namespace gq
