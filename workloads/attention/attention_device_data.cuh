#pragma once
// Device tensors of one attention case on a CUDA device, shared by the native and cuDNN backends:
// Q, K, V and O in the layout of attention_problem.h, in as many copies as L2 rotation needs
// (DESIGN.md §5: when one set is under 3x L2, enough copies to exceed it, at most 16). Inputs are
// seeded values uniform in (-1, 1) (gemm_fill.cuh), a different seed per copy; outputs start
// poisoned (all bits set: NaN in bf16 and fp16) so that an element no kernel writes fails Verify.
// Verify copies the sampled sub-problem of attention_reference.h to the host (a 2-D copy per
// (batch, kv head) of K and V, one row per sampled query) and checks it in float64.
#include <cuda_runtime.h>

#include <cstddef>
#include <vector>

#include "harness/gpu/cuda_resources.cuh"
#include "harness/workload.h"
#include "workloads/attention/attention_problem.h"

namespace gq {

class AttentionDeviceData {
 public:
  struct Set {
    DeviceBuffer q, k, v, o;
  };

  // The device must be current. Throws CaseSkipped when the copies plus `extra_bytes` (a
  // backend's workspace) would not fit in 90% of the free device memory.
  AttentionDeviceData(const AttentionProblem& problem, cudaStream_t stream, double extra_bytes);

  size_t size() const { return sets_.size(); }
  const Set& set(size_t index) const { return sets_[index]; }
  // Sets every byte of copy `index`'s O to 0xFF (NaN) on the stream.
  void PoisonOutput(size_t index) const;
  // Waits for the stream, then checks copy `index` against the float64 reference.
  VerifyResult Verify(size_t index) const;

 private:
  AttentionProblem p_;
  cudaStream_t stream_;
  std::vector<Set> sets_;
};

}  // namespace gq
