#pragma once
// Turns what `gpuqual run` was asked (workload names and/or a suite, plus -a axis overrides)
// into the ordered list of cases to run.
//
// - Suite: each entry's axes, then the -a overrides for the axes its workload has. Naming
//   workloads together with a suite keeps only those workloads' entries.
// - Ad hoc: each named workload's default axes with the -a overrides. A workload with defaults
//   per device kind (Workload::DefaultsFor) gets one entry for cuda and one for cpu.
// - An entry restricted to one device kind starts from that kind's defaults; an unrestricted suite
//   entry of such a workload becomes one entry per kind, as on the command line, so a gemm entry
//   without a dtype runs fp32/fp64 on the cpu rather than a bf16 that the cpu skips.
// - An override axis that no planned workload has is an error, as is an unknown workload, an
//   invalid value, a case whose values do not fit together (Workload::Validate), or a plan with
//   nothing to run. Errors are UsageError.
// Duplicate cases (same id and device filter) are kept once, in first-seen order.
// With --device cpu (cuda, cuda:N) the entries for the other kind are left out. A plan of more
// than options.max_cases cases (counted from the axes before any case is made, for the device
// kind that will run: --device's, else the larger of cuda and cpu) is a UsageError that names the
// largest entry.
#include <vector>

#include "app/suite.h"
#include "harness/measure/runner.h"
#include "harness/options.h"
#include "workloads/registry.h"

namespace gq {

std::vector<PlannedCase> BuildPlan(const WorkloadRegistry& registry, const RunOptions& options,
                                   const Suite* suite);

}  // namespace gq
