#pragma once
// Options that travel from the CLI to the runner (no globals).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/numbers.h"

namespace gq {

// Measurement and stopping rule (DESIGN.md §5, nvbench-style). A case takes samples until it has
// at least min_samples and min_time_s of sampled time, then stops as soon as the 95% CI of the
// median is within max_noise of the median; at max_time_s it stops anyway, and is noisy unless the
// samples it has meet max_noise (then ok, even below min_samples: harness/measure/stopping_rule.h).
struct MeasureOptions {
  int min_samples = 10;
  double min_time_s = 0.5;
  double max_time_s = 15.0;
  double max_noise = 0.01;          // relative half-width of the median's 95% CI
  double warmup_time_s = 0.2;       // warm-up before sampling (clocks, autotuning, lazy init)
  double min_sample_time_s = 1e-3;  // iterations per sample are batched to last at least this
  int max_samples = 100000;         // hard cap, treated like max_time_s
  bool verify = true;
  int repetitions = 1;  // independent rounds per case, interleaved across cases (DESIGN.md §5)
};

// Everything `gpuqual run` was asked to do.
struct RunOptions {
  std::vector<std::string> workloads;                        // ad-hoc workloads (empty with a suite)
  std::string suite;                                         // suite name or file; empty for ad hoc
  std::map<std::string, std::vector<std::string>> axes;      // -a AXIS=V1,V2 (applies to every workload that has AXIS)
  std::string device = "auto";
  std::string output;                                        // results path; empty = default
  std::map<std::string, std::string> labels;
  MeasureOptions measure;
  int64_t max_cases = 10000;  // a plan with more cases is refused before anything is allocated
};

// Ranges of the measure options: one rule wherever they are given (the run command's flags, a
// suite's "measure" object), checked with harness/numbers.h. Times in seconds.
inline constexpr int64_t kMaxMinSamples = 1000000;
inline constexpr int64_t kMaxRepetitions = 100;
inline constexpr NumberRange kSampleTimeRange{0, 86400};       // min_time_s, warmup_time_s
inline constexpr NumberRange kMaxTimeRange{0, 86400, true};    // max_time_s
inline constexpr NumberRange kMaxNoiseRange{0, 1, true};       // max_noise (a fraction)

}  // namespace gq
