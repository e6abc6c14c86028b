#include "harness/decide/bootstrap_median.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gq {
namespace {

// The continued fraction of I_x(a, b) (A&S 26.5.8) by the modified Lentz method: terms
//   d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),   d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEpsilon = 1e-15;
  constexpr int kMaxTerms = 100000;
  auto guard = [](double v) { return std::fabs(v) < kTiny ? kTiny : v; };
  double c = 1.0;
  double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
  double f = d;
  for (int m = 1; m <= kMaxTerms; ++m) {
    const double even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
    d = 1.0 / guard(1.0 + even * d);
    c = guard(1.0 + even / c);
    f *= d * c;
    const double odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
    d = 1.0 / guard(1.0 + odd * d);
    c = guard(1.0 + odd / c);
    const double step = d * c;
    f *= step;
    if (std::fabs(step - 1.0) < kEpsilon) break;
  }
  return f;
}

// P(Binomial(n, p) = k), in log space.
double BinomialPmf(double n, double k, double p) {
  if (p <= 0) return k == 0 ? 1.0 : 0.0;
  if (p >= 1) return k == n ? 1.0 : 0.0;
  return std::exp(std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1) + k * std::log(p) +
                  (n - k) * std::log1p(-p));
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) throw std::invalid_argument("RegularizedIncompleteBeta: bad argument");
  if (x == 0 || x == 1) return x;
  const double front = std::exp(a * std::log(x) + b * std::log1p(-x) - (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b)));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1.0 - front * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

double UniformSource::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

BootstrapMedianSampler::BootstrapMedianSampler(std::vector<double> values) : sorted_(std::move(values)) {
  if (sorted_.empty()) throw std::invalid_argument("BootstrapMedianSampler: empty sample");
  std::sort(sorted_.begin(), sorted_.end());
  const std::size_t n = sorted_.size();
  const double dn = static_cast<double>(n);
  k_ = (n + 1) / 2;  // odd: the middle; even: the lower middle
  const double k = static_cast<double>(k_);
  cdf_.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    cdf_[j] = j + 1 == n ? 1.0 : RegularizedIncompleteBeta(k, dn - k + 1, static_cast<double>(j + 1) / dn);
  }
  if (n % 2 != 0) return;
  apart_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double at_i = cdf_[i] - (i > 0 ? cdf_[i - 1] : 0.0);  // P(I_k = i)
    const double exactly_k = BinomialPmf(dn, k, static_cast<double>(i + 1) / dn);
    const double before = i > 0 ? BinomialPmf(dn, k, static_cast<double>(i) / dn) : 0.0;
    const double miss_i = std::pow(1.0 - 1.0 / static_cast<double>(n - i), dn - k);
    apart_[i] = at_i > 0 ? std::clamp((exactly_k - before * miss_i) / at_i, 0.0, 1.0) : 0.0;
  }
}

std::size_t BootstrapMedianSampler::DrawIndex(double u) const {
  return static_cast<std::size_t>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
}

double BootstrapMedianSampler::Draw(UniformSource& uniform) const {
  const std::size_t n = sorted_.size();
  const std::size_t i = std::min(DrawIndex(uniform.Next()), n - 1);
  if (n % 2 != 0) return sorted_[i];
  std::size_t next = i;
  if (i + 1 < n && uniform.Next() < apart_[i]) {
    // The least of n - k uniform picks from the L indices above i: invert P(t >= s) = ((L - s) / L)^(n - k).
    const double L = static_cast<double>(n - 1 - i), m = static_cast<double>(n - k_);
    const double s = std::floor(L * (1.0 - std::pow(1.0 - uniform.Next(), 1.0 / m)));
    next = i + 1 + std::min(static_cast<std::size_t>(s), n - 2 - i);
  }
  return 0.5 * (sorted_[i] + sorted_[next]);
}

}  // namespace gq
