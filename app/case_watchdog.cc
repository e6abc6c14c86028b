#include "app/case_watchdog.h"

#include <utility>

#include "harness/number_text.h"

namespace gq::cli {
namespace {

const char* PhaseName(CasePhase phase) {
  switch (phase) {
    case CasePhase::kPrepare: return "preparing";
    case CasePhase::kWarmUp: return "warming up";
    case CasePhase::kSample: return "sampling";
    case CasePhase::kVerify: return "verifying";
  }
  return "running";
}

}  // namespace

double CaseWatchdog::SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

CaseWatchdog::CaseWatchdog(ProgressSink* inner, double limit_s, const std::vector<PlannedCase>& plan, Clock clock)
    : inner_(inner), limit_s_(limit_s), plan_(plan), clock_(std::move(clock)) {}

void CaseWatchdog::OnRunStart(int case_runs) {
  if (inner_ != nullptr) inner_->OnRunStart(case_runs);
}

void CaseWatchdog::OnCaseStart(const CaseProgress& c) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = true;
    ++token_;
    current_ = c;
    phase_ = CasePhase::kPrepare;
    samples_ = 0;
    started_s_ = progress_s_ = clock_();
  }
  if (inner_ != nullptr) inner_->OnCaseStart(c);
}

void CaseWatchdog::OnPhase(CasePhase phase) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    phase_ = phase;
    progress_s_ = clock_();
  }
  if (inner_ != nullptr) inner_->OnPhase(phase);
}

void CaseWatchdog::OnSample(const SampleProgress& s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    samples_ = s.samples;
    progress_s_ = clock_();
  }
  if (inner_ != nullptr) inner_->OnSample(s);
}

void CaseWatchdog::OnCaseEnd(const CaseProgress& c, CaseStatus status, double wall_time_s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
  }
  if (inner_ != nullptr) inner_->OnCaseEnd(c, status, wall_time_s);
}

std::optional<CaseWatchdog::Hung> CaseWatchdog::Overdue() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!running_) return std::nullopt;
  const double now = clock_();
  if (now - progress_s_ <= limit_s_) return std::nullopt;
  Hung hung;
  hung.token = token_;
  CaseResult& r = hung.result;
  r.id = current_.id;
  r.device = current_.device;
  for (const PlannedCase& p : plan_) {
    if (p.spec.Id() != current_.id) continue;
    r.workload = p.workload->Name();
    r.params = p.spec.params;
    break;
  }
  r.status = CaseStatus::kFailed;
  r.rounds_planned = current_.rounds;
  r.rounds_done = current_.round;
  r.wall_time_s = now - started_s_;
  r.reason = "hung: no progress for " + NumberText("%g", limit_s_) + " s (--hang-timeout) while " +
             PhaseName(phase_) + (phase_ == CasePhase::kSample ? " after " + std::to_string(samples_) + " sample(s)" : "") +
             (current_.rounds > 1 ? ", round " + std::to_string(current_.round) + " of " + std::to_string(current_.rounds) : "") +
             ": a kernel that never ends, a lost device or a deadlock; the run stopped here (raise "
             "--hang-timeout if one iteration of the case is only slow)";
  return hung;
}

bool CaseWatchdog::StillRunning(int64_t token) const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_ && token_ == token;
}

}  // namespace gq::cli
