#include "harness/measure/rank_sync.h"

#include <algorithm>
#include <exception>
#include <new>

#include "harness/errors.h"

namespace gq {

int StepOutcome::code() const {
  switch (status) {
    case CaseStatus::kOk:
      return 0;
    case CaseStatus::kSkipped:
      return peer ? 1 : 2;
    default:
      return 3;
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
  return Resolve(local, static_cast<int>(Max({static_cast<double>(local.code())})[0]));
}

StepOutcome RankSync::Resolve(const StepOutcome& local, int agreed_code) {
  if (comm_ == nullptr || agreed_code == 0) return agreed_code == 0 ? StepOutcome{} : local;
  const CaseStatus status = agreed_code == 3 ? CaseStatus::kFailed : CaseStatus::kSkipped;
  const std::vector<double> codes = comm_->GatherDoubles({static_cast<double>(local.code())}, 0);
  const std::vector<std::string> reasons = comm_->GatherStrings(local.reason, 0);
  StepOutcome out{status, "", agreed_code == 1};
  for (std::size_t r = 0; r < codes.size(); ++r) {
    if (static_cast<int>(codes[r]) == agreed_code) {
      out.reason = "rank " + std::to_string(r) + ": " + reasons[r];
      break;
    }
  }
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
