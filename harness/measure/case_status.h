#pragma once
// The status of a measured case (runner.h steps 5-6), as pure functions of plain data: the
// verification agreed over ranks, the roofline with its sanity guard, and the stopping rule's
// verdict. The first that does not hold decides, in this order:
//   1. verification (when it ran): some rank's output failed -> failed, with the reason
//      "verification failed: max relative error E > tolerance T (D)", E the largest over ranks,
//      T this rank's tolerance, D the failing rank's reason when known, else this rank's detail;
//      the figures are kept.
//   2. roofline of the primary metric (roofline.h) on the device's SKU (unknown: no datasheet
//      peaks) and the bandwidth measured earlier in the run: a rate above the datasheet peak ->
//      invalid, with the roofline's reason.
//   3. noise: sampling stopped without meeting max_noise -> noisy, "95% CI of the median is
//      +-N% after S samples (target +-M%)".
//   4. ok.
// The verification record (VerificationResult) carries the agreed pass/fail and largest error,
// this rank's tolerance and detail; in a multi-rank run a pass adds "; all R ranks checked, all
// passed" to the detail.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "harness/measure/rank_sync.h"
#include "harness/measure/roofline.h"
#include "harness/measure/stopping_rule.h"
#include "harness/results.h"
#include "harness/system/device_specs.h"
#include "harness/work.h"
#include "harness/workload.h"

namespace gq {

struct Judgement {
  CaseStatus status = CaseStatus::kOk;
  std::string reason;  // empty when ok
  bool ok() const { return status == CaseStatus::kOk; }
};

// Step 1. `agreed.outcome` must be ok (a Verify that threw ends the case before judging).
struct VerificationJudgement {
  VerificationResult record;
  Judgement judgement;  // ok or failed
};
VerificationJudgement JudgeVerification(const AgreedVerification& agreed, const VerifyResult& own,
                                        int ranks);

// Step 2. `sku` null: unknown SKU. `achieved` is the median of the primary metric.
struct RooflineJudgement {
  std::optional<Roofline> roofline;  // absent when no peak applies
  Judgement judgement;               // ok or invalid
};
RooflineJudgement JudgeRoofline(const Work& work, const MetricSpec& primary, double achieved,
                                const DeviceSpec* sku, const MeasuredBandwidth& measured);

// Step 3: noisy unless the stopping rule converged. The reason says what the spread is: a 95% CI
// of the median from 6 samples on, the samples' reach from the median for 2-5, none for one sample
// (one that took `max_time_s` or more: the case's max time allowed no second).
Judgement JudgeNoise(const StopVerdict& verdict, const std::vector<double>& samples_s,
                     double max_noise, double max_time_s);

// What a case's judgement rests on besides its CaseResult.
struct CaseEvidence {
  std::optional<AgreedVerification> verification;  // absent when verification is off
  VerifyResult own_verification;                   // this rank's Verify() (tolerance, detail)
  int ranks = 1;
  const MetricSpec* primary = nullptr;  // the case's primary metric (Workload::PrimaryMetricFor); null: none
  const DeviceSpec* sku = nullptr;      // null: unknown SKU
  MeasuredBandwidth measured;           // the device's bandwidth measured earlier in the run
  StopVerdict stopping;
  double max_noise = 0;
  double max_time_s = 0;  // the case's sampling budget (MeasureOptions::max_time_s)
};

// Steps 1-4 on `r` (its work, metrics with the primary first, samples). Sets r.verification
// when verification ran and r.roofline when step 2 is reached; returns the status and reason.
Judgement JudgeCase(CaseResult& r, const CaseEvidence& evidence);

}  // namespace gq
