#include "harness/decide/procurement_scenario.h"

#include <cctype>

#include "harness/errors.h"
#include "harness/numbers.h"

namespace gq {
namespace {

std::string ParamOf(const CaseResult& c, const std::string& name) {
  for (const auto& [k, v] : c.params) {
    if (k == name) return v;
  }
  return "";
}

std::string Title(std::string model) {
  // "llama-3-8b" -> "Llama-3-8B": capitalise the first letter and the size suffix.
  if (!model.empty()) model[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(model[0])));
  if (model.size() > 1 && model.back() == 'b' && std::isdigit(static_cast<unsigned char>(model[model.size() - 2]))) {
    model.back() = 'B';
  }
  return model;
}

}  // namespace

std::string ProcurementScenario::Describe() const {
  return Title(model) + " " + scenario + ", batch " + std::to_string(batch) + ", " + std::to_string(input_len) +
         " in / " + std::to_string(output_len) + " out, tp " + std::to_string(tp);
}

bool ProcurementScenario::Matches(const CaseResult& c) const {
  // The preset's own shape: a case that overrides any of it is another model.
  for (const char* shape : {"layers", "hidden", "heads", "kv_heads", "ffn", "vocab"}) {
    const std::string v = ParamOf(c, shape);
    if (!v.empty() && v != "0") return false;
  }
  return c.workload == "e2e" && ParamOf(c, "model") == model && ParamOf(c, "scenario") == scenario &&
         ParamOf(c, "batch") == std::to_string(batch) && ParamOf(c, "input_len") == std::to_string(input_len) &&
         ParamOf(c, "output_len") == std::to_string(output_len) && ParamOf(c, "tp") == std::to_string(tp);
}

ProcurementScenario ParseProcurementScenario(const std::string& text) {
  ProcurementScenario s;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) throw UsageError("--scenario '" + text + "': '" + item + "' is not KEY=VALUE");
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    const std::string what = "--scenario " + key;
    auto integer = [&](int64_t hi) { return static_cast<int>(CheckInteger(what, ParseNumber(what, value, {1, double(hi)}), 1, hi)); };
    if (key == "model") s.model = value;
    else if (key == "scenario") s.scenario = value;
    else if (key == "batch") s.batch = integer(1 << 20);
    else if (key == "input_len") s.input_len = integer(1 << 24);
    else if (key == "output_len") s.output_len = integer(1 << 24);
    else if (key == "tp") s.tp = integer(4096);
    else throw UsageError("--scenario: unknown key '" + key + "' (model, scenario, batch, input_len, output_len, tp)");
    if (value.empty()) throw UsageError(what + ": empty value");
  }
  if (s.scenario != "offline" && s.scenario != "prefill" && s.scenario != "decode") {
    throw UsageError("--scenario scenario: '" + s.scenario + "' is not offline, prefill or decode");
  }
  return s;
}

}  // namespace gq
