#pragma once
// Suite files (JSON, schema "gpuqual.suite/1"): named lists of workload entries with axis values,
// optionally restricted to one device kind, plus measurement overrides. Example:
//   {"schema": "gpuqual.suite/1", "name": "ci", "description": "...",
//    "measure": {"min_time_s": 0.2, "max_time_s": 5},
//    "entries": [{"workload": "gemm", "device": "cuda", "axes": {"dtype": ["bf16"], "m": [4096]}}]}
// "device" is "any" (default), "cpu" or "cuda". A suite is named by file path (contains '/' or
// ends in .json) or by name, looked up as <dir>/<name>.json in SuiteSearchDirs().
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/device.h"
#include "harness/options.h"

namespace gq {

struct SuiteEntry {
  std::string workload;
  DeviceFilter device = DeviceFilter::kAny;
  std::map<std::string, std::vector<std::string>> axes;
};

struct MeasureOverrides {
  std::optional<int> min_samples, repetitions;
  std::optional<double> min_time_s, max_time_s, max_noise, warmup_time_s;
  void ApplyTo(MeasureOptions& m) const;
};

struct Suite {
  std::string name;
  std::string description;
  std::string origin;  // the file it was read from
  MeasureOverrides measure;
  std::vector<SuiteEntry> entries;
};

// Directories searched for named suites, in order: $GQ_SUITES_DIR, <exe>/../share/gpuqual/suites,
// <exe>/../../suites and <exe>/../../../suites (build trees), the source tree's suites/.
std::vector<std::string> SuiteSearchDirs();
// Throws UsageError naming the suite/file on any problem (unknown name, malformed, bad keys).
Suite LoadSuite(const std::string& name_or_path, const std::vector<std::string>& search_dirs);
Suite ParseSuite(const std::string& text, const std::string& origin);
// The same from a parsed document (files are parsed once, by ReadJsonFile).
Suite SuiteFromJson(const nlohmann::ordered_json& j, const std::string& origin);
// Names of the suites found in the search dirs (first hit wins), sorted.
std::vector<std::string> ListSuites(const std::vector<std::string>& search_dirs);

}  // namespace gq
