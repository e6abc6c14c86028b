#include "harness/measure/case_status.h"

#include <sstream>
#include <utility>

#include "harness/stats.h"

namespace gq {
namespace {

std::string Percent(double fraction) {
  std::ostringstream os;
  os.precision(2);
  os << std::fixed << fraction * 100 << "%";
  return os.str();
}

std::string Sci(double v) {
  std::ostringstream os;
  os.precision(2);
  os << std::scientific << v;
  return os.str();
}

}  // namespace

VerificationJudgement JudgeVerification(const AgreedVerification& agreed, const VerifyResult& own,
                                        int ranks) {
  VerificationJudgement out;
  out.record = VerificationResult{agreed.passed, agreed.max_rel_err, own.tolerance, own.detail};
  if (agreed.passed) {
    if (ranks > 1) {
      out.record.detail += "; all " + std::to_string(ranks) + " ranks checked, all passed";
    }
    return out;
  }
  if (!agreed.failure_reason.empty()) out.record.detail = agreed.failure_reason;
  out.judgement = {CaseStatus::kFailed, "verification failed: max relative error " +
                                            Sci(out.record.max_rel_err) + " > tolerance " +
                                            Sci(own.tolerance) + " (" + out.record.detail + ")"};
  return out;
}

RooflineJudgement JudgeRoofline(const Work& work, const MetricSpec& primary, double achieved,
                                const DeviceSpec* sku, const MeasuredBandwidth& measured) {
  static const DeviceSpec kUnknownSku{};  // no datasheet peaks; a link peak may still apply
  const RooflineCheck check = CheckRoofline(
      work, primary, achieved, sku != nullptr ? *sku : kUnknownSku, measured.gbs, measured.case_id);
  RooflineJudgement out;
  out.roofline = check.roofline;
  if (!check.invalid_reason.empty()) out.judgement = {CaseStatus::kInvalid, check.invalid_reason};
  return out;
}

Judgement JudgeNoise(const StopVerdict& verdict, const std::vector<double>& samples_s,
                     double max_noise, double max_time_s) {
  if (verdict.converged) return {};
  const std::size_t n = samples_s.size();
  const std::string target = " (target +-" + Percent(max_noise) + ")";
  if (n < 2) {
    std::ostringstream os;
    os.precision(3);
    os << (n == 0 ? "no sample" : "one sample only");
    if (n == 1) os << " (" << samples_s[0] << " s, against a max time of " << max_time_s << " s)";
    return {CaseStatus::kNoisy, os.str() + ": no spread to measure" + target +
                                    "; a larger --max-time takes more samples"};
  }
  if (MedianCiLowerRank(n) == 0) {  // no 95% interval of a median exists for so few samples
    return {CaseStatus::kNoisy, "the " + std::to_string(n) + " samples reach +-" +
                                    Percent(verdict.noise) + " from their median" + target +
                                    "; fewer than 6 give no 95% interval"};
  }
  return {CaseStatus::kNoisy, "95% CI of the median is +-" + Percent(verdict.noise) + " after " +
                                  std::to_string(n) + " samples" + target};
}

Judgement JudgeCase(CaseResult& r, const CaseEvidence& e) {
  if (e.verification) {
    VerificationJudgement v = JudgeVerification(*e.verification, e.own_verification, e.ranks);
    r.verification = std::move(v.record);
    if (!v.judgement.ok()) return v.judgement;
  }
  const MetricResult* primary = e.primary != nullptr ? r.FindMetric(e.primary->name) : nullptr;
  if (primary != nullptr) {
    RooflineJudgement roof = JudgeRoofline(r.work, *e.primary, primary->median, e.sku, e.measured);
    r.roofline = std::move(roof.roofline);
    if (!roof.judgement.ok()) return roof.judgement;
  }
  return JudgeNoise(e.stopping, r.samples_s, e.max_noise, e.max_time_s);
}

}  // namespace gq
