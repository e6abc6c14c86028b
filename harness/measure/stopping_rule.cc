#include "harness/measure/stopping_rule.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "harness/stats.h"

namespace gq {

StoppingRule::StoppingRule(const MeasureOptions& options) : options_(options) {}

void StoppingRule::Add(double sample_s) {
  if (!(sample_s >= 0) || !std::isfinite(sample_s)) {
    throw std::runtime_error("the timer gave a sample of " + std::to_string(sample_s) +
                             " s (not a finite time >= 0): the timing is broken");
  }
  samples_.push_back(sample_s);
  sampled_s_ += sample_s;
}

std::optional<StopVerdict> StoppingRule::Check() const {
  if (samples_.empty()) return std::nullopt;
  const MeasureOptions& m = options_;
  const int n = static_cast<int>(samples_.size());
  if (n >= m.min_samples && sampled_s_ >= m.min_time_s) {  // rule 1
    const double noise = RelativeMedianNoise(samples_);
    if (noise <= m.max_noise) return StopVerdict{true, noise};
  }
  if (sampled_s_ >= m.max_time_s || n >= m.max_samples) {  // rule 2
    const double noise = n >= 2 ? RelativeMedianNoise(samples_) : 1.0;
    return StopVerdict{noise <= m.max_noise, noise};
  }
  return std::nullopt;
}

}  // namespace gq
