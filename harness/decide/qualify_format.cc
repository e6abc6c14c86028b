#include "harness/decide/qualify_format.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "harness/number_text.h"

namespace gq {
namespace {

// `text` left-aligned in `width` columns, never cut (as printf's %-Ns).
std::string Padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

}  // namespace

void PrintQualifyVerdict(std::ostream& out, const QualifyVerdict& v) {
  std::size_t width = 5;
  for (const QualifyCheck& c : v.checks) width = std::max(width, c.name.size());
  for (const QualifyCheck& c : v.checks) {
    out << Padded(QualifyStatusName(c.status), 5) << " " << Padded(c.kind, 12) << " "
        << Padded(c.name, width) << " " << c.reason << "\n";
  }
  if (v.cost) {
    out << NumberText("cost: $%.2f/hour", v.cost->price_per_hour_usd);
    if (v.cost->tflops_per_usd_hour > 0) {
      out << NumberText(", %.3g TFLOP/s per $/hour (gemm geomean x GPUs)", v.cost->tflops_per_usd_hour);
    }
    if (v.cost->usd_per_mtok > 0) {
      // A prefill scenario ("... prefill, batch ...", ProcurementScenario::Describe) counts prompt tokens.
      const bool prompt = v.cost->scenario.find(" prefill, ") != std::string::npos;
      out << NumberText(", $%.3f per million ", v.cost->usd_per_mtok) << (prompt ? "prompt" : "output") << " tokens";
      if (!v.cost->usd_per_mtok_note.empty()) out << " (" << v.cost->usd_per_mtok_note << ")";
    } else if (!v.cost->usd_per_mtok_note.empty()) {
      out << "; no $/Mtok: " << v.cost->usd_per_mtok_note;
    }
    out << "\n";
  }
  out << "\nqualify: " << QualifyStatusName(v.overall)
      << " (baseline: " << (v.baseline.empty() ? "none" : v.baseline)
      << ", instance: " << (v.instance_type.empty() ? "unknown" : v.instance_type) << ")\n";
}

std::ostream& operator<<(std::ostream& out, QualifyStatus status) {
  return out << QualifyStatusName(status);
}

}  // namespace gq
