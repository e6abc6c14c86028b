#include "app/prompt_stop.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <thread>

#include "harness/measure/interrupt.h"

namespace gq::cli {
namespace {

// What the worker shares with the watching thread; shared, as an abandoned worker outlives Run.
struct WorkerState {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  bool result = false;
  std::exception_ptr error;
};

}  // namespace

void PromptStop::Gate::OnCaseDone(const CaseResult& r) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return;
  round_medians_s_[{r.id, r.device}] = r.round_medians_s;
  sink_.OnCaseDone(r);
}

void PromptStop::Gate::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = false;
}

bool PromptStop::Gate::CloseWith(const CaseResult& last, const std::function<bool()>& still) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_ || !still()) return false;
  CaseResult hung = last;
  const auto earlier = round_medians_s_.find({last.id, last.device});
  if (earlier != round_medians_s_.end()) hung.round_medians_s = earlier->second;
  sink_.OnCaseDone(hung);
  open_ = false;
  return true;
}

PromptStop::PromptStop(const std::atomic<bool>& stop, bool inline_run, double grace_s, const CaseWatchdog* watchdog)
    : stop_(stop), inline_(inline_run), grace_s_(grace_s), watchdog_(watchdog) {}

PromptStop::~PromptStop() {
  if (!abandoned_) return;
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(hung_ ? 1 : kInterruptedExit);
}

bool PromptStop::Run(CaseSink& sink, const std::function<bool(CaseSink& gated)>& work) {
  if (inline_) return work(sink);
  // The gate outlives this call when the worker is abandoned (released then: the process ends in
  // the destructor).
  auto gate = std::make_unique<Gate>(sink);
  auto state = std::make_shared<WorkerState>();
  std::thread worker([state, gate = gate.get(), work] {
    bool result = false;
    std::exception_ptr error;
    try {
      result = work(*gate);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(state->mu);
    state->done = true;
    state->result = result;
    state->error = error;
    state->done_cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(state->mu);
  while (!state->done && !stop_.load() && !hung_) {
    state->done_cv.wait_for(lock, std::chrono::milliseconds(50));
    if (state->done || watchdog_ == nullptr) continue;
    lock.unlock();  // the gate may write the results file
    if (const auto overdue = watchdog_->Overdue()) {
      hung_ = gate->CloseWith(overdue->result, [&] { return watchdog_->StillRunning(overdue->token); });
    }
    lock.lock();
  }
  if (!state->done && !hung_) {  // a stop request: give the runner its chance to stop between iterations
    state->done_cv.wait_for(lock, std::chrono::duration<double>(grace_s_), [&] { return state->done; });
  }
  if (!state->done) {
    lock.unlock();
    gate->Close();
    static_cast<void>(gate.release());
    worker.detach();
    abandoned_ = true;
    return false;
  }
  lock.unlock();
  worker.join();
  if (hung_) return false;  // the worker ended after the gate took the hung case: that stands
  if (state->error) std::rethrow_exception(state->error);
  return state->result;
}

}  // namespace gq::cli
