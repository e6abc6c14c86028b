#include "workloads/gemm/gemm_workload.h"

#include <stdexcept>

#include "harness/dtype.h"
#include "workloads/gemm/gemm_cpu.h"
#include "workloads/gemm/gemm_problem.h"
#if GQ_WITH_CUDA
#include "workloads/gemm/gemm_cublaslt.h"
#endif

namespace gq {

std::string GemmWorkload::Summary() const {
  return "Dense matrix multiply C = op(A) op(B) (cuBLASLt on GPUs, OpenBLAS on the cpu)";
}

std::vector<AxisSpec> GemmWorkload::Axes() const {
  return {
      {"dtype",
       AxisKind::kString,
       {"bf16"},
       DtypeNames(kGemmDtypes),
       "input type (tf32: fp32 data on tf32 tensor cores; fp8_e4m3: bf16 output)"},
      {"m", AxisKind::kInt, {"8192"}, {}, "rows of C and op(A)"},
      {"n", AxisKind::kInt, {"8192"}, {}, "columns of C and op(B)"},
      {"k", AxisKind::kInt, {"8192"}, {}, "inner dimension"},
      {"layout",
       AxisKind::kString,
       {"TN"},
       {"TN", "NN"},
       "column-major storage: TN = A stored k x m and transposed, NN = A stored m x k"},
      {"algo",
       AxisKind::kString,
       {"autotune"},
       {"autotune", "heuristic"},
       "cuBLASLt algorithm: fastest of the top 8 heuristic candidates, or the first"},
  };
}

std::vector<MetricSpec> GemmWorkload::Metrics() const {
  MetricSpec tflops = TflopsMetric();
  tflops.cost_role = CostRole::kComputeRate;  // TFLOP/s per dollar-hour (qualify --price-per-hour)
  return {tflops, TimeMsMetric()};
}

std::unique_ptr<PreparedCase> GemmWorkload::Prepare(const CaseSpec& spec, DeviceContext& ctx) {
  const GemmProblem problem = GemmProblemFromCase(spec);
  if (!ctx.device().IsCuda()) return PrepareGemmCpu(problem);
#if GQ_WITH_CUDA
  return PrepareGemmCublasLt(problem, ctx);
#else
  throw std::runtime_error("gemm: this build has no CUDA backend (configure with -DGQ_CUDA=ON)");
#endif
}

void GemmWorkload::Validate(const CaseSpec& spec) const { GemmProblemFromCase(spec); }

std::map<std::string, std::vector<std::string>> GemmWorkload::DefaultsFor(DeviceRef::Kind kind) const {
  if (kind != DeviceRef::Kind::kCpu) return {};
  return {{"dtype", {"fp32", "fp64"}}, {"m", {"2048"}}, {"n", {"2048"}}, {"k", {"2048"}}};
}

}  // namespace gq
