#include "harness/work.h"

#include <algorithm>

namespace gq {

double MetricSpec::FromTime(double seconds, const Work& work) const {
  switch (quantity) {
    case Quantity::kTime: return seconds * scale;
    case Quantity::kFlops: return work.flops / seconds * scale;
    case Quantity::kBytes: return work.bytes / seconds * scale;
    case Quantity::kBusBytes: return work.bytes * work.busbw_factor / seconds * scale;
    case Quantity::kTokens: return work.tokens / seconds * scale;
    case Quantity::kPrefillTokens: return work.prefill_tokens / seconds * scale;
    case Quantity::kTotalTokens: return (work.tokens + work.prefill_tokens) / seconds * scale;
    case Quantity::kTokensPerGpu: return work.tokens / std::max(work.gpus, 1.0) / seconds * scale;
  }
  return 0;
}

MetricSpec TflopsMetric() { return {"tflops", "TFLOP/s", true, Quantity::kFlops, 1e-12, ""}; }
MetricSpec TimeMsMetric() { return {"time_ms", "ms", false, Quantity::kTime, 1e3, ""}; }
MetricSpec TimeUsMetric() { return {"time_us", "us", false, Quantity::kTime, 1e6, ""}; }
MetricSpec BandwidthMetric(const std::string& name) {
  return {name, "GB/s", true, Quantity::kBytes, 1e-9, ""};
}
MetricSpec BusBandwidthMetric() {
  return {"busbw", "GB/s", true, Quantity::kBusBytes, 1e-9, ""};
}

std::vector<MetricSpec> TokenThroughputMetrics() {
  return {{"output_tok_s", "tok/s", true, Quantity::kTokens, 1.0, ""},
          {"total_tok_s", "tok/s", true, Quantity::kTotalTokens, 1.0, ""},
          {"prefill_tok_s", "tok/s", true, Quantity::kPrefillTokens, 1.0, kPhasePrefill},
          {"tok_s_per_gpu", "tok/s", true, Quantity::kTokensPerGpu, 1.0, ""},
          {"ttft_ms", "ms", false, Quantity::kTime, 1e3, kPhaseTtft},
          {"tpot_ms", "ms", false, Quantity::kTime, 1e3, kPhaseTpot},
          {"itl_p50_ms", "ms", false, Quantity::kTime, 1e3, kPhaseItlP50},
          {"itl_p99_ms", "ms", false, Quantity::kTime, 1e3, kPhaseItlP99}};
}

}  // namespace gq
