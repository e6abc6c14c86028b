#pragma once
// Simulated run medians for the change tests (change_decision_test.cc, change_points_test.cc):
// n values center x exp(N(0, cv)), log-normal with a between-run spread of about cv, drawn from
// the caller's seeded generator.
#include <cmath>
#include <random>
#include <vector>

namespace gq::testing {

inline std::vector<double> LogNormalRuns(std::mt19937_64& rng, int n, double center, double cv) {
  std::normal_distribution<double> noise(0.0, cv);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(center * std::exp(noise(rng)));
  return out;
}

}  // namespace gq::testing
