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

std::string AboveBandwidth(const MetricSpec& primary, double achieved, const DeviceSpec& spec) {
  return primary.name + " " + Fixed(achieved) + " GB/s is above the datasheet bandwidth " +
         Fixed(spec.memory_bandwidth_gbs) + " GB/s of " + spec.sku;
}

// The GB/s roofline of a bandwidth case (rules in roofline.h).
RooflineCheck CheckByteRate(const Work& work, const MetricSpec& primary, double achieved,
                            const DeviceSpec& spec, double bw, const std::string& bw_source) {
  RooflineCheck out;
  const std::string& domain = work.bandwidth_domain;
  if (domain == "pcie") {
    if (work.link_peak_gbs > 0) {
      out.roofline = Roofline{"memory", work.link_peak_gbs, achieved / work.link_peak_gbs,
                              work.link_peak_source};
    }
    return out;
  }
  if (domain == "peer") return out;
  const double datasheet = spec.memory_bandwidth_gbs;
  if (domain == "device") {
    if (datasheet > 0) {
      out.roofline = Roofline{"memory", datasheet, achieved / datasheet,
                              "datasheet bandwidth " + spec.sku};
    }
  } else if (bw > 0) {
    out.roofline = Roofline{"memory", bw, achieved / bw, bw_source};
  }
  if (datasheet > 0 && achieved > datasheet) {
    out.invalid_reason = AboveBandwidth(primary, achieved, spec);
  }
  return out;
}

}  // namespace

RooflineCheck CheckRoofline(const Work& work, const MetricSpec& primary, double achieved,
                            const DeviceSpec& spec, double bandwidth_gbs,
                            const std::string& bandwidth_source) {
  RooflineCheck out;
  const bool measured = bandwidth_gbs > 0;
  const double bw = measured ? bandwidth_gbs : spec.memory_bandwidth_gbs;
  const std::string named = bandwidth_source.empty() ? "" : " (" + bandwidth_source + ")";
  const std::string bw_source =
      measured ? "measured bandwidth" + named : "datasheet bandwidth " + spec.sku;
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
        r.peak_source = bw_source + " x arithmetic intensity";
      }
    }
    r.efficiency = achieved / r.peak;
    out.roofline = r;
    if (achieved > peak) {
      out.invalid_reason = primary.name + " " + Fixed(achieved) + " " + primary.unit +
                           " is above the datasheet peak " + Fixed(peak) + " of " + spec.sku +
                           " " + work.compute_dtype + ": the timing or the work count is wrong";
    }
  } else if (primary.quantity == Quantity::kBytes && primary.unit == "GB/s") {
    out = CheckByteRate(work, primary, achieved, spec, bw, bw_source);
  }
  return out;
}

void NoteMeasuredBandwidth(const CaseResult& result, MeasuredBandwidthTable& table) {
  if (result.status != CaseStatus::kOk || result.work.bandwidth_domain != "device") return;
  if (result.metrics.empty() || result.metrics.front().second.unit != "GB/s") return;
  const double gbs = result.metrics.front().second.median;
  if (!(gbs > 0)) return;
  MeasuredBandwidth& entry = table[result.device];
  if (gbs > entry.gbs) entry = MeasuredBandwidth{gbs, result.id};
}

}  // namespace gq
