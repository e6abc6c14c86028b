#pragma once
// The "gemm" workload: C (m x n) = op(A) * op(B) with alpha = 1, beta = 0, in BLAS column-major
// terms; storage of A, B and C for each layout is given in gemm_problem.h:
//   TN: A stored k x m (ld = k) and transposed, B stored k x n (ld = k), C stored m x n (ld = m)
//   NN: A stored m x k (ld = m),                 B stored k x n (ld = k), C stored m x n (ld = m)
//
// Axes, in this order (the case id follows it):
//   dtype  bf16 | fp16 | tf32 | fp32 | fp64 | fp8_e4m3   (default bf16)
//   m, n, k                                               (default 8192 each; >= 1)
//   layout TN | NN                                        (default TN)
//   algo   autotune | heuristic                           (default autotune; cuBLASLt only)
// On the cpu the defaults are dtype fp32, fp64 (what OpenBLAS runs) and m = n = k = 2048 (seconds
// per case on a few cores, where 8192 takes minutes per iteration).
// Metrics: tflops (primary), time_ms.
// Backends: cpu -> OpenBLAS (fp32, fp64); cuda -> cuBLASLt (every dtype; fp8_e4m3 needs compute
// capability >= 8.9). A dtype a backend lacks is skipped with a reason naming the supported ones.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/workload.h"

namespace gq {

class GemmWorkload final : public Workload {
 public:
  std::string Name() const override { return "gemm"; }
  std::string Summary() const override;
  std::vector<AxisSpec> Axes() const override;
  std::vector<MetricSpec> Metrics() const override;
  // Throws UsageError for m, n or k < 1, CaseSkipped for a dtype/layout/shape the device's
  // backend cannot run or that does not fit in memory.
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec& spec, DeviceContext& ctx) override;
  void Validate(const CaseSpec& spec) const override;
  std::map<std::string, std::vector<std::string>> DefaultsFor(DeviceRef::Kind kind) const override;
};

}  // namespace gq
