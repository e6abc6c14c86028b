#include "harness/record/work_json.h"

namespace gq {

using json = nlohmann::ordered_json;

json WorkToJson(const Work& w) {
  json phases = json::array();
  for (const WorkPhase& p : w.phases) {
    phases.push_back(
        {{"name", p.name}, {"flops", p.flops}, {"bytes", p.bytes}, {"repeats", p.repeats}});
  }
  return {{"flops", w.flops},
          {"bytes", w.bytes},
          {"tokens", w.tokens},
          {"busbw_factor", w.busbw_factor},
          {"compute_dtype", w.compute_dtype},
          {"prefill_tokens", w.prefill_tokens},
          {"gpus", w.gpus},
          {"nodes", w.nodes},
          {"bandwidth_domain", w.bandwidth_domain},
          {"phases", phases}};
}

Work WorkFromJson(const JsonFields& work) {
  Work w;
  w.flops = work.FiniteNum("flops");
  w.bytes = work.FiniteNum("bytes");
  w.tokens = work.FiniteNum("tokens");
  w.busbw_factor = work.NumOr("busbw_factor", 0);
  w.compute_dtype = work.StrOr("compute_dtype", "");
  w.prefill_tokens = work.NumOr("prefill_tokens", 0);
  w.gpus = work.NumOr("gpus", 0);
  w.bandwidth_domain = work.StrOr("bandwidth_domain", "");
  w.nodes = work.Has("nodes") ? static_cast<int>(work.IntIn("nodes", 0, 1 << 20)) : 0;
  if (work.Has("phases")) {
    JsonFields phases = work.Arr("phases");
    for (std::size_t i = 0; i < phases.value().size(); ++i) {
      JsonFields p = phases.At(i);
      w.phases.push_back({p.Str("name"), p.FiniteNum("flops"), p.FiniteNum("bytes"), p.NumOr("repeats", 1)});
    }
  }
  return w;
}

}  // namespace gq
