// harness/decide/bootstrap_median: the drawn median has the distribution of a real bootstrap
// resample's median (checked against brute-force resampling, odd and even n, with ties), and the
// incomplete beta it rests on matches closed forms.
#include "harness/decide/bootstrap_median.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "harness/stats.h"

namespace gq {
namespace {

TEST(RegularizedIncompleteBetaTest, ClosedForms) {
  EXPECT_NEAR(RegularizedIncompleteBeta(1, 1, 0.3), 0.3, 1e-14);
  EXPECT_NEAR(RegularizedIncompleteBeta(1, 5, 0.2), 1 - std::pow(0.8, 5), 1e-14);  // 1 - (1-x)^b
  EXPECT_NEAR(RegularizedIncompleteBeta(4, 1, 0.7), std::pow(0.7, 4), 1e-14);     // x^a
  // Integer a, b: P(Binomial(a + b - 1, x) >= a); Bin(4, 0.3) >= 2 = 1 - 0.7^4 - 4 * 0.3 * 0.7^3.
  EXPECT_NEAR(RegularizedIncompleteBeta(2, 3, 0.3), 1 - 0.2401 - 0.4116, 1e-14);
  // Large parameters (a resample median of n = 100001): symmetric at x = 1/2.
  EXPECT_NEAR(RegularizedIncompleteBeta(50001, 50001, 0.5), 0.5, 1e-9);
  EXPECT_THROW(RegularizedIncompleteBeta(0, 1, 0.5), std::invalid_argument);
}

// The distribution of the median of a resample, by brute force and by the sampler.
std::map<double, double> Distribution(const std::vector<double>& values, bool brute, int draws) {
  std::map<double, double> out;
  if (brute) {
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, values.size() - 1);
    std::vector<double> r(values.size());
    for (int d = 0; d < draws; ++d) {
      for (double& v : r) v = values[pick(rng)];
      out[Median(r)] += 1.0 / draws;
    }
  } else {
    BootstrapMedianSampler s(values);
    UniformSource uniform(11);
    for (int d = 0; d < draws; ++d) out[s.Draw(uniform)] += 1.0 / draws;
  }
  return out;
}

// Largest difference between the two CDFs (Kolmogorov-Smirnov distance).
double KsDistance(const std::map<double, double>& a, const std::map<double, double>& b) {
  std::map<double, double> keys = a;
  for (const auto& [k, _] : b) keys[k];
  double fa = 0, fb = 0, worst = 0;
  for (const auto& [k, _] : keys) {
    fa += a.count(k) ? a.at(k) : 0;
    fb += b.count(k) ? b.at(k) : 0;
    worst = std::max(worst, std::fabs(fa - fb));
  }
  return worst;
}

TEST(BootstrapMedianSamplerTest, MatchesBruteForceResampling) {
  const std::vector<std::vector<double>> samples = {
      {3.0},
      {1.0, 2.0},
      {5.0, 1.0, 3.0},
      {1, 2, 2, 3, 7, 8},                           // even, with a tie
      {4, 8, 15, 16, 23, 42, 4, 8, 15, 16, 23},     // odd, ties
      {0.9, 1.1, 1.0, 1.05, 0.95, 1.2, 0.8, 1.01},  // even
      std::vector<double>(30, 2.5),                 // all equal
  };
  std::vector<double> big;
  for (int i = 0; i < 40; ++i) big.push_back(100 + (i * 37 % 23) * 0.25);  // even, many ties
  for (const auto& values : {samples[0], samples[1], samples[2], samples[3], samples[4], samples[5], samples[6], big}) {
    const int draws = 200000;
    const double ks = KsDistance(Distribution(values, true, draws), Distribution(values, false, draws));
    // Two independent empirical CDFs of 200k draws each: a distance above ~0.006 would be rare
    // (p < 0.001); a wrong distribution (e.g. the lower middle instead of the mean of the two
    // middles) is off by far more.
    EXPECT_LT(ks, 0.006) << "n = " << values.size();
  }
}

TEST(BootstrapMedianSamplerTest, EmptyIsRefused) {
  EXPECT_THROW(BootstrapMedianSampler(std::vector<double>{}), std::invalid_argument);
}

}  // namespace
}  // namespace gq
