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
  if (open_) sink_.OnCaseDone(r);
}

void PromptStop::Gate::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = false;
}

PromptStop::PromptStop(const std::atomic<bool>& stop, bool inline_run, double grace_s)
    : stop_(stop), inline_(inline_run), grace_s_(grace_s) {}

PromptStop::~PromptStop() {
  if (!abandoned_) return;
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(kInterruptedExit);
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
  while (!state->done && !stop_.load()) state->done_cv.wait_for(lock, std::chrono::milliseconds(50));
  if (!state->done) {  // a stop request: give the runner its chance to stop between iterations
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
  if (state->error) std::rethrow_exception(state->error);
  return state->result;
}

}  // namespace gq::cli
