#pragma once
// How the runner keeps the ranks of a multi-rank (MPI) run in lockstep and gathers their figures
// (DESIGN.md §8). In a single process (no communicator, or one rank) every call is the identity,
// so the runner has one code path.
//
// Lockstep: every rank runs the same plan on its own device. A collective only completes when
// every rank issues it, so ranks must take exactly the same decisions: how many warm-up batches,
// iterations per sample, when sampling stops, whether a case goes on after Prepare or Verify.
// The runner therefore agrees on each decision's inputs before acting, and identical inputs give
// identical decisions everywhere. The agreements are typed (AgreeBatch, AgreeVerification,
// Agree): callers see named fields; how they travel (one element-wise AllReduceMax per batch,
// severities and flags as numbers) is this unit's business. Only rank 0 keeps the results:
// reasons and per-rank figures are gathered to it.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/results.h"
#include "harness/system/communicator.h"
#include "harness/workload.h"

namespace gq {

// How bad a step's outcome is; ranks agree on the most severe. Ordered: ok < skipped only
// because a peer could not go on < skipped < failed.
enum class Severity : int { kOk = 0, kPeerSkipped = 1, kSkipped = 2, kFailed = 3 };

// The outcome of one step of a case on this rank.
struct StepOutcome {
  CaseStatus status = CaseStatus::kOk;  // kOk, kSkipped or kFailed
  std::string reason;
  bool peer = false;  // skipped only because another rank could not go on
  bool ok() const { return status == CaseStatus::kOk; }
  Severity code() const;  // the severity of this outcome
};

// Runs `step` and maps its exceptions the way the runner records them: CaseSkipped -> skipped
// with its message (PeerCouldNotContinue: a peer skip), std::bad_alloc -> skipped "out of host
// memory", any other -> failed.
StepOutcome TryStep(const std::function<void()>& step);

// One timed batch as this rank saw it, after its timed region.
struct BatchReport {
  double seconds = 0;                    // this rank's time of the batch
  StepOutcome outcome;                   // of running it (and of reading its PhaseSeconds)
  bool stop = false;                     // a stop was requested on this rank
  std::map<std::string, double> phases;  // this rank's PhaseSeconds; empty for warm-up batches
};

// The batch as every rank takes it.
struct AgreedBatch {
  double slowest_s = 0;                  // the largest BatchReport::seconds over ranks
  StepOutcome outcome;                   // the most severe over ranks (reason as Agree gives it)
  bool stop = false;                     // a stop was requested on any rank
  bool same_phase_names = true;          // every rank's phases have the same names
  std::map<std::string, double> phases;  // each phase the slowest rank's; filled only when the
                                         // outcome is ok, no stop and the names agree
};

// Verify() as this rank ran it.
struct VerifyReport {
  StepOutcome outcome;  // of calling Verify (it threw: not ok; `result` then means nothing)
  VerifyResult result;
};

// The verification as every rank takes it.
struct AgreedVerification {
  StepOutcome outcome;     // of calling Verify, the most severe over ranks
  bool passed = false;     // every rank's output passed (meaningful when outcome is ok)
  double max_rel_err = 0;  // the largest over ranks
  // When some rank's output failed: on rank 0 "rank R: <its detail>" for the lowest such rank in
  // a multi-rank run, this rank's detail in a single process; empty on other ranks.
  std::string failure_reason;
};

class RankSync {
 public:
  explicit RankSync(Communicator* comm);

  bool multi() const { return comm_ != nullptr; }
  int rank() const;
  int size() const;

  // Element-wise maximum over ranks.
  std::vector<double> Max(std::vector<double> values);
  // True on every rank when `flag` is true on any.
  bool Any(bool flag);

  // The most severe outcome over ranks. On rank 0 its reason is that of the lowest rank with that
  // outcome, prefixed "rank R: " in a multi-rank run; other ranks get the status only.
  StepOutcome Agree(const StepOutcome& local);
  // One collective for the batch's time, outcome, stop flag and phase names (then, when it goes
  // on, one for the phase seconds), plus Agree's gathers when some rank did not succeed.
  AgreedBatch AgreeBatch(const BatchReport& report);
  // One collective for Verify's outcome, pass/fail and error, plus Agree's gathers for a Verify
  // that threw on some rank, then for an output that failed on some rank.
  AgreedVerification AgreeVerification(const VerifyReport& report);

  // On rank 0, every rank's figure (hosts from the communicator); empty elsewhere and in a
  // single process.
  std::vector<RankFigure> GatherFigures(const std::string& device, double median_s);

  // The case's "device" in the results: the device's own name in a single process ("cpu",
  // "cuda:0", "cuda:0-7"); in a multi-rank run the ranks and their device kind, "2xcpu",
  // "16xcuda", so results of different world sizes never join as the same case.
  std::string DeviceLabel(const DeviceRef& device) const;

 private:
  // Agree() when the most severe outcome over ranks is already known.
  StepOutcome Resolve(const StepOutcome& local, Severity agreed);

  Communicator* comm_ = nullptr;  // null in a single process
};

// RankSync::DeviceLabel for a world of `ranks` ranks.
std::string CaseDeviceLabel(const DeviceRef& device, int ranks);

// The slowest rank when slowest / fastest - 1 > threshold (ranks with a median <= 0 ignored).
std::optional<Straggler> FindStraggler(const std::vector<RankFigure>& ranks, double threshold);

}  // namespace gq
