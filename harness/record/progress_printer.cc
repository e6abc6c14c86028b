#include "harness/record/progress_printer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace gq {
namespace {

std::string Prefix(const CaseProgress& c) {
  std::string p = "[" + std::to_string(c.index) + "/" + std::to_string(c.total);
  if (c.rounds > 1) p += " round " + std::to_string(c.round) + "/" + std::to_string(c.rounds);
  return p + "]";
}

std::string Percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", 100 * fraction);
  return text;
}

std::string PhaseText(const ProgressView& v) {
  switch (v.phase) {
    case CasePhase::kPrepare: return "preparing";
    case CasePhase::kWarmUp: return "warming up";
    case CasePhase::kVerify: return "verifying";
    case CasePhase::kSample: break;
  }
  const int64_t n = v.sample.samples;
  std::string text = "sampling: " + std::to_string(n) + (n == 1 ? " sample" : " samples");
  if (!std::isnan(v.sample.noise)) {
    text += ", median +-" + Percent(v.sample.noise) + " (target " + Percent(v.c.max_noise) + ")";
  }
  return text;
}

std::string Left(const ProgressView& v) {
  return v.left_s >= 0 && v.c.total > 1 ? "~" + FormatDuration(v.left_s) + " left" : "";
}

}  // namespace

std::string FormatDuration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  }
  return text;
}

std::string FormatProgressLine(const ProgressView& v) {
  std::string line = Prefix(v.c) + " " + FormatDuration(v.elapsed_s) + " " + PhaseText(v);
  if (const std::string left = Left(v); !left.empty()) line += ", " + left;
  return line + " | " + v.c.id + " on " + v.c.device;
}

std::string FormatProgressPlain(const ProgressView& v) {
  std::string line = Prefix(v.c) + " " + v.c.id + " on " + v.c.device;
  if (const std::string left = Left(v); !left.empty()) line += " (" + left + ")";
  return line;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, Mode mode, int columns, double tick_s, Now now)
    : out_(out), mode_(mode), columns_(std::max(columns, 20)), now_(std::move(now)) {
  if (mode_ == Mode::kLine && tick_s > 0) {
    ticker_ = std::thread([this, tick_s] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!finished_) {
        wake_.wait_for(lock, std::chrono::duration<double>(tick_s));
        if (!finished_ && active_) DrawLocked();
      }
    });
  }
}

ProgressPrinter::~ProgressPrinter() { Finish(); }

void ProgressPrinter::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!finished_) EraseLocked();
    finished_ = true;
    active_ = false;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void ProgressPrinter::OnRunStart(int /*case_runs*/) {}

void ProgressPrinter::OnCaseStart(const CaseProgress& c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  view_ = ProgressView{};
  view_.c = c;
  case_start_ = now_();
  active_ = true;
  if (mode_ == Mode::kPlain) {
    out_ << FormatProgressPlain(ViewLocked()) << "\n";
    out_.flush();
  } else {
    DrawLocked();
  }
}

void ProgressPrinter::OnPhase(CasePhase phase) {
  std::lock_guard<std::mutex> lock(mu_);
  view_.phase = phase;
  if (!finished_ && active_ && mode_ == Mode::kLine) DrawLocked();
}

void ProgressPrinter::OnSample(const SampleProgress& s) {
  std::lock_guard<std::mutex> lock(mu_);
  view_.sample = s;
  // Redrawn by the ticker: a sample may take a microsecond, and the terminal need not see each.
}

void ProgressPrinter::OnCaseEnd(const CaseProgress& c, CaseStatus /*status*/, double wall_time_s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  view_.c.total = c.total;
  ++ended_;
  ended_s_ += wall_time_s;
  active_ = false;
  EraseLocked();
}

ProgressView ProgressPrinter::ViewLocked() const {
  ProgressView v = view_;
  v.elapsed_s = std::chrono::duration<double>(now_() - case_start_).count();
  if (ended_ > 0) {
    const double mean = ended_s_ / ended_;
    v.left_s = mean * (v.c.total - v.c.index) + std::max(0.0, mean - v.elapsed_s);
  }
  return v;
}

void ProgressPrinter::DrawLocked() {
  std::string line = FormatProgressLine(ViewLocked());
  if (static_cast<int>(line.size()) > columns_ - 1) line.resize(columns_ - 1);  // no wrap
  out_ << "\r" << line << "\033[K";
  out_.flush();
  drawn_ = true;
}

void ProgressPrinter::EraseLocked() {
  if (!drawn_) return;
  out_ << "\r\033[K";
  out_.flush();
  drawn_ = false;
}

}  // namespace gq
