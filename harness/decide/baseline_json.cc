// JSON form of gpuqual.baseline/1 (see baseline.h), its files, and the stored baseline of a run:
//   {"schema", "name", "sku", "created_at", "tool": {version, git},
//    "qualify": {"default": {"warn_below", "fail_below"}, "workloads": {NAME: {...}}},
//    "sources": [{file, run_id, started_at, hostname, provider, instance_type, tool_version,
//                 tool_git, devices[]}],
//    "cases": [{id, workload, params, primary_metric, metrics{}, samples_s[], work{}, sources}]}
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "harness/decide/baseline.h"
#include "harness/case_id.h"
#include "harness/errors.h"
#include "harness/json_fields.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"
#include "harness/record/results_json_parts.h"

namespace gq {
namespace {

using json = nlohmann::ordered_json;

json ThresholdToJson(const QualifyThreshold& t) { return {{"warn_below", t.warn_below}, {"fail_below", t.fail_below}}; }

}  // namespace

QualifyThreshold QualifyThresholdFromJson(const JsonFields& f) {
  QualifyThreshold t{f.Num("warn_below"), f.Num("fail_below")};
  if (!(t.fail_below > 0 && t.fail_below <= t.warn_below && t.warn_below <= 1.5)) {
    f.Fail("", "needs 0 < fail_below <= warn_below <= 1.5");
  }
  return t;
}

void WriteBaselineFile(const std::string& path, const Baseline& b) {
  json workloads = json::object();
  for (const auto& [w, t] : b.workload_thresholds) workloads[w] = ThresholdToJson(t);
  json sources = json::array();
  for (const BaselineSource& s : b.sources) {
    sources.push_back({{"file", s.file}, {"run_id", s.run_id}, {"started_at", s.started_at},
                       {"hostname", s.hostname}, {"provider", s.provider}, {"instance_type", s.instance_type},
                       {"tool_version", s.tool_version}, {"tool_git", s.tool_git}, {"devices", s.devices}});
  }
  json cases = json::array();
  for (const BaselineCase& c : b.cases) {
    json metrics = json::object();
    for (const auto& [name, m] : c.metrics) metrics[name] = MetricToJson(m);
    cases.push_back({{"id", c.id}, {"workload", c.workload}, {"params", ParamsToJson(c.params)},
                     {"primary_metric", c.primary_metric}, {"metrics", metrics}, {"samples_s", c.samples_s},
                     {"work", WorkToJson(c.work)}, {"sources", c.sources},
                     {"replicate_medians_s", c.replicate_medians_s}, {"noisy", c.noisy}});
  }
  json doc = {{"schema", kBaselineSchema},
              {"name", b.name},
              {"sku", b.sku},
              {"created_at", b.created_at},
              {"tool", {{"version", b.tool_version}, {"git", b.tool_git}}},
              {"qualify", {{"default", ThresholdToJson(b.default_threshold)}, {"workloads", workloads}}},
              {"sources", sources},
              {"cases", cases}};
  WriteFileSafely(path, doc.dump(1) + "\n");
}

Baseline ReadBaselineFile(const std::string& path) { return BaselineFromJson(ReadJsonFile(path), path); }

Baseline BaselineFromJson(const json& j, const std::string& path) {
  JsonFields root(j, path, "");
  if (!j.is_object()) root.Fail("", "is not a JSON object");
  const std::string schema = root.Str("schema");
  if (schema != kBaselineSchema) {
    root.Fail("schema", "'" + schema + "' is not " + kBaselineSchema +
                            (schema.rfind("gpuqual.results/", 0) == 0 ? " (this is a results file: make a baseline with `gpuqual baseline create`)" : ""));
  }
  Baseline b;
  b.name = root.Str("name");
  b.sku = root.Str("sku");
  b.created_at = root.Str("created_at");
  JsonFields tool = root.Obj("tool");
  b.tool_version = tool.Str("version");
  b.tool_git = tool.Str("git");
  JsonFields qualify = root.Obj("qualify");
  b.default_threshold = QualifyThresholdFromJson(qualify.Obj("default"));
  JsonFields workloads = qualify.Obj("workloads");
  for (const std::string& w : workloads.Keys()) b.workload_thresholds[w] = QualifyThresholdFromJson(workloads.Obj(w));
  JsonFields sources = root.Arr("sources");
  for (std::size_t i = 0; i < sources.value().size(); ++i) {
    JsonFields s = sources.At(i);
    b.sources.push_back({s.Str("file"), s.Str("run_id"), s.Str("started_at"), s.Str("hostname"), s.Str("provider"),
                         s.Str("instance_type"), s.Str("tool_version"), s.Str("tool_git"), s.Strings("devices")});
  }
  JsonFields cases = root.Arr("cases");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < cases.value().size(); ++i) {
    JsonFields c = cases.At(i);
    BaselineCase bc;
    bc.id = CanonicalCaseId(c.Str("id"));  // older files spell automatic axes out
    if (!ids.insert(bc.id).second) c.Fail("id", "case '" + bc.id + "' appears twice");
    bc.workload = c.Str("workload");
    bc.params = ParamsFromJson(c.Obj("params"));
    bc.primary_metric = c.Str("primary_metric");
    JsonFields metrics = c.Obj("metrics");
    for (const std::string& name : metrics.Keys()) bc.metrics.emplace_back(name, MetricFromJson(metrics.Obj(name)));
    if (bc.FindMetric(bc.primary_metric) == nullptr) c.Fail("primary_metric", "names '" + bc.primary_metric + "', which is not in metrics");
    for (const json& s : c.Arr("samples_s").value()) {
      if (!s.is_number() || !std::isfinite(s.get<double>()) || s.get<double>() < 0) {
        c.Fail("samples_s", "must hold finite numbers >= 0 (seconds)");
      }
      bc.samples_s.push_back(s.get<double>());
    }
    bc.work = WorkFromJson(c.Obj("work"));
    bc.sources = c.Int32("sources");
    if (c.Has("replicate_medians_s")) {  // absent in baselines written before run-level replicates
      for (const json& m : c.Arr("replicate_medians_s").value()) {
        if (!m.is_number() || !std::isfinite(m.get<double>()) || !(m.get<double>() > 0)) {
          c.Fail("replicate_medians_s", "must hold finite numbers > 0 (seconds)");
        }
        bc.replicate_medians_s.push_back(m.get<double>());
      }
    }
    bc.noisy = c.BoolOr("noisy", false);
    b.cases.push_back(std::move(bc));
  }
  return b;
}

std::optional<Baseline> FindQualifyBaseline(const ResultsDoc& doc, const std::string& path,
                                            const std::string& dir) {
  if (!path.empty()) {
    Baseline b = ReadBaselineFile(path);
    for (const CaseResult& c : doc.cases) {
      const std::string sku = CaseSku(doc, c);
      if (!b.sku.empty() && sku != b.sku) {
        throw UsageError(path + ": the baseline is for SKU " + b.sku + ", but case " + c.id + " ran on " + sku +
                         ": qualify judges a machine against its own SKU's baseline (compare or rank set "
                         "different machines side by side)");
      }
    }
    return b;
  }
  if (doc.system.devices.empty()) return std::nullopt;
  const std::string sku = doc.system.devices.front().sku;
  for (const GpuInfo& g : doc.system.devices) {
    if (g.sku != sku) return std::nullopt;
  }
  const std::string stored = dir + "/" + sku + ".json";
  std::error_code ec;
  if (!std::filesystem::exists(stored, ec)) return std::nullopt;
  return ReadBaselineFile(stored);
}

std::string NoQualifyBaselineReason(const ResultsDoc& doc, const std::string& dir) {
  if (doc.system.devices.empty()) return "a cpu run has no stored SKU baseline";
  std::vector<std::string> skus;
  for (const GpuInfo& g : doc.system.devices) {
    if (std::find(skus.begin(), skus.end(), g.sku) == skus.end()) skus.push_back(g.sku);
  }
  if (skus.size() > 1) {
    std::string list;
    for (const std::string& s : skus) list += (list.empty() ? "" : ", ") + s;
    return "its GPUs are of several SKUs (" + list + ")";
  }
  return "none stored for SKU " + skus.front() + " (" + dir + "/" + skus.front() + ".json)";
}

}  // namespace gq
