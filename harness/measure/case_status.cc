#include "harness/measure/case_status.h"

#include <sstream>
#include <utility>

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

Judgement JudgeNoise(const StopVerdict& verdict, std::size_t samples, double max_noise) {
  if (verdict.converged) return {};
  return {CaseStatus::kNoisy, "95% CI of the median is +-" + Percent(verdict.noise) + " after " +
                                  std::to_string(samples) + " samples (target +-" +
                                  Percent(max_noise) + ")"};
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
  return JudgeNoise(e.stopping, r.samples_s.size(), e.max_noise);
}

}  // namespace gq
