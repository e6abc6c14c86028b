#include "app/plan_listing.h"

#include <algorithm>
#include <string>

#include "harness/measure/rank_sync.h"
#include "harness/number_text.h"
#include "harness/record/progress_printer.h"

namespace gq {

namespace {

// cases x rounds x (warm-up + max-time), in seconds.
double PlanSamplingBoundS(std::size_t cases, const MeasureOptions& measure) {
  return static_cast<double>(cases) * std::max(1, measure.repetitions) *
         (measure.warmup_time_s + measure.max_time_s);
}

}  // namespace

void PrintPlanListing(const std::vector<RunTarget>& targets, const MeasureOptions& measure, int ranks,
                      std::ostream& out, std::ostream& summary) {
  std::size_t cases = 0, width = 0;
  std::string names;
  for (const RunTarget& t : targets) {
    const std::string name = CaseDeviceLabel(t.device, ranks);
    width = std::max(width, name.size());
    names += (names.empty() ? "" : ", ") + name;
  }
  for (const RunTarget& t : targets) {
    const std::string name = CaseDeviceLabel(t.device, ranks);
    for (const PlannedCase* c : t.cases) {
      out << name << std::string(width - name.size() + 2, ' ') << c->spec.Id() << "\n";
      ++cases;
    }
  }
  out.flush();
  const int rounds = std::max(1, measure.repetitions);
  summary << cases << " case(s) on " << names << " x " << rounds << " round(s): sampling takes about "
          << FormatDuration(PlanSamplingBoundS(cases, measure)) << " at most (" << cases << " x " << rounds
          << " x (warm-up " << NumberText("%g", measure.warmup_time_s) << " s + max-time "
          << NumberText("%g", measure.max_time_s)
          << " s), each limit overrun by at most one batch); preparation and verification come on top\n";
}

}  // namespace gq
