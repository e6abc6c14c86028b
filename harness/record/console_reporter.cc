#include "harness/record/console_reporter.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "harness/case_figure.h"
#include "harness/number_text.h"

namespace gq {
namespace {

// A distribution-free 95% interval of a median needs 6 values (harness/stats.h).
constexpr std::size_t kStatusWidth = 8, kDeviceWidth = 8, kMedianWidth = 18, kSpreadWidth = 11,
                      kPeakWidth = 10;

// `s` padded to `width`, and followed by at least one space so columns never run together.
std::string Pad(std::string s, std::size_t width) {
  s.append(s.size() < width ? width - s.size() : 1, ' ');
  return s;
}

// Three significant figures at most, never scientific for the magnitudes we report.
std::string Figure(double v) {
  if (!std::isfinite(v)) return "nan";
  double a = std::fabs(v);
  if (a >= 100) return NumberText("%.1f", v);
  if (a >= 1) return NumberText("%.2f", v);
  if (a >= 0.01) return NumberText("%.4f", v);
  return NumberText("%.3g", v);
}

}  // namespace

std::string FormatTableHeader(std::size_t id_width) {
  return Pad("status", kStatusWidth) + Pad("device", kDeviceWidth) + Pad("case", id_width + 2) +
         Pad("median (unit)", kMedianWidth) + Pad("+-95% (%)", kSpreadWidth) + Pad("peak (%)", kPeakWidth) +
         "verify (max rel err)";
}

std::string FormatCaseRow(const CaseResult& r, std::size_t id_width) {
  std::string row = Pad(CaseStatusName(r.status), kStatusWidth) + Pad(r.device, kDeviceWidth) + Pad(r.id, id_width + 2);
  const std::string metric = FigureMetric(r);
  const MetricResult* m = r.FindMetric(metric);
  const bool measured = m != nullptr && m->n > 0;
  if (measured) {
    std::string figure = Figure(m->median) + " " + m->unit;
    if (metric != r.primary_metric) figure += " " + metric;  // e.g. "GB/s algbw" for one rank
    row += Pad(figure, kMedianWidth);
    const double spread = RelativeSpread(r);
    const char* few = SpreadValues(r) < kFewestForAnInterval ? "*" : "";  // from [min, max], not a 95% CI
    row += Pad(std::isfinite(spread) ? NumberText("%.2f", 100 * spread) + few : "-", kSpreadWidth);
  } else {
    row += Pad("-", kMedianWidth) + Pad("-", kSpreadWidth);
  }
  // The roofline is of the primary metric: not shown beside another figure.
  const bool peak = measured && r.roofline && metric == r.primary_metric;
  row += Pad(peak ? NumberText("%.1f", 100 * r.roofline->efficiency) : "-", kPeakWidth);
  if (!r.verification) {
    row += "-";
  } else if (r.verification->tolerance == 0 && r.verification->max_rel_err == 0) {
    row += r.verification->passed ? "exact" : "exact FAIL";  // a bitwise check (copies, sums of integers)
  } else {
    row += NumberText("%.1e", r.verification->max_rel_err) + (r.verification->passed ? "" : " FAIL");
  }
  return row;
}

ConsoleReporter::ConsoleReporter(std::ostream& out, std::size_t id_width)
    : out_(out), id_width_(std::max<std::size_t>(id_width, 4)) {}

void ConsoleReporter::PrintHeader() {
  out_ << FormatTableHeader(id_width_) << "\n";
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
  if (header_printed_) {
    out_ << "\n+-95%: half-width of the median's 95% confidence interval, in % of the median: over the\n"
            "       samples, or over the rounds' medians (the spread between rounds) with --repetitions;\n"
            "       * fewer than 6 values: the farther of min and max from the median (no 95% interval of a\n"
            "         median exists for so few).\n"
            "peak:  the median in % of the roofline's attainable rate (-: no peak known for the device,\n"
            "       as on the cpu); verify: the largest relative error against the reference (exact: a\n"
            "       check with no tolerance, passed). Collectives on one rank show algbw, as compare judges them.\n";
  }
  std::map<std::string, int> counts;
  for (const CaseResult& c : doc.cases) counts[CaseStatusName(c.status)]++;
  out_ << "\n" << doc.cases.size() << " case(s):";
  for (const auto& [status, n] : counts) out_ << " " << n << " " << status;
  if (doc.run.interrupted) out_ << " (run interrupted)";
  out_ << "\nresults: " << results_path << "\n";
  out_.flush();
}

}  // namespace gq
