#pragma once
// The "membw" workload: device memory bandwidth (BabelStream-style kernels), host<->device
// bandwidth over pinned memory with the copy engines or an SM kernel (nvbandwidth-style), GPU to
// GPU copies, and STREAM-style loops on the cpu. Ops, byte counting and bandwidth domains are
// in membw_problem.h.
//
// Axes, in this order (the case id follows it):
//   op       copy | read | write | triad | copy_ce | h2d_ce | d2h_ce | bidir_ce | d2d_ce |
//            h2d_sm | d2h_sm | bidir_sm | d2d_sm
//            (default: copy, read, write, triad, h2d_ce, d2h_ce, bidir_ce, d2d_ce; on the cpu
//            copy, read, write, triad, the ops it has)
//   size     bytes per array or buffer, a multiple of 16; K/M/G suffixes (default 1G: 20x the
//            50 MB L2 of an H100, and far beyond any CPU's last-level cache)
//   threads  cpu backend: worker threads, 0 = one per CPU the process may use (default 0);
//            CUDA cases take 0 (anything else is skipped with the reason)
// Metrics: bandwidth (GB/s = Work.bytes / t / 1e9, primary), time_ms.
// Skipped with a reason: GPU-only ops on the cpu; d2d with fewer than two visible GPUs (and
// d2d_sm without peer access); threads != 0 on a GPU; buffers that do not fit.
//
// Details of host<->device cases: pcie_link_max, pcie_link_current (read after the timed samples,
// since idle GPUs lower their link speed), gpu_numa_node, gpu_local_cpus, host_numa_nodes
// (node:pages of a sample of the pinned buffers' pages), cpu_affinity, host_placement,
// numa_mismatch (true | false | unknown) and numa_note. Device ops record the launch shape.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/workload.h"

namespace gq {

class MembwWorkload final : public Workload {
 public:
  std::string Name() const override { return "membw"; }
  std::string Summary() const override;
  std::vector<AxisSpec> Axes() const override;
  std::vector<MetricSpec> Metrics() const override;
  // Throws UsageError for a size that is not a positive multiple of 16 or threads out of range,
  // CaseSkipped for a case this device cannot run.
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec& spec, DeviceContext& ctx) override;
  void Validate(const CaseSpec& spec) const override;
  // On the cpu: the STREAM-style ops only (the others are GPU ops, skipped there).
  std::map<std::string, std::vector<std::string>> DefaultsFor(DeviceRef::Kind kind) const override;
};

}  // namespace gq
