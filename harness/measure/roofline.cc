#include "harness/measure/roofline.h"

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

// The busbw roofline of a collective (rules in roofline.h).
RooflineCheck CheckBusRate(const Work& work, double achieved, const DeviceSpec& spec) {
  RooflineCheck out;
  if (work.bandwidth_domain != "interconnect" || !(work.busbw_factor > 0)) return out;
  if (spec.interconnect_gbs > 0) {
    out.roofline = Roofline{"interconnect", spec.interconnect_gbs, achieved / spec.interconnect_gbs,
                            "datasheet NVLink per GPU per direction, " + spec.sku};
  } else if (work.link_peak_gbs > 0) {
    out.roofline = Roofline{"interconnect", work.link_peak_gbs, achieved / work.link_peak_gbs,
                            work.link_peak_source};
  }
  return out;
}

// Lower bound on the iteration time of a case with phases (rules in roofline.h), in seconds;
// -1 when a peak that a phase needs is unknown. `memory_s` gets the memory-bound phases' share.
double MinIterationSeconds(const Work& work, double flops_per_s, double bytes_per_s,
                           double* memory_s) {
  double total = 0;
  *memory_s = 0;
  for (const WorkPhase& p : work.phases) {
    if ((p.flops > 0 && !(flops_per_s > 0)) || (p.bytes > 0 && !(bytes_per_s > 0))) return -1;
    const double compute = p.flops > 0 ? p.flops / flops_per_s : 0;
    const double memory = p.bytes > 0 ? p.bytes / bytes_per_s : 0;
    total += p.repeats * std::max(compute, memory);
    if (memory >= compute) *memory_s += p.repeats * memory;
  }
  return total;
}

// The tok/s roofline of a case whose iteration is made of phases (rules in roofline.h): the
// iteration's phases and output tokens, or for prefill_tok_s the prefill phases and the prompt
// tokens (its time is the prefill phase's alone).
RooflineCheck CheckTokenRate(const Work& iteration, const MetricSpec& primary, double achieved,
                             const DeviceSpec& spec, double bw, const std::string& bw_source) {
  RooflineCheck out;
  Work work = iteration;
  if (primary.quantity == Quantity::kPrefillTokens) {
    std::erase_if(work.phases, [](const WorkPhase& p) { return p.name != kPhasePrefill; });
    work.tokens = iteration.prefill_tokens;
  }
  if (work.phases.empty() || !(work.tokens > 0)) return out;
  const double devices = std::max(work.gpus, 1.0);
  const double peak_flops = PeakTflops(spec, work.compute_dtype) * 1e12 * devices;
  const std::string times =
      devices > 1 ? std::to_string(static_cast<long long>(devices)) + " x " : "";
  double memory_s = 0;
  const double t_min = MinIterationSeconds(work, peak_flops, bw * 1e9 * devices, &memory_s);
  if (t_min > 0) {
    const double attainable = work.tokens / t_min;
    out.roofline = Roofline{memory_s * 2 > t_min ? "memory" : "compute", attainable,
                            achieved / attainable,
                            "sum over phases of max(flops / " + times + "datasheet " + spec.sku +
                                " " + work.compute_dtype + " dense, bytes / " + times +
                                bw_source + ")"};
  }
  double unused = 0;
  const double t_datasheet =
      MinIterationSeconds(work, peak_flops, spec.memory_bandwidth_gbs * 1e9 * devices, &unused);
  if (t_datasheet > 0 && achieved > work.tokens / t_datasheet) {
    out.invalid_reason = primary.name + " " + Fixed(achieved) + " " + primary.unit +
                         " is above the datasheet roofline " + Fixed(work.tokens / t_datasheet) +
                         " " + primary.unit + " of " + spec.sku + " (" + work.compute_dtype +
                         " dense, datasheet bandwidth): the timing or the work count is wrong";
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
  } else if (primary.quantity == Quantity::kBusBytes && primary.unit == "GB/s") {
    out = CheckBusRate(work, achieved, spec);
  } else if ((primary.quantity == Quantity::kTokens && primary.phase.empty()) ||
             (primary.quantity == Quantity::kPrefillTokens && primary.phase == kPhasePrefill)) {
    out = CheckTokenRate(work, primary, achieved, spec, bw, bw_source);
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
