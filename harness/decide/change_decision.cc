#include "harness/decide/change_decision.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "harness/decide/bootstrap_median.h"
#include "harness/number_text.h"

namespace gq {
namespace {

struct LogSide {
  double mean = 0, var = 0;  // of log values; var 0 with one value
  int n = 0;
};

LogSide Side(const std::vector<double>& values, const char* which) {
  if (values.empty()) throw std::invalid_argument(std::string("DecideChange: no ") + which + " replicate");
  LogSide s;
  s.n = static_cast<int>(values.size());
  for (double v : values) {
    if (!(v > 0) || !std::isfinite(v)) throw std::invalid_argument(std::string("DecideChange: ") + which + " value not > 0");
    s.mean += std::log(v);
  }
  s.mean /= s.n;
  if (s.n < 2) return s;
  for (double v : values) s.var += (std::log(v) - s.mean) * (std::log(v) - s.mean);
  s.var /= s.n - 1;
  return s;
}

// Coefficient of variation of the values; -1 with one.
double Cv(const std::vector<double>& v) {
  if (v.size() < 2) return -1;
  double mean = 0, var = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  for (double x : v) var += (x - mean) * (x - mean);
  return std::sqrt(var / static_cast<double>(v.size() - 1)) / mean;
}

std::string Pct(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", 100 * fraction);
  return buf;
}

std::string Magnitude(double change) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f%% %s", 100 * std::fabs(change), change < 0 ? "worse" : "better");
  return buf;
}

// Replicates per side that would bring the CI half-width t * s * sqrt(2 / N) under `margin` (log
// scale), with the t quantile held at its current value; "" when it cannot be said.
std::string RunsToDecide(double t, double s, double margin) {
  if (!(s > 0) || !(margin > 0)) return "";
  const double n = std::ceil(2.0 * (t * s / margin) * (t * s / margin));
  return n > 1000 ? "more than 1000 runs per side would be needed at this spread"
                  : "about " + std::to_string(static_cast<int>(std::max(2.0, n))) + " runs per side would decide at this spread";
}

}  // namespace

double StudentTTwoSidedP(double t, double df) {
  if (!(df > 0)) throw std::invalid_argument("StudentTTwoSidedP: df must be > 0");
  if (std::isnan(t)) throw std::invalid_argument("StudentTTwoSidedP: t is NaN");
  if (!std::isfinite(t)) return 0;
  // Beyond ~1e8 df the incomplete beta's series does not converge in its term limit, and t is
  // the normal distribution to double precision.
  if (df > 1e8) return std::erfc(std::fabs(t) / std::sqrt(2.0));
  return RegularizedIncompleteBeta(df / 2.0, 0.5, df / (df + t * t));
}

double StudentTQuantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) throw std::invalid_argument("StudentTQuantile: need p in (0, 1), df > 0");
  if (p == 0.5) return 0;
  const double tail = 2.0 * std::min(p, 1.0 - p);  // two-sided tail of |t|
  double lo = 0, hi = 1;
  while (StudentTTwoSidedP(hi, df) > tail) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (StudentTTwoSidedP(mid, df) > tail ? lo : hi) = mid;
  }
  const double t = 0.5 * (lo + hi);
  return p > 0.5 ? t : -t;
}

ChangeDecision DecideChange(const std::vector<double>& candidate, const std::vector<double>& baseline,
                            bool higher_is_better, double tolerance, double alpha) {
  if (!(tolerance >= 0 && tolerance < 1) || !(alpha > 0 && alpha < 1)) {
    throw std::invalid_argument("DecideChange: need tolerance in [0, 1) and alpha in (0, 1)");
  }
  const LogSide c = Side(candidate, "candidate"), b = Side(baseline, "baseline");
  ChangeDecision out;
  out.n_candidate = c.n;
  out.n_baseline = b.n;
  out.noise_candidate = Cv(candidate);
  out.noise_baseline = Cv(baseline);
  const double d = c.mean - b.mean;  // log ratio of the metric
  const double sign = higher_is_better ? 1.0 : -1.0;
  out.ratio = std::exp(d);
  out.change = std::exp(sign * d) - 1.0;
  out.ratio_low = out.ratio_high = out.ratio;

  // The standard error of d and its degrees of freedom (rules in the header).
  double se2 = 0, df = 0, s = 0;
  std::string basis;
  if (c.n >= 2 && b.n >= 2 && std::min(c.n, b.n) <= kPooledBelow) {
    // A side of 2 or 3 replicates estimates its variance on 1 or 2 degrees of freedom, on which
    // the Welch-Satterthwaite df is too liberal: pooled (Student's) t, exact under the A/A null.
    const double pooled = ((c.n - 1) * c.var + (b.n - 1) * b.var) / (c.n + b.n - 2);
    se2 = pooled * (1.0 / c.n + 1.0 / b.n);
    df = c.n + b.n - 2;
    s = std::sqrt(pooled);
    basis = "pooled t on " + std::to_string(c.n) + " vs " + std::to_string(b.n) + " run medians";
  } else if (c.n >= 2 && b.n >= 2) {
    se2 = c.var / c.n + b.var / b.n;
    const double vc = c.var / c.n, vb = b.var / b.n;
    df = se2 > 0 ? se2 * se2 / (vc * vc / (c.n - 1) + vb * vb / (b.n - 1)) : c.n + b.n - 2;
    s = std::sqrt(0.5 * (c.var + b.var));
    basis = "Welch t on " + std::to_string(c.n) + " vs " + std::to_string(b.n) + " run medians";
  } else if (c.n >= 2 || b.n >= 2) {
    const LogSide& known = c.n >= 2 ? c : b;
    s = std::sqrt(known.var);
    se2 = known.var * (1.0 / c.n + 1.0 / b.n);
    df = known.n - 1;
    basis = std::string("one ") + (c.n == 1 ? "candidate" : "baseline") + " run against the other side's spread of " +
            std::to_string(known.n) + " runs";
  }
  const double tol_change = tolerance;
  const bool worse = out.change < -tol_change, better = out.change > tol_change;
  if (df <= 0) {  // one run on each side: no spread is known, so no call could hold alpha
    out.call = ChangeCall::kInconclusive;
    out.reason = (worse || better ? Magnitude(out.change) + " (beyond" : Pct(out.change) + " (within") + " the " +
                 NumberText("%.1f%%", 100 * tolerance) +
                 " tolerance); one run on each side: no between-run spread to decide on (--repetitions 3, or a "
                 "baseline of several runs, would decide)";
    return out;
  }
  const double se = std::sqrt(se2);
  const double tq = StudentTQuantile(1.0 - alpha / 2.0, df);
  out.p_value = se > 0 ? StudentTTwoSidedP(d / se, df) : (d == 0 ? 1.0 : 0.0);
  out.ratio_low = std::exp(d - tq * se);
  out.ratio_high = std::exp(d + tq * se);
  // The CI of the change, in the better direction.
  const double change_low = higher_is_better ? out.ratio_low - 1 : 1 / out.ratio_high - 1;
  const double change_high = higher_is_better ? out.ratio_high - 1 : 1 / out.ratio_low - 1;
  const std::string ci = NumberText("%.0f%% CI ", 100 * (1 - alpha)) + Pct(change_low) + " .. " + Pct(change_high);
  const std::string p = "p = " + NumberText("%.3g", out.p_value);
  const std::string tol = NumberText("%.1f%%", 100 * tolerance) + " tolerance";
  const bool significant = out.p_value < alpha;
  if (significant && (worse || better)) {
    out.call = worse ? ChangeCall::kRegressed : ChangeCall::kImproved;
    out.reason = Magnitude(out.change) + " (" + ci + ", " + p + ", " + basis + "; " + tol + ")";
  } else if (change_low >= -tol_change && change_high <= tol_change) {
    out.call = ChangeCall::kUnchanged;
    out.reason = Pct(out.change) + " (" + ci + ") within the " + tol + " (" + basis + ")";
  } else {
    out.call = ChangeCall::kInconclusive;
    // What the CI half-width must shrink below (log scale): |d| to tell a change beyond the
    // tolerance from none; else the distance from d to the nearer tolerance bound.
    const double od = sign * d;
    const double margin = worse || better ? std::fabs(d)
                                          : std::min(od - std::log(1 - tolerance), std::log(1 + tolerance) - od);
    const std::string runs = RunsToDecide(tq, s, margin);
    const double decides_at = std::max(std::fabs(change_low), std::fabs(change_high));
    out.reason = worse || better
                     ? Magnitude(out.change) + ", but within the between-run spread (" + ci + ", " + p + " >= " +
                           NumberText("%.3g", alpha) + ", " + basis + ")"
                     : Pct(out.change) + " (" + ci + ") reaches beyond the " + tol + " (" + basis + ")";
    // Rounded up, so that the tolerance quoted does decide.
    const double decides_at_pct = std::ceil(1000 * decides_at) / 10;
    out.reason += ": " + (runs.empty() ? std::string("more runs would decide") : runs) +
                  (worse || better ? "" : ", or a tolerance of " + NumberText("%.1f%%", decides_at_pct));
  }
  return out;
}

}  // namespace gq
