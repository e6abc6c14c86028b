#include "harness/record/results_json_parts.h"

#include <stdexcept>

namespace gq {

using json = nlohmann::ordered_json;

namespace {

// Integer- and boolean-looking parameter values are written as JSON numbers and booleans so
// readers (reports) can plot them; reading turns them back into the same canonical text.
json ParamValue(const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  if (!v.empty() && v.size() < 19 && v.find_first_not_of("-0123456789") == std::string::npos &&
      v.find('-', 1) == std::string::npos && v != "-") {
    return std::stoll(v);
  }
  return v;
}

}  // namespace

json MetricToJson(const MetricResult& m) {
  return {{"unit", m.unit},     {"higher_is_better", m.higher_is_better},
          {"median", m.median}, {"mean", m.mean},
          {"stddev", m.stddev}, {"cv", m.cv},
          {"p10", m.p10},       {"p90", m.p90},
          {"min", m.min},       {"max", m.max},
          {"ci95_low", m.ci95_low}, {"ci95_high", m.ci95_high},
          {"n", m.n}};
}

MetricResult MetricFromJson(const JsonFields& f) {
  MetricResult m;
  m.unit = f.Str("unit");
  m.higher_is_better = f.Bool("higher_is_better");
  // The figures decisions rest on must be numbers >= 0 (times, rates, bandwidths, tokens); the
  // spread statistics may be null (NaN).
  auto non_negative = [&f](const char* key) {
    const double v = f.FiniteNum(key);
    if (v < 0) f.Fail(key, "must be >= 0 (got " + json(v).dump() + ")");
    return v;
  };
  m.median = non_negative("median");
  m.mean = non_negative("mean");
  m.stddev = f.Num("stddev");
  m.cv = f.Num("cv");
  m.p10 = f.Num("p10");
  m.p90 = f.Num("p90");
  m.min = non_negative("min");
  m.max = non_negative("max");
  m.ci95_low = f.Num("ci95_low");
  m.ci95_high = f.Num("ci95_high");
  m.n = f.IntIn("n", 0, int64_t{1} << 40);
  return m;
}

json ParamsToJson(const Params& params) {
  json out = json::object();
  for (const auto& [k, v] : params) out[k] = ParamValue(v);
  return out;
}

Params ParamsFromJson(const JsonFields& f) {
  Params params;
  for (const std::string& k : f.Keys()) {
    const json& v = f.value().at(k);
    if (v.is_boolean()) {
      params.emplace_back(k, v.get<bool>() ? "true" : "false");
    } else if (v.is_number()) {
      params.emplace_back(k, std::to_string(f.Int(k.c_str())));
    } else if (v.is_string()) {
      params.emplace_back(k, f.Str(k));
    } else {
      f.Fail(k, "must be a string, integer or boolean");
    }
  }
  return params;
}

namespace {

PcieLink PcieFromJson(const JsonFields& p) {
  return PcieLink{p.Int32("gen"), p.Int32("width"), p.Int32("gen_max"), p.Int32("width_max")};
}

// "skus" only for a multi-rank run that gathered them (WorldInfo::skus).
json WorldToJson(const WorldInfo& w) {
  json out = {{"ranks", w.ranks}, {"nodes", w.nodes}, {"backend", w.backend}};
  if (!w.skus.empty()) out["skus"] = w.skus;
  return out;
}

}  // namespace

json SystemToJson(const SystemInfo& s) {
  json devices = json::array();
  for (const GpuInfo& g : s.devices) {
    devices.push_back({{"index", g.index},
                       {"name", g.name},
                       {"sku", g.sku},
                       {"uuid", g.uuid},
                       {"pci_bus_id", g.pci_bus_id},
                       {"compute_capability", g.compute_capability},
                       {"sm_count", g.sm_count},
                       {"memory_bytes", g.memory_bytes},
                       {"driver", g.driver},
                       {"cuda_runtime", g.cuda_runtime},
                       {"clocks_max", g.clocks_max},
                       {"pcie",
                        {{"gen", g.pcie.gen},
                         {"width", g.pcie.width},
                         {"gen_max", g.pcie.gen_max},
                         {"width_max", g.pcie.width_max}}}});
  }
  return {{"host",
           {{"hostname", s.host.hostname},
            {"os", s.host.os},
            {"kernel", s.host.kernel},
            {"cpu", s.host.cpu},
            {"cores", s.host.cores},
            {"memory_bytes", s.host.memory_bytes}}},
          {"cloud",
           {{"provider", s.cloud.provider},
            {"instance_type", s.cloud.instance_type},
            {"region", s.cloud.region},
            {"source", s.cloud.source}}},
          {"devices", devices},
          {"world", WorldToJson(s.world)}};
}

SystemInfo SystemFromJson(const JsonFields& f) {
  SystemInfo s;
  JsonFields host = f.Obj("host");
  s.host = HostInfo{host.Str("hostname"), host.Str("os"), host.Str("kernel"), host.Str("cpu"),
                    host.Int32("cores"), static_cast<uint64_t>(host.IntIn("memory_bytes", 0, kMaxJsonInteger))};
  JsonFields cloud = f.Obj("cloud");
  s.cloud = CloudInfo{cloud.Str("provider"), cloud.Str("instance_type"), cloud.Str("region"),
                      cloud.Str("source")};
  JsonFields devices = f.Arr("devices");
  for (std::size_t i = 0; i < devices.value().size(); ++i) {
    JsonFields d = devices.At(i);
    GpuInfo g;
    g.index = d.Int32("index");
    g.name = d.Str("name");
    g.sku = d.Str("sku");
    g.uuid = d.Str("uuid");
    g.pci_bus_id = d.Str("pci_bus_id");
    g.compute_capability = d.Str("compute_capability");
    g.sm_count = d.Int32("sm_count");
    g.memory_bytes = static_cast<uint64_t>(d.IntIn("memory_bytes", 0, kMaxJsonInteger));
    g.driver = d.Str("driver");
    g.cuda_runtime = d.Str("cuda_runtime");
    JsonFields clocks = d.Obj("clocks_max");
    for (const std::string& k : clocks.Keys()) g.clocks_max[k] = clocks.FiniteNum(k.c_str());
    g.pcie = PcieFromJson(d.Obj("pcie"));
    s.devices.push_back(g);
  }
  JsonFields world = f.Obj("world");
  s.world = WorldInfo{world.Int32("ranks"), world.Int32("nodes"), world.Str("backend"), {}};
  if (world.Has("skus")) s.world.skus = world.Strings("skus");
  return s;
}

namespace {

json FiguresToJson(const TelemetryFigures& t) {
  json series = json::array();
  for (const TelemetrySample& x : t.series) {
    series.push_back({{"t_s", x.t_s}, {"sm_mhz", x.sm_mhz}, {"memory_mhz", x.memory_mhz},
                      {"power_w", x.power_w}, {"temperature_c", x.temperature_c}});
  }
  return {{"samples", t.samples},
          {"sm_mhz_min", t.sm_mhz_min},
          {"sm_mhz_median", t.sm_mhz_median},
          {"memory_mhz_median", t.memory_mhz_median},
          {"temperature_c_max", t.temperature_c_max},
          {"power_w_mean", t.power_w_mean},
          {"power_w_max", t.power_w_max},
          {"energy_j", t.energy_j},
          {"throttle_reasons", t.throttle_reasons},
          {"series", series}};
}

void FiguresFromJson(const JsonFields& f, TelemetryFigures& t) {
  t.samples = f.Int32("samples");
  t.sm_mhz_min = f.Num("sm_mhz_min");
  t.sm_mhz_median = f.Num("sm_mhz_median");
  t.memory_mhz_median = f.Num("memory_mhz_median");
  t.temperature_c_max = f.Num("temperature_c_max");
  t.power_w_mean = f.Num("power_w_mean");
  t.power_w_max = f.Num("power_w_max");
  t.energy_j = f.Num("energy_j");
  t.throttle_reasons = f.Strings("throttle_reasons");
  JsonFields series = f.Arr("series");
  for (std::size_t i = 0; i < series.value().size(); ++i) {
    JsonFields x = series.At(i);
    t.series.push_back({x.Num("t_s"), x.Num("sm_mhz"), x.Num("memory_mhz"), x.Num("power_w"), x.Num("temperature_c")});
  }
}

}  // namespace

// "gpus" (every GPU of a group) is written only for a group and optional when read.
json TelemetryToJson(const TelemetrySummary& t) {
  json j = {{"available", t.available}, {"reason", t.reason}, {"period_s", t.period_s}};
  j.update(FiguresToJson(t));
  if (!t.gpus.empty()) {
    json gpus = json::array();
    for (const GpuTelemetry& g : t.gpus) {
      json one = FiguresToJson(g);
      one["index"] = g.index;
      gpus.push_back(std::move(one));
    }
    j["gpus"] = std::move(gpus);
  }
  return j;
}

TelemetrySummary TelemetryFromJson(const JsonFields& f) {
  TelemetrySummary t;
  t.available = f.Bool("available");
  t.reason = f.TextOr("reason", "");
  if (!t.available) return t;
  t.period_s = f.Num("period_s");
  FiguresFromJson(f, t);
  if (f.Has("gpus")) {
    JsonFields gpus = f.Arr("gpus");
    for (std::size_t i = 0; i < gpus.value().size(); ++i) {
      JsonFields g = gpus.At(i);
      GpuTelemetry one;
      one.index = g.Int32("index");
      FiguresFromJson(g, one);
      t.gpus.push_back(std::move(one));
    }
  }
  return t;
}

namespace {

json DeviceHealthToJson(const DeviceHealth& h) {
  return {{"index", h.index},
          {"available", h.available},
          {"reason", h.reason},
          {"driver_version", h.driver_version},
          {"ecc_enabled", h.ecc_enabled},
          {"ecc_volatile_corrected", h.ecc_volatile_corrected},
          {"ecc_volatile_uncorrected", h.ecc_volatile_uncorrected},
          {"ecc_aggregate_corrected", h.ecc_aggregate_corrected},
          {"ecc_aggregate_uncorrected", h.ecc_aggregate_uncorrected},
          {"retired_pages_sbe", h.retired_pages_sbe},
          {"retired_pages_dbe", h.retired_pages_dbe},
          {"retired_pages_pending", h.retired_pages_pending},
          {"remapped_rows_correctable", h.remapped_rows_correctable},
          {"remapped_rows_uncorrectable", h.remapped_rows_uncorrectable},
          {"remapped_rows_pending", h.remapped_rows_pending},
          {"remapped_rows_failure", h.remapped_rows_failure},
          {"pcie", {{"gen", h.pcie.gen}, {"width", h.pcie.width}, {"gen_max", h.pcie.gen_max}, {"width_max", h.pcie.width_max}}},
          {"power_limit_w", h.power_limit_w},
          {"power_default_limit_w", h.power_default_limit_w},
          {"persistence_mode", h.persistence_mode},
          {"temperature_c", h.temperature_c}};
}

DeviceHealth DeviceHealthFromJson(const JsonFields& f) {
  DeviceHealth h;
  h.index = f.Int32("index");
  h.available = f.Bool("available");
  h.reason = f.TextOr("reason", "");
  h.driver_version = f.StrOr("driver_version", "");
  auto i64 = [&](const char* k) { return f.Has(k) ? f.Int(k) : int64_t{-1}; };
  auto i32 = [&](const char* k) { return f.Has(k) ? f.Int32(k) : -1; };
  h.ecc_enabled = i32("ecc_enabled");
  h.ecc_volatile_corrected = i64("ecc_volatile_corrected");
  h.ecc_volatile_uncorrected = i64("ecc_volatile_uncorrected");
  h.ecc_aggregate_corrected = i64("ecc_aggregate_corrected");
  h.ecc_aggregate_uncorrected = i64("ecc_aggregate_uncorrected");
  h.retired_pages_sbe = i64("retired_pages_sbe");
  h.retired_pages_dbe = i64("retired_pages_dbe");
  h.retired_pages_pending = i32("retired_pages_pending");
  h.remapped_rows_correctable = i64("remapped_rows_correctable");
  h.remapped_rows_uncorrectable = i64("remapped_rows_uncorrectable");
  h.remapped_rows_pending = i32("remapped_rows_pending");
  h.remapped_rows_failure = i32("remapped_rows_failure");
  if (f.Has("pcie")) h.pcie = PcieFromJson(f.Obj("pcie"));
  h.power_limit_w = f.NumOr("power_limit_w", -1);
  h.power_default_limit_w = f.NumOr("power_default_limit_w", -1);
  h.persistence_mode = i32("persistence_mode");
  h.temperature_c = i32("temperature_c");
  return h;
}

json SnapshotToJson(const std::optional<HealthSnapshot>& s) {
  if (!s) return nullptr;
  json devices = json::array();
  for (const DeviceHealth& h : s->devices) devices.push_back(DeviceHealthToJson(h));
  return {{"taken_at", s->taken_at}, {"devices", devices}};
}

std::optional<HealthSnapshot> SnapshotFromJson(const JsonFields& f, const char* key) {
  if (!f.Has(key)) return std::nullopt;
  JsonFields s = f.Obj(key);
  HealthSnapshot snap;
  snap.taken_at = s.Str("taken_at");
  JsonFields devices = s.Arr("devices");
  for (std::size_t i = 0; i < devices.value().size(); ++i) snap.devices.push_back(DeviceHealthFromJson(devices.At(i)));
  return snap;
}

// A verdict status: "PASS", "WARN", "INCOMPLETE" or "FAIL", else UsageError naming the key.
QualifyStatus StatusFromJson(const JsonFields& f, const char* key) {
  const std::string name = f.Str(key);
  try {
    return ParseQualifyStatus(name);
  } catch (const std::invalid_argument&) {
    f.Fail(key, "'" + name + "' must be PASS, WARN, INCOMPLETE or FAIL");
  }
}

}  // namespace

json HealthToJson(const HealthReport& h) {
  return {{"before", SnapshotToJson(h.before)}, {"after", SnapshotToJson(h.after)}};
}

HealthReport HealthFromJson(const JsonFields& f) {
  return {SnapshotFromJson(f, "before"), SnapshotFromJson(f, "after")};
}

json VerdictToJson(const QualifyVerdict& v) {
  json checks = json::array();
  for (const QualifyCheck& c : v.checks) {
    checks.push_back({{"name", c.name}, {"kind", c.kind}, {"status", QualifyStatusName(c.status)}, {"reason", c.reason},
                      {"value", c.value}, {"threshold", c.threshold}, {"unit", c.unit}});
  }
  json out = {{"overall", QualifyStatusName(v.overall)}, {"baseline", v.baseline}, {"instance_type", v.instance_type},
              {"evaluated_at", v.evaluated_at}, {"checks", checks}};
  if (v.cost) {
    out["cost"] = {{"price_per_hour_usd", v.cost->price_per_hour_usd},
                   {"tflops_per_usd_hour", v.cost->tflops_per_usd_hour},
                   {"usd_per_mtok", v.cost->usd_per_mtok},
                   {"scenario", v.cost->scenario},
                   {"usd_per_mtok_note", v.cost->usd_per_mtok_note}};
  }
  return out;
}

QualifyVerdict VerdictFromJson(const JsonFields& f) {
  QualifyVerdict v;
  v.overall = StatusFromJson(f, "overall");
  v.baseline = f.StrOr("baseline", "");
  v.instance_type = f.StrOr("instance_type", "");
  v.evaluated_at = f.StrOr("evaluated_at", "");
  JsonFields checks = f.Arr("checks");
  for (std::size_t i = 0; i < checks.value().size(); ++i) {
    JsonFields c = checks.At(i);
    v.checks.push_back({c.Str("name"), c.Str("kind"), StatusFromJson(c, "status"), c.Text("reason"), c.NumOr("value", 0),
                        c.NumOr("threshold", 0), c.StrOr("unit", "")});
  }
  if (f.Has("cost")) {
    JsonFields c = f.Obj("cost");
    v.cost = QualifyCost{c.FiniteNum("price_per_hour_usd"), c.NumOr("tflops_per_usd_hour", 0), c.NumOr("usd_per_mtok", 0),
                         c.StrOr("scenario", ""), c.TextOr("usd_per_mtok_note", "")};
  }
  return v;
}

}  // namespace gq
