#include "workloads/membw/membw_workload.h"

#include <stdexcept>

#include "harness/errors.h"
#include "workloads/membw/membw_cpu.h"
#include "workloads/membw/membw_problem.h"
#if GQ_WITH_CUDA
#include "workloads/membw/membw_cuda.h"
#endif

namespace gq {

std::string MembwWorkload::Summary() const {
  return "Memory bandwidth: device copy/read/write/triad, host<->device and GPU<->GPU copies "
         "(copy engine or SM kernel), STREAM-style loops on the cpu";
}

std::vector<AxisSpec> MembwWorkload::Axes() const {
  std::vector<std::string> ops;
  for (MembwOp op : AllMembwOps()) ops.emplace_back(MembwOpName(op));
  return {
      {"op", AxisKind::kString, DefaultMembwOpNames(), ops,
       "copy/read/write/triad: device memory, SM kernels (read+write bytes); copy_ce: device copy "
       "on the copy engine; h2d/d2h/bidir: pinned host <-> device; d2d: to the next GPU; _ce = "
       "copy engine, _sm = SM kernel on mapped memory (link bytes)"},
      {"size", AxisKind::kInt, {"1G"}, {}, "bytes per array or buffer (multiple of 16)"},
      {"threads",
       AxisKind::kInt,
       {"0"},
       {},
       "cpu backend worker threads, 0 = one per allowed CPU (CUDA cases take 0)"},
  };
}

std::vector<MetricSpec> MembwWorkload::Metrics() const {
  return {BandwidthMetric("bandwidth"), TimeMsMetric()};
}

std::unique_ptr<PreparedCase> MembwWorkload::Prepare(const CaseSpec& spec, DeviceContext& ctx) {
  const MembwProblem problem = MembwProblemFromCase(spec);
  if (!ctx.device().IsCuda()) return PrepareMembwCpu(problem);
  if (problem.threads != 0) {
    throw CaseSkipped("threads sets the cpu backend's workers; CUDA cases take threads=0");
  }
#if GQ_WITH_CUDA
  return PrepareMembwCuda(problem, ctx);
#else
  throw std::runtime_error("membw: this build has no CUDA backend (configure with -DGQ_CUDA=ON)");
#endif
}

void MembwWorkload::Validate(const CaseSpec& spec) const { MembwProblemFromCase(spec); }

std::map<std::string, std::vector<std::string>> MembwWorkload::DefaultsFor(DeviceRef::Kind kind) const {
  if (kind != DeviceRef::Kind::kCpu) return {};
  std::vector<std::string> ops;
  for (MembwOp op : AllMembwOps()) {
    if (IsDeviceMemoryOp(op) && op != MembwOp::kCopyCe) ops.emplace_back(MembwOpName(op));  // membw_cpu.cc's
  }
  return {{"op", ops}};
}

}  // namespace gq
