#pragma once
// Runs a run's cases so that a stop request (Ctrl-C, SIGTERM, SIGHUP) ends `gpuqual run` within
// about a second on every device, even while one iteration lasts minutes and cannot be broken
// into (one OpenBLAS call of a large gemm, an e2e prefill on the cpu, a long kernel).
//
// PromptStop::Run(sink, work) calls work(gated) on a worker thread while the calling thread
// watches the stop flag; `gated` forwards each case to `sink`. Without a stop request Run returns
// work's result (an exception from work is rethrown on the calling thread). After one, Run waits
// up to grace_s for work to end by itself (the runner stops between iterations), and if it has
// not, closes the gate (`gated` drops every case from then on; a case being handed over is
// written first) and returns false: the run is abandoned and the caller finishes its output as
// for any interrupted run. The abandoned worker is never joined: ~PromptStop ends the process
// with std::_Exit(130) after flushing std::cout and std::cerr, so nothing the worker
// may still be using is destroyed under it; declare the PromptStop after everything work uses.
// With a CaseWatchdog (app/case_watchdog.h), a case run that shows no progress for its limit
// (hung) ends the run the same way at once: the gate hands the hung case over as failed (unless
// that case ended in the meantime: then the watch goes on), with the round medians of its earlier
// rounds (--repetitions; the runner handed each round's merge through the gate), and closes, Run returns false, hung() is true, and the
// process ends with exit code 1 (a case failed) instead of 130.
// With inline_run (an MPI world of several ranks, which stop together after an agreed batch)
// work runs on the calling thread, nothing is abandoned and no watchdog is applied.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "app/case_watchdog.h"
#include "harness/case_sink.h"

namespace gq::cli {

class PromptStop {
 public:
  PromptStop(const std::atomic<bool>& stop, bool inline_run, double grace_s = 1.0,
             const CaseWatchdog* watchdog = nullptr);
  ~PromptStop();
  PromptStop(const PromptStop&) = delete;
  PromptStop& operator=(const PromptStop&) = delete;

  bool Run(CaseSink& sink, const std::function<bool(CaseSink& gated)>& work);
  bool abandoned() const { return abandoned_; }
  bool hung() const { return hung_; }

 private:
  class Gate : public CaseSink {
   public:
    explicit Gate(CaseSink& sink) : sink_(sink) {}
    void OnCaseDone(const CaseResult& r) override;
    void Close();
    // When still() holds: hands `last` over, with the round medians its case (id, device) had when
    // it last passed the gate, and closes, returning true; else changes nothing.
    bool CloseWith(const CaseResult& last, const std::function<bool()>& still);

   private:
    CaseSink& sink_;
    std::mutex mu_;
    bool open_ = true;
    std::map<std::pair<std::string, std::string>, std::vector<double>> round_medians_s_;  // (id, device) -> its rounds so far
  };

  const std::atomic<bool>& stop_;
  const bool inline_;
  const double grace_s_;
  const CaseWatchdog* watchdog_;
  bool abandoned_ = false;
  bool hung_ = false;
};

}  // namespace gq::cli
