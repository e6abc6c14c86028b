#pragma once
// How the runner keeps the ranks of a multi-rank (MPI) run in lockstep and gathers their figures
// (DESIGN.md §8). In a single process (no communicator, or one rank) every call is the identity,
// so the runner has one code path.
//
// Lockstep: every rank runs the same plan on its own device. A collective only completes when
// every rank issues it, so ranks must take exactly the same decisions: how many warm-up batches,
// iterations per sample, when sampling stops, whether a case goes on after Prepare or Verify.
// The runner therefore agrees on each decision's inputs (Max over ranks of a sample's time and of
// failure/stop flags) before acting, and identical inputs give identical decisions everywhere.
// Only rank 0 keeps the results: reasons and per-rank figures are gathered to it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/results.h"
#include "harness/system/communicator.h"

namespace gq {

// The outcome of one step of a case on this rank.
struct StepOutcome {
  CaseStatus status = CaseStatus::kOk;  // kOk, kSkipped or kFailed
  std::string reason;
  bool peer = false;  // skipped only because another rank could not go on
  bool ok() const { return status == CaseStatus::kOk; }
  // Severity, for agreeing over ranks: ok 0 < skipped for a peer 1 < skipped 2 < failed 3.
  int code() const;
};

// Runs `step` and maps its exceptions the way the runner records them: CaseSkipped -> skipped
// with its message (PeerCouldNotContinue: a peer skip), std::bad_alloc -> skipped "out of host
// memory", any other -> failed.
StepOutcome TryStep(const std::function<void()>& step);

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
  // Agree() when the severity code over ranks is already known (e.g. from a Max carrying it).
  StepOutcome Resolve(const StepOutcome& local, int agreed_code);

  // On rank 0, every rank's figure (hosts from the communicator); empty elsewhere and in a
  // single process.
  std::vector<RankFigure> GatherFigures(const std::string& device, double median_s);

  // The case's "device" in the results: the device's own name in a single process ("cpu",
  // "cuda:0", "cuda:0-7"); in a multi-rank run the ranks and their device kind, "2xcpu",
  // "16xcuda", so results of different world sizes never join as the same case.
  std::string DeviceLabel(const DeviceRef& device) const;

 private:
  Communicator* comm_ = nullptr;  // null in a single process
};

// RankSync::DeviceLabel for a world of `ranks` ranks.
std::string CaseDeviceLabel(const DeviceRef& device, int ranks);

// The slowest rank when slowest / fastest - 1 > threshold (ranks with a median <= 0 ignored).
std::optional<Straggler> FindStraggler(const std::vector<RankFigure>& ranks, double threshold);

}  // namespace gq
