#pragma once
// The stopping rule of a case's timed samples (DESIGN.md §5, nvbench-style; runner.h step 4),
// on the options in MeasureOptions. After each sample, with n samples of total S seconds:
//   1. n >= min_samples and S >= min_time_s: noise = RelativeMedianNoise(samples) (the relative
//      half-width of the distribution-free 95% CI of the median, harness/stats.h); stop,
//      converged, when noise <= max_noise.
//   2. Otherwise, S >= max_time_s or n >= max_samples: stop anyway; noise as in 1 (1.0 with fewer
//      than two samples), converged when noise <= max_noise (else the case is noisy).
//   3. Otherwise go on.
// S sums the samples in the order they came. In a multi-rank run the samples are the agreed
// (slowest rank's) times, so every rank stops at the same sample.
#include <optional>
#include <vector>

#include "harness/options.h"

namespace gq {

// Why sampling stopped.
struct StopVerdict {
  bool converged = false;  // the noise target was met
  double noise = 0;        // relative half-width of the median's 95% CI at the last sample
};

class StoppingRule {
 public:
  explicit StoppingRule(const MeasureOptions& options);

  // Takes the next sample's seconds; a sample that is not a finite time >= 0 (a broken timer)
  // throws std::runtime_error, so max_time_s always bounds the sampling.
  void Add(double sample_s);
  // The verdict when sampling stops after the samples so far (rules 1-2); nullopt to go on,
  // and before any sample.
  std::optional<StopVerdict> Check() const;

  const std::vector<double>& samples() const { return samples_; }
  double sampled_s() const { return sampled_s_; }

 private:
  MeasureOptions options_;
  std::vector<double> samples_;
  double sampled_s_ = 0;
};

}  // namespace gq
