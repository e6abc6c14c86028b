#include "harness/decide/qualify_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/json_fields.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {
namespace {

// "a, b, c".
template <typename Names>
std::string Joined(const Names& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Fails on the first key of the object that is not in `allowed`.
void OnlyKeys(const JsonFields& f, const std::vector<std::string>& allowed) {
  for (const auto& [key, _] : f.value().items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      f.Fail(key, "unknown key (allowed: " + Joined(allowed) + ")");
    }
  }
}

QualifyThreshold SpecThreshold(const JsonFields& f) {
  OnlyKeys(f, {"warn_below", "fail_below"});
  return QualifyThresholdFromJson(f);
}

}  // namespace

QualifySpec ParseQualifySpec(const nlohmann::ordered_json& j, const std::string& origin,
                             const std::vector<std::string>& known_workloads) {
  JsonFields root(j, origin, "");
  if (!j.is_object()) root.Fail("", "is not a JSON object");
  const std::string schema = root.Str("schema");
  if (schema != kQualifySpecSchema) {
    root.Fail("schema", "'" + schema + "' is not " + kQualifySpecSchema);
  }
  OnlyKeys(root, {"schema", "default", "workloads"});
  QualifySpec spec;
  if (root.Has("default")) spec.default_threshold = SpecThreshold(root.Obj("default"));
  if (root.Has("workloads")) {
    JsonFields workloads = root.Obj("workloads");
    for (const std::string& name : workloads.Keys()) {
      const bool known =
          known_workloads.empty() ||
          std::find(known_workloads.begin(), known_workloads.end(), name) != known_workloads.end();
      if (!known) {
        workloads.Fail(name, "unknown workload (known: " + Joined(known_workloads) + ")");
      }
      spec.workload_thresholds[name] = SpecThreshold(workloads.Obj(name));
    }
  }
  return spec;
}

QualifySpec ReadQualifySpecFile(const std::string& path,
                                const std::vector<std::string>& known_workloads) {
  return ParseQualifySpec(ReadJsonFile(path), path, known_workloads);
}

QualifyOptions MergeQualifyOptions(const QualifyFlags& flags, const QualifySpec& spec) {
  QualifyOptions options;
  options.instance_type = flags.instance_type;
  if (flags.price_per_hour_usd) {
    const double price = *flags.price_per_hour_usd;
    if (!(std::isfinite(price) && price > 0)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", price);
      throw UsageError(std::string("--price-per-hour must be a finite number > 0, not ") + buf);
    }
    options.price_per_hour_usd = price;
  }
  options.default_threshold = spec.default_threshold;
  options.thresholds = spec.workload_thresholds;
  return options;
}

}  // namespace gq
