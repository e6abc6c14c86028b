#include "harness/record/console_reporter.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace gq {
namespace {

// `s` padded to `width`, and followed by at least one space so columns never run together.
std::string Pad(std::string s, std::size_t width) {
  s.append(s.size() < width ? width - s.size() : 1, ' ');
  return s;
}

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Three significant figures at most, never scientific for the magnitudes we report.
std::string Figure(double v) {
  if (!std::isfinite(v)) return "nan";
  double a = std::fabs(v);
  if (a >= 100) return Format("%.1f", v);
  if (a >= 1) return Format("%.2f", v);
  if (a >= 0.01) return Format("%.4f", v);
  return Format("%.3g", v);
}

}  // namespace

std::string FormatCaseRow(const CaseResult& r, std::size_t id_width) {
  std::string row = Pad(CaseStatusName(r.status), 8) + Pad(r.device, 8) + Pad(r.id, id_width + 2);
  const MetricResult* m = r.FindMetric(r.primary_metric);
  if (m != nullptr && m->n > 0) {
    double half = std::max(m->median - m->ci95_low, m->ci95_high - m->median);
    row += Pad(Figure(m->median) + " " + m->unit, 17);
    row += Pad(m->median != 0 ? Format("%.1f%%", 100 * half / std::fabs(m->median)) : "-", 7);
  } else {
    row += Pad("-", 17) + Pad("-", 7);
  }
  row += Pad(r.roofline ? Format("%.1f%%", 100 * r.roofline->efficiency) : "-", 7);
  row += r.verification ? Format("%.1e", r.verification->max_rel_err) + (r.verification->passed ? "" : " FAIL") : "-";
  return row;
}

ConsoleReporter::ConsoleReporter(std::ostream& out, std::size_t id_width)
    : out_(out), id_width_(std::max<std::size_t>(id_width, 4)) {}

void ConsoleReporter::PrintHeader() {
  out_ << Pad("status", 8) << Pad("device", 8) << Pad("case", id_width_ + 2) << Pad("median", 17)
       << Pad("+-95%", 7) << Pad("peak%", 7) << "verify\n";
  header_printed_ = true;
}

void ConsoleReporter::OnCaseDone(const CaseResult& result) {
  const bool more_rounds = result.rounds_done < result.rounds_planned && result.status != CaseStatus::kFailed &&
                           result.status != CaseStatus::kSkipped;
  if (more_rounds) return;
  if (!header_printed_) PrintHeader();
  out_ << FormatCaseRow(result, id_width_) << "\n";
  if (result.status != CaseStatus::kOk && !result.reason.empty()) out_ << "        -> " << result.reason << "\n";
  out_.flush();
}

void ConsoleReporter::PrintSummary(const ResultsDoc& doc, const std::string& results_path) {
  std::map<std::string, int> counts;
  for (const CaseResult& c : doc.cases) counts[CaseStatusName(c.status)]++;
  out_ << "\n" << doc.cases.size() << " case(s):";
  for (const auto& [status, n] : counts) out_ << " " << n << " " << status;
  if (doc.run.interrupted) out_ << " (run interrupted)";
  out_ << "\nresults: " << results_path << "\n";
  out_.flush();
}

}  // namespace gq
