#include "harness/decide/instance_catalog.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <set>

#include "harness/data_dirs.h"
#include "harness/json_fields.h"
#include "harness/record/file_io.h"

namespace gq {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

const InstanceEntry* InstanceCatalog::Find(const std::string& instance_type) const {
  for (const InstanceEntry& e : instances) {
    if (Lower(e.instance_type) == Lower(instance_type)) return &e;
  }
  return nullptr;
}

InstanceCatalog ReadInstanceCatalog(const std::string& path) { return InstanceCatalogFromJson(ReadJsonFile(path), path); }

InstanceCatalog InstanceCatalogFromJson(const nlohmann::ordered_json& j, const std::string& path) {
  JsonFields root(j, path, "");
  if (!j.is_object()) root.Fail("", "is not a JSON object");
  if (root.Str("schema") != "gpuqual.instances/1") {
    root.Fail("schema", "'" + root.Str("schema") + "' is not gpuqual.instances/1");
  }
  InstanceCatalog catalog;
  catalog.origin = path;
  JsonFields list = root.Arr("instances");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.value().size(); ++i) {
    JsonFields e = list.At(i);
    InstanceEntry entry{e.Str("provider"), e.Str("instance_type"), e.Str("gpu_sku"),
                        static_cast<int>(e.IntIn("gpu_count", 1, std::numeric_limits<int>::max())),
                        e.Str("gpu_interconnect"), e.Str("network"), e.Str("source")};
    if (!seen.insert(Lower(entry.instance_type)).second) e.Fail("instance_type", "'" + entry.instance_type + "' is listed twice");
    catalog.instances.push_back(entry);
  }
  return catalog;
}

std::string BaselinesDir() {
  for (const std::string& dir : DataDirCandidates("GQ_BASELINES_DIR", "baselines")) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return dir;
  }
  return "baselines";
}

}  // namespace gq
