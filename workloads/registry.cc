#include "workloads/registry.h"

#include <utility>

#include "harness/errors.h"
#include "harness/system/host_info.h"
#include "workloads/allreduce/collective_workload.h"
#include "workloads/attention/attention_workload.h"
#include "workloads/e2e/e2e_workload.h"
#include "workloads/gemm/gemm_workload.h"
#include "workloads/membw/membw_workload.h"

namespace gq {

void WorkloadRegistry::Add(std::unique_ptr<Workload> workload) {
  workloads_.push_back(std::move(workload));
}

Workload* WorkloadRegistry::Find(const std::string& name) const {
  for (const auto& w : workloads_) {
    if (w->Name() == name) return w.get();
  }
  return nullptr;
}

Workload& WorkloadRegistry::Get(const std::string& name) const {
  if (Workload* w = Find(name)) return *w;
  std::string known;
  for (const auto& w : workloads_) known += (known.empty() ? "" : ", ") + w->Name();
  throw UsageError("unknown workload '" + name + "' (known: " + known + ")");
}

std::vector<Workload*> WorkloadRegistry::All() const {
  std::vector<Workload*> out;
  for (const auto& w : workloads_) out.push_back(w.get());
  return out;
}

WorkloadRegistry BuildRegistry(std::shared_ptr<Communicator> world) {
  if (!world) world = MakeSingleProcessCommunicator(DiscoverHost().hostname);
  auto collectives = std::make_shared<CollectiveRuntime>(std::move(world));
  WorkloadRegistry registry;
  registry.Add(std::make_unique<GemmWorkload>());
  registry.Add(std::make_unique<AttentionWorkload>());
  registry.Add(std::make_unique<CollectiveWorkload>(CollectiveKind::kAllReduce, collectives));
  registry.Add(std::make_unique<CollectiveWorkload>(CollectiveKind::kAllGather, collectives));
  registry.Add(std::make_unique<CollectiveWorkload>(CollectiveKind::kReduceScatter, collectives));
  registry.Add(std::make_unique<MembwWorkload>());
  registry.Add(std::make_unique<E2eWorkload>(collectives));
  return registry;
}

}  // namespace gq
