#pragma once
// Which device each planned case runs on (DESIGN.md §8, scale-out).
//
// Single process: every case runs once per device it accepts, device-major, except that in a
// process driving several GPUs the cases that span devices (Workload::SpansDevices(spec): the
// collectives, e2e with tp > 1) run once over all of them: one target with the group DeviceRef
// cuda:F-L (first to last GPU of the run), placed after the per-GPU targets. With one GPU they
// run on it alone (a single rank).
// MPI: each rank drives exactly one device, DeviceForRank() of what --device resolved to, so
// there are no groups; ranks agree on the plan and run it in lockstep.
#include <vector>

#include "harness/device.h"
#include "harness/measure/runner.h"

namespace gq {

struct RunTarget {
  DeviceRef device;
  std::vector<const PlannedCase*> cases;  // in plan order
};

// Targets with at least one case, in run order.
std::vector<RunTarget> PlanTargets(const std::vector<PlannedCase>& cases,
                                   const std::vector<DeviceRef>& devices);

// The one device a rank drives: the cpu when `resolved` is the cpu; cuda:(local_rank mod
// visible GPUs) when it is every GPU (--device auto or cuda), so ranks on a node take distinct
// GPUs, also when the launcher leaves each rank one visible GPU; an explicit cuda:N as given.
DeviceRef DeviceForRank(const std::vector<DeviceRef>& resolved, int local_rank);

}  // namespace gq
