#pragma once
// Roofline placement and the sanity guard (DESIGN.md §5).
//
// For a FLOP-rate primary metric (TFLOP/s) with arithmetic intensity I = flops / bytes:
//   attainable = min(peak_compute(dtype), I * memory_bandwidth)      (Williams et al., CACM 2009)
// bound = "memory" when the bandwidth term is the smaller, else "compute".
// For a byte-rate primary metric (GB/s): attainable = memory_bandwidth, bound = "memory".
// efficiency = achieved median / attainable.
// A rate above the datasheet peak itself (compute peak for TFLOP/s, bandwidth for GB/s) is
// physically impossible: the timing or the work count is wrong and the case is invalid.
#include <optional>
#include <string>

#include "harness/device_specs.h"
#include "harness/results.h"
#include "harness/work.h"

namespace gq {

struct RooflineCheck {
  std::optional<Roofline> roofline;  // absent when the spec has no peak for this metric/dtype
  std::string invalid_reason;        // non-empty when the rate exceeds the datasheet peak
};

// `bandwidth_gbs` overrides the datasheet memory bandwidth when > 0 (a measured figure).
RooflineCheck CheckRoofline(const Work& work, const MetricSpec& primary, double achieved,
                            const DeviceSpec& spec, double bandwidth_gbs = 0);

}  // namespace gq
