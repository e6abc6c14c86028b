#include "workloads/allreduce/collective_workload.h"

#include <utility>

#include "harness/dtype.h"
#include "harness/errors.h"
#include "workloads/allreduce/collective_cpu.h"
#include "workloads/allreduce/collective_nccl.h"

namespace gq {
namespace {

// Sizes from `first` to `last` bytes by `factor` (like nccl-tests -b first -e last -f factor).
std::vector<std::string> SizeSweep(int64_t first, int64_t last, int64_t factor) {
  std::vector<std::string> sizes;
  for (int64_t s = first; s <= last; s *= factor) sizes.push_back(std::to_string(s));
  return sizes;
}

std::vector<std::string> GpuDefaultSizes() {
  std::vector<std::string> sizes = SizeSweep(1 << 10, 1 << 30, 4);  // 1K .. 1G
  sizes.push_back(std::to_string(int64_t{8} << 30));                // 8G, where links peak
  return sizes;
}

}  // namespace

CollectiveRuntime::CollectiveRuntime(std::shared_ptr<Communicator> world)
    : world_(std::move(world)) {}

CollectiveRuntime::~CollectiveRuntime() { nccl_.reset(); }

#if GQ_WITH_NCCL
NcclCommPool& CollectiveRuntime::nccl() {
  if (!nccl_) nccl_ = MakeNcclCommPool(*world_);
  return *nccl_;
}
#endif

CollectiveWorkload::CollectiveWorkload(CollectiveKind kind,
                                       std::shared_ptr<CollectiveRuntime> runtime)
    : kind_(kind), runtime_(std::move(runtime)) {}

std::string CollectiveWorkload::Summary() const {
  const char* what = kind_ == CollectiveKind::kAllReduce   ? "All-reduce"
                     : kind_ == CollectiveKind::kAllGather ? "All-gather"
                                                           : "Reduce-scatter";
  return std::string(what) +
         " bus bandwidth as nccl-tests measures it (NCCL on GPUs, MPI on the cpu)";
}

std::vector<AxisSpec> CollectiveWorkload::Axes() const {
  std::vector<AxisSpec> axes = {
      {"size",
       AxisKind::kInt,
       GpuDefaultSizes(),
       {},
       "bytes of a rank's largest buffer, as nccl-tests -b/-e (cpu default 1K..64M x4)"},
      {"dtype",
       AxisKind::kString,
       {"fp32"},
       DtypeNames(kCommDtypes),
       "element type"},
  };
  if (CollectiveReduces(kind_)) {
    axes.push_back({"op", AxisKind::kString, {"sum"}, {"sum", "max", "min"}, "reduction"});
  }
  axes.push_back(
      {"in_place", AxisKind::kBool, {"false"}, {}, "output overwrites the input buffer"});
  axes.push_back({"graph", AxisKind::kBool, {"false"}, {}, "launch from a CUDA graph (GPUs only)"});
  return axes;
}

std::vector<MetricSpec> CollectiveWorkload::Metrics() const {
  return {BusBandwidthMetric(), BandwidthMetric("algbw"), TimeUsMetric()};
}

std::map<std::string, std::vector<std::string>> CollectiveWorkload::DefaultsFor(
    DeviceRef::Kind kind) const {
  if (kind == DeviceRef::Kind::kCpu)
    return {{"size", SizeSweep(1 << 10, 64 << 20, 4)}};  // 1K .. 64M
  return {};
}

std::unique_ptr<PreparedCase> CollectiveWorkload::Prepare(const CaseSpec& spec,
                                                          DeviceContext& ctx) {
  const CollectiveProblem problem = CollectiveProblemFromCase(kind_, spec);
  if (!ctx.device().IsCuda()) return PrepareCollectiveCpu(problem, runtime_->world());
#if GQ_WITH_NCCL
  return PrepareCollectiveNccl(problem, ctx, runtime_->world(), runtime_->nccl());
#else
  throw CaseSkipped(Name() + " on GPUs needs NCCL: this build has none (CUDA with NCCL installed)");
#endif
}

void CollectiveWorkload::Validate(const CaseSpec& spec) const { CollectiveProblemFromCase(kind_, spec); }

}  // namespace gq
