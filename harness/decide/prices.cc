#include "harness/decide/prices.h"

#include <limits>

#include "harness/json_fields.h"
#include "harness/record/file_io.h"

namespace gq {

const InstancePrice* PriceList::Match(const ResultsDoc& run) const {
  const std::string type = InstanceTypeOf(run);
  if (type.empty()) return nullptr;
  // Best first: provider and region both the run's, then the provider, then any entry of the type.
  const InstancePrice* best = nullptr;
  int best_score = -1;
  for (const InstancePrice& p : prices) {
    if (p.instance_type != type) continue;
    const bool provider = !p.provider.empty() && p.provider == run.system.cloud.provider;
    const bool region = provider && !p.region.empty() && p.region == run.system.cloud.region;
    const int score = provider + region;
    if (score > best_score) {
      best = &p;
      best_score = score;
    }
  }
  return best;
}

PriceList ReadPriceList(const std::string& path) { return PriceListFromJson(ReadJsonFile(path), path); }

PriceList PriceListFromJson(const nlohmann::ordered_json& j, const std::string& origin) {
  JsonFields root(j, origin, "");
  if (!j.is_object()) root.Fail("", "is not a JSON object");
  if (root.Str("schema") != kPricesSchema) root.Fail("schema", "'" + root.Str("schema") + "' is not " + kPricesSchema);
  PriceList out;
  out.origin = origin;
  JsonFields list = root.Arr("prices");
  for (std::size_t i = 0; i < list.value().size(); ++i) {
    JsonFields e = list.At(i);
    InstancePrice p;
    p.instance_type = e.Str("instance_type");
    if (p.instance_type.empty()) e.Fail("instance_type", "must not be empty");
    p.usd_per_hour = e.NumIn("usd_per_hour", {0, 1e6, true});
    p.provider = e.StrOr("provider", "");
    p.region = e.StrOr("region", "");
    p.note = e.StrOr("note", "");
    p.gpus = e.Has("gpus") ? static_cast<int>(e.IntIn("gpus", 0, 4096)) : 0;
    for (std::size_t k = 0; k < out.prices.size(); ++k) {  // two prices for one offer: which is meant?
      const InstancePrice& q = out.prices[k];
      if (q.instance_type == p.instance_type && q.provider == p.provider && q.region == p.region) {
        e.Fail("instance_type", "'" + p.instance_type + "'" + (p.provider.empty() ? "" : " of provider '" + p.provider + "'") +
                                    (p.region.empty() ? "" : " in region '" + p.region + "'") +
                                    " is priced twice (also prices[" + std::to_string(k) + "])");
      }
    }
    out.prices.push_back(std::move(p));
  }
  return out;
}

}  // namespace gq
