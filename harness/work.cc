#include "harness/work.h"

namespace gq {

double MetricSpec::FromTime(double seconds, const Work& work) const {
  switch (quantity) {
    case Quantity::kTime: return seconds * scale;
    case Quantity::kFlops: return work.flops / seconds * scale;
    case Quantity::kBytes: return work.bytes / seconds * scale;
    case Quantity::kBusBytes: return work.bytes * work.busbw_factor / seconds * scale;
    case Quantity::kTokens: return work.tokens / seconds * scale;
  }
  return 0;
}

MetricSpec TflopsMetric() { return {"tflops", "TFLOP/s", true, Quantity::kFlops, 1e-12}; }
MetricSpec TimeMsMetric() { return {"time_ms", "ms", false, Quantity::kTime, 1e3}; }
MetricSpec TimeUsMetric() { return {"time_us", "us", false, Quantity::kTime, 1e6}; }
MetricSpec BandwidthMetric(const std::string& name) {
  return {name, "GB/s", true, Quantity::kBytes, 1e-9};
}
MetricSpec BusBandwidthMetric() { return {"busbw", "GB/s", true, Quantity::kBusBytes, 1e-9}; }

}  // namespace gq
