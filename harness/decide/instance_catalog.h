#pragma once
// The instance catalog (baselines/instances.json, schema gpuqual.instances/1): hardware facts of
// cloud GPU instance types that `qualify` checks a machine against. No prices.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gq {

struct InstanceEntry {
  std::string provider, instance_type, gpu_sku;
  int gpu_count = 0;
  std::string gpu_interconnect, network, source;
};

struct InstanceCatalog {
  std::string origin;
  std::vector<InstanceEntry> instances;
  // Case-insensitive match on the instance type; nullptr when absent.
  const InstanceEntry* Find(const std::string& instance_type) const;
};

// Throws UsageError naming the file on malformed JSON, another schema, missing keys, a
// non-positive GPU count or an instance type listed twice.
InstanceCatalog ReadInstanceCatalog(const std::string& path);
// The same from a parsed document; `origin` names it in error messages.
InstanceCatalog InstanceCatalogFromJson(const nlohmann::ordered_json& j, const std::string& origin);

// Where the shipped catalog and baselines live: $GQ_BASELINES_DIR, then next to the executable's
// build or install tree, then the source tree's baselines/ (first existing directory wins).
std::string BaselinesDir();

}  // namespace gq
