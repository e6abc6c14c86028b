#pragma once
// The cudnn backend of the attention workload (built only with the CUDA backend;
// host-includable): cuDNN's fused scaled dot-product attention forward, the vendor reference,
// through the cuDNN 9 backend graph API (graph in attention_cudnn_graph.cuh) on the device
// tensors of attention_device_data.cuh (BSHD, bottom-right causal mask).
// Prepare builds the graph and finalizes an execution plan outside the timed region; Run issues
// one cudnnBackendExecute on the given stream, rotating among the input copies. Cases are skipped
// with a reason when the build has no cuDNN, when cuDNN has no engine for the graph ("cuDNN SDPA
// engine unavailable: <cuDNN's message>"), and for causal with seq_q > seq_kv (rows that attend
// no key, for which cuDNN's output is not defined).
#include <memory>

#include "harness/device.h"
#include "harness/workload.h"
#include "workloads/attention/attention_problem.h"

namespace gq {

// `ctx` must be a CUDA context; the prepared case uses its stream and must not outlive it.
std::unique_ptr<PreparedCase> PrepareAttentionCudnn(const AttentionProblem& problem,
                                                    DeviceContext& ctx);

}  // namespace gq
