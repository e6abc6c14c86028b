#pragma once
// Shows a run's progress (harness/progress_sink.h) on a stream, in one of two forms:
// - kLine, for a terminal: one line rewritten in place ("\r", erase to the end of the line) at
//   every event and every 0.25 s from a ticker thread, so the elapsed time moves during a long
//   sample or iteration; cut to the terminal's width; erased when the case ends, so the table row
//   that follows (on another stream to the same terminal) starts on a clean line. E.g.
//     [3/14 round 2/3] 0:31 sampling: 12 samples, median +-0.84% (target 1.00%), ~1:20 left | gemm/dtype=fp32/... on cpu
// - kPlain, for a log or a pipe: one line as each case starts, e.g.
//     [3/14 round 2/3] gemm/dtype=fp32/... on cpu (~1:20 left)
// The percentage is the relative half-width of the median's 95% CI over the samples so far, the
// figure the stopping rule compares with its target. The time left (shown once a case run has
// ended, when the run has more than one): the mean wall time of the case runs ended so far times
// the runs still to start, plus what that mean leaves of the current one (at least 0).
// Thread-safe. Finish() erases the line and stops the ticker; events after it are ignored.
// Formats plain data only.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "harness/progress_sink.h"

namespace gq {

// What one progress line shows.
struct ProgressView {
  CaseProgress c;
  CasePhase phase = CasePhase::kPrepare;
  SampleProgress sample;
  double elapsed_s = 0;  // of the current case run
  double left_s = -1;    // estimate of the run's time left; < 0 unknown
};

// The line's text, uncut and without control characters (exposed for tests).
std::string FormatProgressLine(const ProgressView& v);
std::string FormatProgressPlain(const ProgressView& v);
// "0:07", "12:34", "1:02:03".
std::string FormatDuration(double seconds);

class ProgressPrinter : public ProgressSink {
 public:
  enum class Mode { kLine, kPlain };
  using Now = std::function<std::chrono::steady_clock::time_point()>;
  // `columns`: the terminal's width (kLine); `tick`: redraw period of the ticker thread (kLine;
  // 0 = no thread, for tests); `now`: the clock.
  ProgressPrinter(std::ostream& out, Mode mode, int columns, double tick_s = 0.25,
                  Now now = std::chrono::steady_clock::now);
  ~ProgressPrinter() override;
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  void OnRunStart(int case_runs) override;
  void OnCaseStart(const CaseProgress& c) override;
  void OnPhase(CasePhase phase) override;
  void OnSample(const SampleProgress& s) override;
  void OnCaseEnd(const CaseProgress& c, CaseStatus status, double wall_time_s) override;
  void Finish();

 private:
  ProgressView ViewLocked() const;
  void DrawLocked();
  void EraseLocked();

  std::ostream& out_;
  const Mode mode_;
  const int columns_;
  const Now now_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool active_ = false;    // a case is running (a line may be shown)
  bool drawn_ = false;     // a line is on the terminal
  bool finished_ = false;
  ProgressView view_;
  std::chrono::steady_clock::time_point case_start_{};
  int ended_ = 0;          // case runs ended
  double ended_s_ = 0;     // their wall time
  std::thread ticker_;
};

}  // namespace gq
