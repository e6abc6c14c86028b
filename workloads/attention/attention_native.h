#pragma once
// The native backend of the attention workload (built only with the CUDA backend;
// host-includable): gpuqual's own kernels on the device tensors of attention_device_data.cuh.
//   flash:  FlashAttention-2-style forward, mma.sync tensor cores (attention_flash_fwd.cu);
//           head dims 64, 96, 128, 256
//   decode: split-KV flash-decoding, CUDA cores (attention_decode.cu); head dims 64, 128, 256
// kAuto takes decode for seq_q <= kAttentionDecodeMaxSeqQ (where a 128-row query tile would be
// mostly empty) when it supports the head dim, else flash. Both need compute capability >= 8.0.
// Run launches the kernel(s) on the given stream, rotating among the input copies; Verify
// poisons the output of the copy the last Run used, runs once more and checks it.
#include <cstdint>
#include <memory>

#include "harness/device.h"
#include "harness/workload.h"
#include "workloads/attention/attention_problem.h"

namespace gq {

enum class NativeAttentionKernel { kAuto, kFlash, kDecode };

inline constexpr int64_t kAttentionDecodeMaxSeqQ = 16;

// `ctx` must be a CUDA context; the prepared case uses its stream and must not outlive it.
// Throws CaseSkipped for a device, head dim or size the chosen kernel cannot run.
std::unique_ptr<PreparedCase> PrepareAttentionNative(const AttentionProblem& problem,
                                                     DeviceContext& ctx,
                                                     NativeAttentionKernel kernel);

}  // namespace gq
