#include "harness/roofline.h"

#include <algorithm>
#include <sstream>

namespace gq {
namespace {

std::string Fixed(double v) {
  std::ostringstream os;
  os.precision(1);
  os << std::fixed << v;
  return os.str();
}

}  // namespace

RooflineCheck CheckRoofline(const Work& work, const MetricSpec& primary, double achieved,
                            const DeviceSpec& spec, double bandwidth_gbs) {
  RooflineCheck out;
  const double bw = bandwidth_gbs > 0 ? bandwidth_gbs : spec.memory_bandwidth_gbs;
  const std::string bw_source = bandwidth_gbs > 0 ? "measured bandwidth" : "datasheet bandwidth";
  if (primary.quantity == Quantity::kFlops && primary.unit == "TFLOP/s") {
    const double peak = PeakTflops(spec, work.compute_dtype);
    if (peak <= 0) return out;
    Roofline r;
    r.peak = peak;
    r.bound = "compute";
    r.peak_source = "datasheet " + spec.sku + " " + work.compute_dtype + " dense";
    if (work.bytes > 0 && bw > 0) {
      const double memory_roof = work.flops / work.bytes * bw * 1e9 / 1e12;
      if (memory_roof < peak) {
        r.peak = memory_roof;
        r.bound = "memory";
        r.peak_source = bw_source + " " + spec.sku + " x arithmetic intensity";
      }
    }
    r.efficiency = achieved / r.peak;
    out.roofline = r;
    if (achieved > peak) {
      out.invalid_reason = primary.name + " " + Fixed(achieved) + " " + primary.unit +
                           " is above the datasheet peak " + Fixed(peak) + " of " + spec.sku +
                           " " + work.compute_dtype + ": the timing or the work count is wrong";
    }
  } else if (primary.quantity == Quantity::kBytes && primary.unit == "GB/s" && bw > 0) {
    Roofline r{"memory", bw, achieved / bw, bw_source + " " + spec.sku};
    out.roofline = r;
    if (achieved > spec.memory_bandwidth_gbs && spec.memory_bandwidth_gbs > 0) {
      out.invalid_reason = primary.name + " " + Fixed(achieved) + " GB/s is above the datasheet " +
                           "bandwidth " + Fixed(spec.memory_bandwidth_gbs) + " GB/s of " + spec.sku;
    }
  }
  return out;
}

}  // namespace gq
