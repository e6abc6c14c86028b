#pragma once
// Roofline placement and the sanity guard (DESIGN.md §5).
//
// For a FLOP-rate primary metric (TFLOP/s) with arithmetic intensity I = flops / bytes:
//   attainable = min(peak_compute(dtype), I * memory_bandwidth)      (Williams et al., CACM 2009)
// bound = "memory" when the bandwidth term is the smaller, else "compute". memory_bandwidth is the
// device bandwidth measured earlier in the same run (membw) when given, else the datasheet's.
// For a byte-rate primary metric (GB/s) the peak depends on Work::bandwidth_domain:
//   "device": the datasheet memory bandwidth (a bandwidth benchmark is judged against the
//             datasheet, never against another measurement of itself);
//   "pcie":   Work::link_peak_gbs, the host link's theoretical rate found by the workload; no
//             sanity guard (the host path may not be the PCIe link sysfs describes: NVLink-C2C on
//             Grace Hopper, a virtualised link in a VM), so an efficiency above 1 is possible;
//   "peer":   no roofline (which link a GPU<->GPU copy takes is not known here);
//   "":       the measured bandwidth when given, else the datasheet's (other workloads).
// bound = "memory" for every byte-rate roofline. efficiency = achieved median / attainable.
// For a bus-bandwidth primary metric (busbw, Quantity::kBusBytes, GB/s; collectives), the peak is
// the link a collective's traffic crosses, per GPU and direction (nccl-tests doc/PERFORMANCE.md:
// busbw is comparable to the hardware's peak bus bandwidth):
//   "interconnect": the SKU's NVLink figure (DeviceSpec::interconnect_gbs) when it has one, else
//                   Work::link_peak_gbs (the PCIe link) when known; bound = "interconnect";
//   "network", or busbw_factor 0 (one rank): no roofline.
// No sanity guard: NVLink SHARP (NVLS) reduces in the switch and legitimately reports a busbw
// above the per-direction link figure, so an efficiency above 1 is possible.
// For a token-rate primary metric (Quantity::kTokens from the iteration time, e2e output_tok_s)
// of a case with Work::phases, a lower bound on the iteration time (a run of a phase takes at
// least the longer of its compute and memory times; phases do not overlap):
//   t_min = sum over phases of repeats * max(flops / peak_compute(dtype), bytes / memory_bandwidth)
//   attainable = tokens / t_min                                   (output tok/s)
// with memory_bandwidth measured or datasheet as for TFLOP/s. A phase's flops and bytes count one
// run of it over all the iteration's devices; with Work::gpus = G > 1 both peaks are G x the device's
// (a perfect split; communication is not counted, so t_min stays a lower bound).
// bound = "memory" when the phases whose memory term is the larger make up more than half of
// t_min (repeats * bytes / bandwidth summed), else "compute". No roofline without phases, or when
// a phase needs a peak the SKU has not (flops without a compute peak for the dtype, bytes without
// a bandwidth). The prompt-token rate (prefill_tok_s, Quantity::kPrefillTokens, timed over the
// prefill phase) is placed the same way over the prefill phases alone, with
// attainable = prefill_tokens / t_min(prefill phases). Other token metrics get none.
// A rate above the datasheet peak itself (compute peak for TFLOP/s, memory bandwidth for device
// or unstated GB/s, tokens / t_min from datasheet peaks only for tok/s) is physically
// impossible: the timing or the work count is wrong and the case is invalid.
#include <map>
#include <optional>
#include <string>

#include "harness/results.h"
#include "harness/system/device_specs.h"
#include "harness/work.h"

namespace gq {

struct RooflineCheck {
  std::optional<Roofline> roofline;  // absent when the spec has no peak for this metric/dtype
  std::string invalid_reason;        // non-empty when the rate exceeds the datasheet peak
};

// `bandwidth_gbs` > 0 is a measured device bandwidth that replaces the datasheet one where the
// rules above say so; `bandwidth_source` names where it came from (e.g. the membw case id).
RooflineCheck CheckRoofline(const Work& work, const MetricSpec& primary, double achieved,
                            const DeviceSpec& spec, double bandwidth_gbs = 0,
                            const std::string& bandwidth_source = "");

// Device bandwidth measured in this run, per device name ("cuda:0", "cpu").
struct MeasuredBandwidth {
  double gbs = 0;
  std::string case_id;  // the case that measured it
};
using MeasuredBandwidthTable = std::map<std::string, MeasuredBandwidth>;

// Records the median of `result` when it is an ok case whose Work::bandwidth_domain is "device"
// and whose primary metric is in GB/s, keeping the highest figure per device (a roofline is the
// best attainable rate). Other results leave the table as it is.
void NoteMeasuredBandwidth(const CaseResult& result, MeasuredBandwidthTable& table);

}  // namespace gq
