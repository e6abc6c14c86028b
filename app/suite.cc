#include "app/suite.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

#include "harness/data_dirs.h"
#include "harness/errors.h"
#include "harness/json_fields.h"
#include "harness/record/file_io.h"

namespace gq {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr const char* kSuiteSchema = "gpuqual.suite/1";

std::string ValueText(const JsonFields& f, const std::string& axis, const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    f.Fail(axis, std::to_string(v.get<uint64_t>()) + " is out of range");
  }
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  f.Fail(axis, "values must be strings, integers or booleans");
}

}  // namespace

void MeasureOverrides::ApplyTo(MeasureOptions& m) const {
  if (min_samples) m.min_samples = *min_samples;
  if (min_time_s) m.min_time_s = *min_time_s;
  if (max_time_s) m.max_time_s = *max_time_s;
  if (max_noise) m.max_noise = *max_noise;
  if (warmup_time_s) m.warmup_time_s = *warmup_time_s;
  if (repetitions) m.repetitions = *repetitions;
}

std::vector<std::string> SuiteSearchDirs() { return DataDirCandidates("GQ_SUITES_DIR", "suites"); }

Suite ParseSuite(const std::string& text, const std::string& origin) {
  return SuiteFromJson(ParseJsonText(text, origin), origin);
}

Suite SuiteFromJson(const json& j, const std::string& origin) {
  JsonFields root(j, origin, "");
  if (!j.is_object()) root.Fail("", "is not a JSON object");
  if (root.Str("schema") != kSuiteSchema) {
    root.Fail("schema", "'" + root.Str("schema") + "' is not " + kSuiteSchema);
  }
  Suite s;
  s.origin = origin;
  s.name = root.Str("name");
  s.description = root.StrOr("description", "");
  if (root.Has("measure")) {
    JsonFields m = root.Obj("measure");
    for (const auto& [key, _] : m.value().items()) {
      if (key == "min_samples") s.measure.min_samples = static_cast<int>(m.IntIn("min_samples", 1, kMaxMinSamples));
      else if (key == "min_time_s") s.measure.min_time_s = m.NumIn("min_time_s", kSampleTimeRange);
      else if (key == "max_time_s") s.measure.max_time_s = m.NumIn("max_time_s", kMaxTimeRange);
      else if (key == "max_noise") s.measure.max_noise = m.NumIn("max_noise", kMaxNoiseRange);
      else if (key == "warmup_time_s") s.measure.warmup_time_s = m.NumIn("warmup_time_s", kSampleTimeRange);
      else if (key == "repetitions") s.measure.repetitions = static_cast<int>(m.IntIn("repetitions", 1, kMaxRepetitions));
      else m.Fail(key, "unknown measure option");
    }
  }
  JsonFields entries = root.Arr("entries");
  if (entries.value().empty()) entries.Fail("", "has no entries");
  for (std::size_t i = 0; i < entries.value().size(); ++i) {
    JsonFields e = entries.At(i);
    SuiteEntry entry;
    entry.workload = e.Str("workload");
    const std::string device = e.StrOr("device", "any");
    if (device == "any") entry.device = DeviceFilter::kAny;
    else if (device == "cpu") entry.device = DeviceFilter::kCpu;
    else if (device == "cuda") entry.device = DeviceFilter::kCuda;
    else e.Fail("device", "'" + device + "' is not one of any, cpu, cuda");
    if (e.Has("axes")) {
      JsonFields axes = e.Obj("axes");
      for (const auto& [axis, v] : axes.value().items()) {
        std::vector<std::string> values;
        if (v.is_array()) {
          for (const json& x : v) values.push_back(ValueText(axes, axis, x));
        } else {
          values.push_back(ValueText(axes, axis, v));
        }
        if (values.empty()) axes.Fail(axis, "has no values");
        entry.axes[axis] = values;
      }
    }
    s.entries.push_back(std::move(entry));
  }
  return s;
}

Suite LoadSuite(const std::string& name_or_path, const std::vector<std::string>& search_dirs) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.ends_with(".json"));
  std::string path;
  if (is_path) {
    path = name_or_path;
  } else {
    for (const std::string& dir : search_dirs) {
      fs::path candidate = fs::path(dir) / (name_or_path + ".json");
      if (fs::is_regular_file(candidate)) {
        path = candidate.string();
        break;
      }
    }
    if (path.empty()) {
      std::string known;
      for (const auto& n : ListSuites(search_dirs)) known += (known.empty() ? "" : ", ") + n;
      throw UsageError("unknown suite '" + name_or_path + "' (known: " + (known.empty() ? "none found" : known) + ")");
    }
  }
  return SuiteFromJson(ReadJsonFile(path), path);
}

std::vector<std::string> ListSuites(const std::vector<std::string>& search_dirs) {
  std::set<std::string> names;
  for (const std::string& dir : search_dirs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".json") names.insert(entry.path().stem().string());
    }
  }
  return {names.begin(), names.end()};
}

}  // namespace gq
