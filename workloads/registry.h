#pragma once
// The explicit list of workloads (no static registration). registry.cc names every one.
#include <memory>
#include <string>
#include <vector>

#include "harness/system/communicator.h"
#include "harness/workload.h"

namespace gq {

class WorkloadRegistry {
 public:
  void Add(std::unique_ptr<Workload> workload);
  // Returns nullptr when no workload has that name.
  Workload* Find(const std::string& name) const;
  // Throws UsageError listing the known workloads when `name` is unknown.
  Workload& Get(const std::string& name) const;
  std::vector<Workload*> All() const;

 private:
  std::vector<std::unique_ptr<Workload>> workloads_;
};

// Every workload this build has (CUDA paths included only when built with CUDA). The
// collectives run in `world` (default: a single process); it must be the run's world under MPI.
WorkloadRegistry BuildRegistry(std::shared_ptr<Communicator> world = nullptr);

}  // namespace gq
