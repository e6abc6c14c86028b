#include "workloads/attention/attention_workload.h"

#include <string>

#include "harness/dtype.h"
#include "harness/errors.h"
#include "workloads/attention/attention_cpu.h"
#include "workloads/attention/attention_problem.h"
#if GQ_WITH_CUDA
#include "workloads/attention/attention_cudnn.h"
#include "workloads/attention/attention_native.h"
#endif

namespace gq {

std::string AttentionWorkload::Summary() const {
  return "Scaled dot-product attention forward, GQA and causal (native flash-attention kernels, "
         "cuDNN SDPA, cpu reference)";
}

std::vector<AxisSpec> AttentionWorkload::Axes() const {
  return {
      {"backend",
       AxisKind::kString,
       {"native"},
       {"native", "cudnn", "cpu"},
       "native: gpuqual's flash-attention kernels (split-KV decode kernel for seq_q <= 16); "
       "cudnn: cuDNN fused SDPA; cpu: exact attention on host threads (small cases)"},
      {"batch", AxisKind::kInt, {"8"}, {}, "sequences per batch"},
      {"heads", AxisKind::kInt, {"16"}, {}, "query heads H"},
      {"kv_heads", AxisKind::kInt, {"0"}, {}, "key/value heads (divides heads; 0 = heads)"},
      {"seq_q", AxisKind::kInt, {"2048"}, {}, "query tokens per sequence"},
      {"seq_kv", AxisKind::kInt, {"0"}, {}, "key/value tokens per sequence (0 = seq_q)"},
      {"head_dim", AxisKind::kInt, {"128"}, {}, "dimension per head D"},
      {"causal",
       AxisKind::kBool,
       {"false"},
       {},
       "causal mask aligned bottom-right: query i sees keys j <= i + seq_kv - seq_q"},
      {"dtype",
       AxisKind::kString,
       {"bf16"},
       DtypeNames(kAttentionDtypes),
       "Q, K, V and O type (fp32 accumulate)"},
  };
}

std::vector<MetricSpec> AttentionWorkload::Metrics() const {
  return {TflopsMetric(), TimeMsMetric()};
}

std::unique_ptr<PreparedCase> AttentionWorkload::Prepare(const CaseSpec& spec, DeviceContext& ctx) {
  const AttentionProblem problem = AttentionProblemFromCase(spec);
  const bool cuda = ctx.device().IsCuda();
  if (problem.backend == AttentionBackend::kCpu) {
    if (cuda) {
      throw CaseSkipped("backend cpu runs on the cpu device (--device cpu), not on " +
                        ctx.device().Name());
    }
    return PrepareAttentionCpu(problem);
  }
  if (!cuda) {
    throw CaseSkipped(std::string("backend ") + AttentionBackendName(problem.backend) +
                      " needs a CUDA device (use backend=cpu on the cpu)");
  }
#if GQ_WITH_CUDA
  if (problem.backend == AttentionBackend::kCudnn) return PrepareAttentionCudnn(problem, ctx);
  return PrepareAttentionNative(problem, ctx, NativeAttentionKernel::kAuto);
#else
  throw CaseSkipped("this build has no CUDA backend (configure with -DGQ_CUDA=ON)");
#endif
}

void AttentionWorkload::Validate(const CaseSpec& spec) const { AttentionProblemFromCase(spec); }

std::map<std::string, std::vector<std::string>> AttentionWorkload::DefaultsFor(DeviceRef::Kind kind) const {
  if (kind != DeviceRef::Kind::kCpu) return {};
  return {{"backend", {"cpu"}}, {"batch", {"1"}}, {"heads", {"8"}}, {"seq_q", {"512"}}, {"head_dim", {"64"}}};
}

}  // namespace gq
