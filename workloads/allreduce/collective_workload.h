#pragma once
// The collective workloads "allreduce", "all_gather" and "reduce_scatter" (one class, three
// registrations), measured as nccl-tests measures them (formulas in collective_problem.h).
//
// Axes, in this order (the case id follows it):
//   size      bytes of a rank's largest buffer, like nccl-tests -b/-e/-f (>= 1; K/M/G suffixes)
//             default 1K, 4K, ..., 1G (x4) and 8G on GPUs; 1K .. 64M (x4) on the cpu
//   dtype     fp32 | bf16 | fp16 | fp64 | int32 | int64 | int8 | uint8   (default fp32)
//   op        sum | max | min  (allreduce and reduce_scatter only; default sum)
//   in_place  true | false     (default false)
//   graph     true | false     (CUDA graph capture, GPUs only; default false)
// Metrics: busbw (primary, GB/s), algbw (GB/s), time_us.
// Backends: cuda -> NCCL (collective_nccl.h); cpu -> MPI or a single process (collective_cpu.h).
// The workloads span devices: in a process with several GPUs one case drives all of them.
// Verification is exact: every output element against its closed-form value
// (collective_values.h); any wrong element fails the case.
#include <memory>
#include <string>
#include <vector>

#include "harness/system/communicator.h"
#include "harness/workload.h"
#include "workloads/allreduce/collective_problem.h"

namespace gq {

class NcclCommPool;

// What the three collective workloads of one registry share: the world communicator and the
// NCCL communicators made from it (on first use).
class CollectiveRuntime {
 public:
  explicit CollectiveRuntime(std::shared_ptr<Communicator> world);
  ~CollectiveRuntime();
  CollectiveRuntime(const CollectiveRuntime&) = delete;
  CollectiveRuntime& operator=(const CollectiveRuntime&) = delete;

  Communicator& world() const { return *world_; }
#if GQ_WITH_NCCL
  NcclCommPool& nccl();
#endif

 private:
  std::shared_ptr<Communicator> world_;
  std::shared_ptr<NcclCommPool> nccl_;  // destroyed before world_
};

class CollectiveWorkload final : public Workload {
 public:
  CollectiveWorkload(CollectiveKind kind, std::shared_ptr<CollectiveRuntime> runtime);

  std::string Name() const override { return CollectiveName(kind_); }
  std::string Summary() const override;
  std::vector<AxisSpec> Axes() const override;
  std::vector<MetricSpec> Metrics() const override;
  // Throws UsageError for size < 1; CaseSkipped for what the device's backend cannot run.
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec& spec, DeviceContext& ctx) override;
  void Validate(const CaseSpec& spec) const override;
  std::map<std::string, std::vector<std::string>> DefaultsFor(DeviceRef::Kind kind) const override;
  bool SpansDevices(const CaseSpec& /*spec*/) const override { return true; }

 private:
  CollectiveKind kind_;
  std::shared_ptr<CollectiveRuntime> runtime_;
};

}  // namespace gq
