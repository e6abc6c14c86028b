#include "harness/decide/compare_format.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "harness/number_text.h"

namespace gq {
namespace {

std::string Figure(double v, const std::string& unit) {
  return NumberText(v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : "%.4g", v) + " " + unit;
}

std::string Change(const CompareRow& r) { return r.compared() ? NumberText("%+.1f%%", 100 * r.change) : "-"; }

// The CI of the change, or "-" without a between-run spread.
std::string Interval(const CompareRow& r) {
  if (!r.compared() || r.p_value < 0) return "-";
  return NumberText("%+.1f%%", 100 * r.change_low) + " .. " + NumberText("%+.1f%%", 100 * r.change_high);
}

std::string Noise(double cv) { return cv < 0 ? "-" : NumberText("%.1f%%", 100 * cv); }
std::string NoisePair(const CompareRow& r) { return r.compared() ? Noise(r.noise_baseline) + " / " + Noise(r.noise_candidate) : "-"; }
std::string RunsPair(const CompareRow& r) {
  return r.compared() ? std::to_string(r.runs_baseline) + " / " + std::to_string(r.runs_candidate) : "-";
}

std::string Geomean(const CompareReport& r) {
  return r.geomean_change ? NumberText("%+.2f%%", 100 * *r.geomean_change) : std::string("n/a (no case compared)");
}

bool Failure(const CompareReport& report, const CompareRow& r) {
  return r.verdict == Verdict::kRegressed || r.verdict == Verdict::kFailed ||
         (r.verdict == Verdict::kMissing && !report.allow_missing) ||
         (r.verdict == Verdict::kInconclusive && report.fail_on_inconclusive);
}

std::string Xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// `text` broken at spaces into lines of at most `width` characters (a longer word stands alone).
std::string Wrapped(const std::string& text, std::size_t width) {
  std::string out, line, word;
  std::istringstream words(text);
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

std::string Counts(const CompareReport& r) {
  std::string out;
  for (Verdict v : {Verdict::kRegressed, Verdict::kFailed, Verdict::kMissing, Verdict::kInconclusive,
                    Verdict::kImproved, Verdict::kNew, Verdict::kUnchanged}) {
    auto it = r.counts.find(v);
    if (it != r.counts.end()) out += (out.empty() ? "" : ", ") + std::to_string(it->second) + " " + VerdictName(v);
  }
  return out.empty() ? "no cases" : out;
}

}  // namespace

void PrintCompareTable(std::ostream& out, const CompareReport& report) {
  std::size_t w = 4;
  for (const CompareRow& r : report.rows) w = std::max(w, r.id.size());
  if (!report.candidate.empty()) {
    out << "candidate " << report.candidate << " against baseline " << report.baseline << "\n";
  }
  out << Wrapped(kSignConvention, 100) << "\n\n";
  char line[640];
  std::snprintf(line, sizeof line, "%-12s %-7s %-*s %16s %16s %8s %18s %15s %9s\n", "verdict", "device",
                static_cast<int>(w), "case", "baseline", "candidate", "change", "change CI", "noise b / c",
                "reps b/c");
  out << line;
  for (const CompareRow& r : report.rows) {
    std::snprintf(line, sizeof line, "%-12s %-7s %-*s %16s %16s %8s %18s %15s %9s\n", VerdictName(r.verdict),
                  r.device.empty() ? "-" : r.device.c_str(), static_cast<int>(w), r.id.c_str(),
                  r.compared() ? Figure(r.baseline_figure, r.unit).c_str() : "-",
                  r.compared() ? Figure(r.candidate_figure, r.unit).c_str() : "-", Change(r).c_str(),
                  Interval(r).c_str(), NoisePair(r).c_str(), RunsPair(r).c_str());
    out << line;
    // An unchanged row's reason is shown too when no spread was known (one run on a side).
    if (r.verdict != Verdict::kUnchanged || r.p_value < 0) out << "             -> " << r.reason << "\n";
  }
  out << "\n" << Counts(report) << "; geometric-mean change " << Geomean(report) << "\n";
  for (const std::string& note : report.Notes()) out << "note: " << note << "\n";
}

std::string CompareHeadline(const CompareReport& report) {
  if (report.ExitCode() != 0) {  // what failed the gate, in ExitCode's order
    std::string why;
    auto add = [&](Verdict v, const std::string& note = "") {
      if (report.Count(v) > 0) why += (why.empty() ? "" : ", ") + std::to_string(report.Count(v)) + " " + VerdictName(v) + note;
    };
    add(Verdict::kRegressed);
    add(Verdict::kFailed);
    if (!report.allow_missing) add(Verdict::kMissing);
    if (report.fail_on_inconclusive) add(Verdict::kInconclusive, " (--fail-on-inconclusive)");
    return "FAIL (" + why + ")";
  }
  const int judged =
      report.Count(Verdict::kRegressed) + report.Count(Verdict::kImproved) + report.Count(Verdict::kUnchanged);
  if (judged > 0 || report.rows.empty()) return "PASS";
  return "NO DECISION (" + Counts(report) +
         ": no case was decided either way; exit 0, --fail-on-inconclusive fails on it)";
}

std::string CompareMarkdown(const CompareReport& report) {
  std::ostringstream md;
  md << "## gpuqual compare: " << CompareHeadline(report) << "\n\n";
  md << "Candidate `" << report.candidate << "` against baseline `" << report.baseline << "`: " << Counts(report)
     << "; geometric-mean change " << Geomean(report) << ".\n\n";
  for (const std::string& note : report.Notes()) md << "**Note:** " << note << ".\n\n";
  md << "_" << kSignConvention << "_\n\n";
  md << "| verdict | case | device | baseline | candidate | change | change CI | noise b / c | reps b / c | note |\n";
  md << "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |\n";
  for (const CompareRow& r : report.rows) {
    md << "| " << (Failure(report, r) ? "**" + std::string(VerdictName(r.verdict)) + "**" : std::string(VerdictName(r.verdict)))
       << " | `" << Cell(r.id) << "` | " << (r.device.empty() ? "-" : r.device) << " | "
       << (r.compared() ? Figure(r.baseline_figure, r.unit) : "-") << " | "
       << (r.compared() ? Figure(r.candidate_figure, r.unit) : "-") << " | " << Change(r) << " | " << Interval(r)
       << " | " << NoisePair(r) << " | " << RunsPair(r) << " | " << Cell(r.reason) << " |\n";
  }
  return md.str();
}

std::string CompareJunit(const CompareReport& report) {
  auto skip = [&](const CompareRow& r) {
    return !Failure(report, r) && (r.verdict == Verdict::kNew || r.verdict == Verdict::kMissing ||
                                   r.verdict == Verdict::kInconclusive);
  };
  int failures = 0, skipped = 0;
  for (const CompareRow& r : report.rows) {
    failures += Failure(report, r);
    skipped += skip(r);
  }
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"gpuqual compare\" tests=\"" << report.rows.size() << "\" failures=\"" << failures << "\">\n";
  x << "  <testsuite name=\"" << Xml(report.baseline) << "\" tests=\"" << report.rows.size() << "\" failures=\""
    << failures << "\" skipped=\"" << skipped << "\">\n";
  for (const CompareRow& r : report.rows) {
    x << "    <testcase classname=\"gpuqual." << Xml(r.workload) << "\" name=\"" << Xml(r.id)
      << (r.device.empty() ? "" : " [" + Xml(r.device) + "]") << "\"";
    const bool failure = Failure(report, r);
    if (!failure && !skip(r)) {
      x << ">\n      <system-out>" << VerdictName(r.verdict) << ": " << Xml(r.reason) << "</system-out>\n    </testcase>\n";
    } else if (skip(r)) {
      x << ">\n      <skipped message=\"" << VerdictName(r.verdict) << ": " << Xml(r.reason) << "\"/>\n    </testcase>\n";
    } else {
      x << ">\n      <failure type=\"" << VerdictName(r.verdict) << "\" message=\"" << Xml(r.reason) << "\">"
        << VerdictName(r.verdict) << ": " << Xml(r.id) << ": " << Xml(r.reason) << "</failure>\n    </testcase>\n";
    }
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

nlohmann::ordered_json CompareJson(const CompareReport& report) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const CompareRow& r : report.rows) {
    nlohmann::ordered_json row = {{"id", r.id}, {"workload", r.workload}, {"device", r.device},
                                  {"metric", r.metric}, {"unit", r.unit}, {"verdict", VerdictName(r.verdict)},
                                  {"reason", r.reason}, {"tolerance", r.tolerance}};
    if (r.compared()) {
      using J = nlohmann::ordered_json;
      const bool spread = r.p_value >= 0;
      row["baseline_figure"] = r.baseline_figure;
      row["candidate_figure"] = r.candidate_figure;
      row["ratio"] = r.ratio;
      row["change"] = r.change;
      row["change_ci"] = spread ? J{r.change_low, r.change_high} : J(nullptr);
      row["p_value"] = spread ? J(r.p_value) : J(nullptr);
      row["replicates"] = {{"baseline", r.runs_baseline}, {"candidate", r.runs_candidate}};
      row["noise"] = {{"baseline", r.noise_baseline < 0 ? J(nullptr) : J(r.noise_baseline)},
                      {"candidate", r.noise_candidate < 0 ? J(nullptr) : J(r.noise_candidate)}};
    }
    rows.push_back(row);
  }
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [v, n] : report.counts) counts[VerdictName(v)] = n;
  return {{"schema", "gpuqual.compare/2"},
          {"candidate", report.candidate},
          {"baseline", report.baseline},
          {"sign", kSignConvention},
          {"passed", report.ExitCode() == 0},
          {"geomean_change", report.geomean_change ? nlohmann::ordered_json(*report.geomean_change)
                                                   : nlohmann::ordered_json(nullptr)},
          {"counts", counts},
          {"sku_note", report.sku_note.empty() ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(report.sku_note)},
          {"machine_note", report.machine_note.empty() ? nlohmann::ordered_json(nullptr)
                                                       : nlohmann::ordered_json(report.machine_note)},
          {"rows", rows}};
}

}  // namespace gq
