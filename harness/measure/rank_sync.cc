#include "harness/measure/rank_sync.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <new>

#include "harness/errors.h"

namespace gq {
namespace {

// Severities and flags travel as doubles in AllReduceMax; every value here is exact.
double ToWire(Severity s) { return static_cast<double>(static_cast<int>(s)); }
Severity SeverityFromWire(double v) { return static_cast<Severity>(static_cast<int>(v)); }
double ToWire(bool flag) { return flag ? 1.0 : 0.0; }

// 32-bit FNV-1a over the phase names (each ended by a NUL): equal on every rank that names the
// same phases; exact as a double. Ranks compare it as max and -min over ranks (equal when every
// rank has the same fingerprint), so it needs no collective of its own.
double NamesFingerprint(const std::map<std::string, double>& phases) {
  uint32_t h = 2166136261u;
  for (const auto& [name, _] : phases) {
    for (char c : name + '\0') h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return static_cast<double>(h);
}

}  // namespace

Severity StepOutcome::code() const {
  switch (status) {
    case CaseStatus::kOk:
      return Severity::kOk;
    case CaseStatus::kSkipped:
      return peer ? Severity::kPeerSkipped : Severity::kSkipped;
    default:
      return Severity::kFailed;
  }
}

StepOutcome TryStep(const std::function<void()>& step) {
  try {
    step();
    return {};
  } catch (const PeerCouldNotContinue& e) {
    return {CaseStatus::kSkipped, e.what(), true};
  } catch (const CaseSkipped& e) {
    return {CaseStatus::kSkipped, e.what()};
  } catch (const std::bad_alloc&) {
    return {CaseStatus::kSkipped, "out of host memory"};
  } catch (const std::exception& e) {
    return {CaseStatus::kFailed, e.what()};
  }
}

RankSync::RankSync(Communicator* comm)
    : comm_(comm != nullptr && comm->size() > 1 ? comm : nullptr) {}

int RankSync::rank() const { return comm_ != nullptr ? comm_->rank() : 0; }
int RankSync::size() const { return comm_ != nullptr ? comm_->size() : 1; }

std::vector<double> RankSync::Max(std::vector<double> values) {
  if (comm_ != nullptr) comm_->AllReduceMax(values);
  return values;
}

bool RankSync::Any(bool flag) { return Max({flag ? 1.0 : 0.0})[0] > 0; }

StepOutcome RankSync::Agree(const StepOutcome& local) {
  return Resolve(local, SeverityFromWire(Max({ToWire(local.code())})[0]));
}

StepOutcome RankSync::Resolve(const StepOutcome& local, Severity agreed) {
  if (agreed == Severity::kOk) return StepOutcome{};
  if (comm_ == nullptr) return local;
  const CaseStatus status =
      agreed == Severity::kFailed ? CaseStatus::kFailed : CaseStatus::kSkipped;
  const std::vector<double> codes = comm_->GatherDoubles({ToWire(local.code())}, 0);
  const std::vector<std::string> reasons = comm_->GatherStrings(local.reason, 0);
  StepOutcome out{status, "", agreed == Severity::kPeerSkipped};
  for (std::size_t r = 0; r < codes.size(); ++r) {
    if (SeverityFromWire(codes[r]) == agreed) {
      out.reason = "rank " + std::to_string(r) + ": " + reasons[r];
      break;
    }
  }
  return out;
}

// Wire: {seconds, severity, stop, fingerprint, -fingerprint}, element-wise max over ranks.
AgreedBatch RankSync::AgreeBatch(const BatchReport& report) {
  const double print = NamesFingerprint(report.phases);
  const std::vector<double> agreed =
      Max({report.seconds, ToWire(report.outcome.code()), ToWire(report.stop), print, -print});
  AgreedBatch out;
  out.slowest_s = agreed[0];
  out.outcome = Resolve(report.outcome, SeverityFromWire(agreed[1]));
  out.stop = agreed[2] > 0;
  out.same_phase_names = agreed[3] == -agreed[4];
  if (out.stop || !out.outcome.ok() || !out.same_phase_names) return out;
  out.phases = report.phases;
  if (out.phases.empty()) return out;  // on every rank, as the names agree
  std::vector<double> seconds;         // in key order, the same on every rank
  for (const auto& [_, s] : out.phases) seconds.push_back(s);
  seconds = Max(std::move(seconds));
  std::size_t i = 0;
  for (auto& [_, s] : out.phases) s = seconds[i++];
  return out;
}

// Wire: {severity of the call, this rank's output failed, max_rel_err}, element-wise max.
AgreedVerification RankSync::AgreeVerification(const VerifyReport& report) {
  const StepOutcome& local = report.outcome;
  const VerifyResult& v = report.result;
  const std::vector<double> agreed =
      Max({ToWire(local.code()), ToWire(local.ok() && !v.passed), v.max_rel_err});
  AgreedVerification out;
  out.outcome = Resolve(local, SeverityFromWire(agreed[0]));
  if (!out.outcome.ok()) return out;
  const bool any_wrong = agreed[1] > 0;
  out.passed = !any_wrong;
  out.max_rel_err = agreed[2];
  const StepOutcome own_output{v.passed ? CaseStatus::kOk : CaseStatus::kFailed, v.detail};
  out.failure_reason = Resolve(own_output, any_wrong ? Severity::kFailed : Severity::kOk).reason;
  return out;
}

std::vector<RankFigure> RankSync::GatherFigures(const std::string& device, double median_s) {
  if (comm_ == nullptr) return {};
  const std::vector<double> medians = comm_->GatherDoubles({median_s}, 0);
  const std::vector<std::string> devices = comm_->GatherStrings(device, 0);
  const std::vector<std::string>& hosts = comm_->hostnames();
  std::vector<RankFigure> out;
  for (std::size_t r = 0; r < medians.size(); ++r) {
    out.push_back({static_cast<int>(r), r < hosts.size() ? hosts[r] : "", devices[r], medians[r]});
  }
  return out;
}

std::string RankSync::DeviceLabel(const DeviceRef& device) const {
  return CaseDeviceLabel(device, size());
}

std::string CaseDeviceLabel(const DeviceRef& device, int ranks) {
  if (ranks <= 1) return device.Name();
  return std::to_string(ranks) + "x" + (device.IsCuda() ? "cuda" : "cpu");
}

std::optional<Straggler> FindStraggler(const std::vector<RankFigure>& ranks, double threshold) {
  const RankFigure* fastest = nullptr;
  const RankFigure* slowest = nullptr;
  for (const RankFigure& r : ranks) {
    if (!(r.median_s > 0)) continue;
    if (fastest == nullptr || r.median_s < fastest->median_s) fastest = &r;
    if (slowest == nullptr || r.median_s > slowest->median_s) slowest = &r;
  }
  if (fastest == nullptr) return std::nullopt;
  const double spread = slowest->median_s / fastest->median_s - 1.0;
  if (!(spread > threshold)) return std::nullopt;
  return Straggler{slowest->rank, slowest->host, slowest->device, slowest->median_s, spread};
}

}  // namespace gq
