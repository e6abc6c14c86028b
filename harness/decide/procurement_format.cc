#include "harness/decide/procurement_format.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "harness/number_text.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

json FigureJson(const Figure& f) { return {{"value", f.value}, {"low", f.low}, {"high", f.high}}; }

template <typename T>
json Optional(const std::optional<T>& v) {
  if (!v) return nullptr;
  if constexpr (std::is_same_v<T, Figure>) {
    return FigureJson(*v);
  } else {
    return *v;
  }
}

// "value [low, high]"; the value alone when no spread is known (one value per case: the interval
// would claim a certainty the data does not have).
std::string Cell(const std::optional<Figure>& f, const char* format) {
  if (!f) return "-";
  if (f->low == f->high) return NumberText(format, f->value) + " (no spread)";
  return NumberText(format, f->value) + " [" + NumberText(format, f->low) + ", " + NumberText(format, f->high) + "]";
}

// Why a cost column shows "-": one line per column and reason, naming the machines unless all
// share it. $/Mtok left out for want of a price says nothing the $/h line does not.
void PrintMissingCosts(std::ostream& out, const ProcurementReport& r) {
  std::vector<std::pair<std::string, std::vector<std::string>>> lines;  // "column: why", machines
  auto add = [&](const std::string& key, const std::string& machine) {
    auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.first == key; });
    if (it == lines.end()) it = lines.insert(lines.end(), {key, {}});
    it->second.push_back(machine);
  };
  for (const MachineFigures& m : r.machines) {
    if (!m.usd_per_hour && !m.no_price.empty()) add("$/h -: " + m.no_price, m.machine);
    if (!m.usd_per_mtok && !m.usd_per_mtok_note.empty() && m.usd_per_mtok_note != m.no_price) {
      add("$/Mtok -: " + m.usd_per_mtok_note, m.machine);
    }
  }
  for (const auto& [why, machines] : lines) {
    std::string who;
    for (const std::string& m : machines) who += (who.empty() ? "" : ", ") + m;
    out << why << (machines.size() == r.machines.size() && machines.size() > 1 ? " (every machine)" : " (" + who + ")")
        << "\n";
  }
}

}  // namespace

void PrintProcurement(std::ostream& out, const ProcurementReport& r) {
  out << "Ranked by " << ObjectiveName(r.objective) << "; scores against " << r.reference << " over "
      << r.common_cases.size() << " common case(s), 95% intervals in brackets; $/Mtok: " << r.scenario.Describe()
      << "\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-5s %-28s %-11s %5s %4s %27s %27s %10s %10s\n", "rank", "machine", "verdict", "runs",
                "GPUs", "score", "perf per $/h", "TFLOP/s/$h", "$/Mtok");
  out << line;
  auto row = [&](const std::string& rank, const MachineFigures& m) {
    std::snprintf(line, sizeof line, "%-5s %-28s %-11s %5d %4d %27s %27s %10s %10s\n", rank.c_str(), m.machine.c_str(),
                  m.verdict.empty() ? "-" : m.verdict.c_str(), m.runs, m.gpus, Cell(m.score, "%.3f").c_str(),
                  Cell(m.perf_per_usd_hour, "%.4g").c_str(),
                  m.tflops_per_usd_hour ? NumberText("%.3g", *m.tflops_per_usd_hour).c_str() : "-",
                  m.usd_per_mtok ? NumberText("%.3f", *m.usd_per_mtok).c_str() : "-");
    out << line;
  };
  for (const RankEntry& e : r.ranking) {
    row(std::to_string(e.rank) + (e.tie.empty() ? "" : "="), *r.Find(e.machine));
    if (!e.tie.empty()) out << "      -> " << e.tie << "\n";
  }
  for (const std::string& why : r.set_apart) {
    const std::string machine = why.substr(0, why.find(": "));
    row("-", *r.Find(machine));
    out << "      -> set apart: " << why.substr(why.find(": ") + 2) << "\n";
  }
  // One line per reason: "case: why" entries that share their why.
  std::vector<std::pair<std::string, std::vector<std::string>>> reasons;
  for (const std::string& entry : r.not_comparable) {
    const std::size_t colon = entry.find(": ");
    const std::string id = entry.substr(0, colon), why = colon == std::string::npos ? "" : entry.substr(colon + 2);
    auto it = std::find_if(reasons.begin(), reasons.end(), [&](const auto& p) { return p.first == why; });
    if (it == reasons.end()) it = reasons.insert(reasons.end(), {why, {}});
    it->second.push_back(id);
  }
  for (const auto& [why, ids] : reasons) {
    out << "left out of the scores, " << ids.size() << " case(s) (" << ids.front()
        << (ids.size() > 1 ? ", ..." : "") << "): " << why << "\n";
  }
  PrintMissingCosts(out, r);
  out << "\n" << r.recommendation << "\n";
}

json ProcurementJson(const ProcurementReport& r) {
  json machines = json::array();
  for (const MachineFigures& m : r.machines) {
    json ws = json::object();
    for (const auto& [w, f] : m.workload_scores) ws[w] = FigureJson(f);
    machines.push_back({{"machine", m.machine}, {"provider", m.provider}, {"instance_type", m.instance_type},
                        {"region", m.region}, {"sku", m.sku}, {"interconnect", m.interconnect},
                        {"network", m.network}, {"runs", m.runs}, {"gpus", m.gpus},
                        {"usd_per_hour", Optional(m.usd_per_hour)}, {"verdict", m.verdict},
                        {"verdict_reasons", m.verdict_reasons}, {"score", Optional(m.score)}, {"workload_scores", ws},
                        {"perf_per_usd_hour", Optional(m.perf_per_usd_hour)},
                        {"tflops_per_usd_hour", Optional(m.tflops_per_usd_hour)},
                        {"usd_per_mtok", Optional(m.usd_per_mtok)}, {"usd_per_mtok_note", m.usd_per_mtok_note},
                        {"run_spread", m.run_spread < 0 ? json(nullptr) : json(m.run_spread)}});
  }
  json ranking = json::array();
  for (const RankEntry& e : r.ranking) {
    ranking.push_back({{"rank", e.rank}, {"machine", e.machine}, {"objective", {{"value", e.objective}, {"low", e.low}, {"high", e.high}}},
                       {"tie", e.tie}});
  }
  return {{"schema", kProcurementSchema},
          {"objective", ObjectiveName(r.objective)},
          {"scenario", {{"description", r.scenario.Describe()}, {"model", r.scenario.model}, {"scenario", r.scenario.scenario},
                        {"batch", r.scenario.batch}, {"input_len", r.scenario.input_len},
                        {"output_len", r.scenario.output_len}, {"tp", r.scenario.tp}}},
          {"reference", r.reference},
          {"common_cases", r.common_cases},
          {"not_comparable", r.not_comparable},
          {"machines", machines},
          {"ranking", ranking},
          {"set_apart", r.set_apart},
          {"recommendation", r.recommendation}};
}

}  // namespace gq
