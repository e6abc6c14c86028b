#include "harness/record/results_json.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "harness/case_id.h"
#include "harness/errors.h"
#include "harness/json_fields.h"
#include "harness/options.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json_parts.h"
#include "harness/version.h"

namespace gq {
using json = nlohmann::ordered_json;

namespace {

// Rounds (results.h): "rounds": {"planned": N, "done": D, "medians_s": [median seconds per iteration
// of each measured round]}; optional when read (files written before --repetitions).
// Multi-rank figures (results.h): "ranks": [{rank, host, device, median_s}], "straggler":
// {rank, host, device, median_s, spread} or null. Files without them read as a single process.
json RanksToJson(const std::vector<RankFigure>& ranks) {
  json out = json::array();
  for (const RankFigure& r : ranks) {
    out.push_back({{"rank", r.rank}, {"host", r.host}, {"device", r.device}, {"median_s", r.median_s}});
  }
  return out;
}

std::vector<RankFigure> RanksFromJson(const JsonFields& f) {
  std::vector<RankFigure> out;
  for (std::size_t i = 0; i < f.value().size(); ++i) {
    JsonFields r = f.At(i);
    out.push_back({r.Int32("rank"), r.Str("host"), r.Str("device"), r.Num("median_s")});
  }
  return out;
}

json StragglerToJson(const Straggler& s) {
  return {{"rank", s.rank}, {"host", s.host}, {"device", s.device}, {"median_s", s.median_s},
          {"spread", s.spread}};
}

Straggler StragglerFromJson(const JsonFields& f) {
  return {f.Int32("rank"), f.Str("host"), f.Str("device"), f.Num("median_s"), f.Num("spread")};
}

// Phase times (results.h): "phase_samples_s": {name: [seconds per sample]}, written only when a
// case has any; absent reads as none.
std::map<std::string, std::vector<double>> PhaseSamplesFromJson(const JsonFields& f) {
  std::map<std::string, std::vector<double>> out;
  for (const std::string& name : f.Keys()) {
    std::vector<double>& values = out[name];
    for (const json& s : f.Arr(name.c_str()).value()) {
      if (!s.is_number() || !std::isfinite(s.get<double>())) f.Fail(name, "must hold finite numbers");
      values.push_back(s.get<double>());
    }
  }
  return out;
}

json CaseToJson(const CaseResult& c) {
  json metrics = json::object();
  for (const auto& [name, m] : c.metrics) metrics[name] = MetricToJson(m);
  json j = {{"id", c.id},
            {"workload", c.workload},
            {"params", ParamsToJson(c.params)},
            {"device", c.device},
            {"status", CaseStatusName(c.status)},
            {"reason", c.reason},
            {"primary_metric", c.primary_metric},
            {"metrics", metrics},
            {"samples_s", c.samples_s}};
  if (!c.phase_samples_s.empty()) j["phase_samples_s"] = c.phase_samples_s;
  j["iterations_per_sample"] = c.iterations_per_sample;
  j["work"] = WorkToJson(c.work);
  j["roofline"] = c.roofline ? json{{"bound", c.roofline->bound},
                                            {"peak", c.roofline->peak},
                                            {"efficiency", c.roofline->efficiency},
                                            {"peak_source", c.roofline->peak_source}}
                             : json(nullptr);
  j["verification"] = c.verification ? json{{"passed", c.verification->passed},
                                                    {"max_rel_err", c.verification->max_rel_err},
                                                    {"tolerance", c.verification->tolerance},
                                                    {"detail", c.verification->detail}}
                                     : json(nullptr);
  j["details"] = c.details;
  j["telemetry"] = c.telemetry ? TelemetryToJson(*c.telemetry) : json(nullptr);
  j["wall_time_s"] = c.wall_time_s;
  j["ranks"] = RanksToJson(c.ranks);
  j["straggler"] = c.straggler ? StragglerToJson(*c.straggler) : json(nullptr);
  j["rounds"] = {{"planned", c.rounds_planned}, {"done", c.rounds_done}, {"medians_s", c.round_medians_s}};
  return j;
}

CaseResult CaseFromJson(const JsonFields& f) {
  CaseResult c;
  c.id = CanonicalCaseId(f.Str("id"));  // older files spell automatic axes out
  c.workload = f.Str("workload");
  c.params = ParamsFromJson(f.Obj("params"));
  c.device = f.Str("device");
  const std::string status = f.Str("status");
  try {
    c.status = ParseCaseStatus(status);
  } catch (const std::invalid_argument&) {
    f.Fail("status", "unknown status '" + status + "'");
  }
  c.reason = f.Text("reason");
  c.primary_metric = f.Str("primary_metric");
  JsonFields metrics = f.Obj("metrics");
  for (const std::string& name : metrics.Keys()) c.metrics.emplace_back(name, MetricFromJson(metrics.Obj(name)));
  if (!c.metrics.empty() && c.FindMetric(c.primary_metric) == nullptr) {
    f.Fail("primary_metric", "names '" + c.primary_metric + "', which is not in metrics");
  }
  for (const json& s : f.Arr("samples_s").value()) {
    if (!s.is_number() || !std::isfinite(s.get<double>()) || s.get<double>() < 0) {
      f.Fail("samples_s", "must hold finite numbers >= 0 (seconds)");
    }
    c.samples_s.push_back(s.get<double>());
  }
  if (f.Has("phase_samples_s")) c.phase_samples_s = PhaseSamplesFromJson(f.Obj("phase_samples_s"));
  c.iterations_per_sample = f.Int("iterations_per_sample");
  c.work = WorkFromJson(f.Obj("work"));
  if (f.Has("roofline")) {
    JsonFields r = f.Obj("roofline");
    c.roofline = Roofline{r.Str("bound"), r.Num("peak"), r.Num("efficiency"), r.StrOr("peak_source", "")};
  }
  if (f.Has("verification")) {
    JsonFields v = f.Obj("verification");
    c.verification = VerificationResult{v.Bool("passed"), v.Num("max_rel_err"), v.FiniteNum("tolerance"),
                                        v.TextOr("detail", "")};
  }
  if (f.Has("details")) {
    JsonFields d = f.Obj("details");
    for (const std::string& k : d.Keys()) c.details[k] = d.Text(k.c_str());
  }
  if (f.Has("telemetry")) c.telemetry = TelemetryFromJson(f.Obj("telemetry"));
  c.wall_time_s = f.NumOr("wall_time_s", 0);
  if (f.Has("ranks")) c.ranks = RanksFromJson(f.Arr("ranks"));
  if (f.Has("straggler")) c.straggler = StragglerFromJson(f.Obj("straggler"));
  if (f.Has("rounds")) {  // absent in files written before --repetitions: one round
    JsonFields rounds = f.Obj("rounds");
    c.rounds_planned = static_cast<int>(rounds.IntIn("planned", 1, kMaxRepetitions));
    c.rounds_done = static_cast<int>(rounds.IntIn("done", 1, c.rounds_planned));
    for (const json& m : rounds.Arr("medians_s").value()) {
      if (!m.is_number() || !std::isfinite(m.get<double>()) || !(m.get<double>() > 0)) {
        rounds.Fail("medians_s", "must hold finite numbers > 0 (seconds)");
      }
      c.round_medians_s.push_back(m.get<double>());
    }
    if (static_cast<int>(c.round_medians_s.size()) > c.rounds_planned) rounds.Fail("medians_s", "holds more rounds than planned");
  }
  return c;
}

}  // namespace

json ResultsToJson(const ResultsDoc& doc) {
  json cases = json::array();
  for (const CaseResult& c : doc.cases) cases.push_back(CaseToJson(c));
  const RunInfo& r = doc.run;
  return {{"schema", kResultsSchema},
          {"run",
           {{"id", r.id},
            {"started_at", r.started_at},
            {"finished_at", r.finished_at},
            {"tool", {{"version", r.tool_version}, {"git", r.tool_git}}},
            {"command", r.command},
            {"suite", r.suite},
            {"labels", r.labels},
            {"interrupted", r.interrupted},
            {"complete", r.complete}}},
          {"system", SystemToJson(doc.system)},
          {"cases", cases},
          {"health", HealthToJson(doc.health)},
          {"verdict", doc.verdict ? VerdictToJson(*doc.verdict) : json(nullptr)}};
}

ResultsDoc ResultsFromJson(const json& j, const std::string& origin) {
  JsonFields root(j, origin, "");
  if (!j.is_object()) root.Fail("", "is not a JSON object");
  const std::string schema = root.Str("schema");
  if (schema.rfind(kResultsSchemaPrefix, 0) != 0) {
    root.Fail("schema", "'" + schema + "' is not a gpuqual results schema (expected " +
                            kResultsSchema + ")");
  }
  if (schema != kResultsSchema) {
    root.Fail("schema", "version '" + schema + "' is not supported by this gpuqual (reads " +
                            kResultsSchema + ")");
  }
  ResultsDoc doc;
  JsonFields run = root.Obj("run");
  doc.run.id = run.Str("id");
  doc.run.started_at = run.Str("started_at");
  doc.run.finished_at = run.Str("finished_at");
  JsonFields tool = run.Obj("tool");
  doc.run.tool_version = tool.Str("version");
  doc.run.tool_git = tool.Str("git");
  doc.run.command = run.Text("command");
  doc.run.suite = run.Str("suite");
  JsonFields labels = run.Obj("labels");
  for (const std::string& k : labels.Keys()) doc.run.labels[k] = labels.Str(k);
  doc.run.interrupted = run.BoolOr("interrupted", false);
  doc.run.complete = run.BoolOr("complete", true);
  doc.system = SystemFromJson(root.Obj("system"));
  JsonFields cases = root.Arr("cases");
  for (std::size_t i = 0; i < cases.value().size(); ++i) doc.cases.push_back(CaseFromJson(cases.At(i)));
  if (root.Has("health")) doc.health = HealthFromJson(root.Obj("health"));
  if (root.Has("verdict")) doc.verdict = VerdictFromJson(root.Obj("verdict"));
  return doc;
}

void WriteResultsFile(const std::string& path, const ResultsDoc& doc) {
  WriteFileSafely(path, ResultsToJson(doc).dump(1) + "\n");
}

ResultsDoc ReadResultsFile(const std::string& path) { return ResultsFromJson(ReadJsonFile(path), path); }

}  // namespace gq
