#pragma once
// What one iteration of a case does, and how figures are derived from its time.
//
// Work holds the counts that rates are made of; a workload computes them from its parameters with
// a cited formula. A MetricSpec turns the time of one iteration (t seconds) into a figure:
//   rate metrics:  value = amount(work) / t * scale      (e.g. TFLOP/s = flops / t * 1e-12)
//   time metrics:  value = t * scale                      (e.g. ms = t * 1e3)
#include <string>
#include <vector>

namespace gq {

struct Work {
  double flops = 0;          // floating-point operations per iteration
  double bytes = 0;          // fewest bytes moved per iteration (each input read once, output written once)
  double tokens = 0;         // tokens produced/processed per iteration (e2e)
  double busbw_factor = 0;   // collectives: busbw = algbw * factor (nccl-tests doc/PERFORMANCE.md)
  std::string compute_dtype; // dtype whose datasheet peak bounds the flops ("bf16", "fp8", "tf32", "fp32", "fp64")
  // Bandwidth benchmarks (membw) name the path their bytes are bounded by, which picks the peak
  // of their GB/s roofline (harness/roofline.h): "" = not stated (other workloads);
  // "device" = the memory of the case's device (HBM on a GPU, DRAM on the cpu);
  // "pcie" = the host<->device link; "peer" = a GPU<->GPU path.
  std::string bandwidth_domain;
  double link_peak_gbs = 0;      // "pcie": theoretical GB/s of the link for this traffic; 0 unknown
  std::string link_peak_source;  // how link_peak_gbs was derived (shown as the roofline's source)
};

enum class Quantity { kTime, kFlops, kBytes, kBusBytes, kTokens };

struct MetricSpec {
  std::string name;
  std::string unit;
  bool higher_is_better = true;
  Quantity quantity = Quantity::kTime;
  double scale = 1.0;

  // The figure for one iteration that took `seconds`. Time metrics ignore the work.
  double FromTime(double seconds, const Work& work) const;
};

// Metric helpers with the names and units every part agrees on (DESIGN.md §6).
MetricSpec TflopsMetric();   // "tflops", TFLOP/s = flops / t / 1e12
MetricSpec TimeMsMetric();   // "time_ms", ms
MetricSpec TimeUsMetric();   // "time_us", us
MetricSpec BandwidthMetric(const std::string& name);  // GB/s = bytes / t / 1e9
MetricSpec BusBandwidthMetric();  // "busbw", GB/s = bytes * busbw_factor / t / 1e9

}  // namespace gq
