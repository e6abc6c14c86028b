#pragma once
// What `gpuqual qualify` is told besides the results, turned into QualifyOptions (qualify.h).
//
// The spec file, schema gpuqual.qualify-spec/1, overrides the baseline's thresholds:
//   {"schema": "gpuqual.qualify-spec/1",
//    "default":   {"warn_below": W, "fail_below": F},            optional
//    "workloads": {NAME: {"warn_below": W, "fail_below": F}}}    optional
// W and F are fractions of the baseline median with 0 < F <= W <= 1.5. No other keys are allowed
// (a misspelt key would otherwise be a silent default); NAME must be one of the known workloads
// when the caller lists them. Which threshold applies to a case (qualify.cc): the spec's for its
// workload, else the spec's default, else the baseline file's for its workload, else the
// baseline file's default.
//
// The flags: --instance TYPE (empty: the run's own instance type) and --price-per-hour USD
// (finite and > 0 when given).
//
// Every error is a UsageError with one line naming the file and key, or the flag.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/decide/qualify.h"

namespace gq {

inline constexpr const char* kQualifySpecSchema = "gpuqual.qualify-spec/1";

struct QualifySpec {
  std::optional<QualifyThreshold> default_threshold;
  std::map<std::string, QualifyThreshold> workload_thresholds;
};

// `origin` names the input in error messages (a file path). `known_workloads` empty: any name.
QualifySpec ParseQualifySpec(const nlohmann::ordered_json& j, const std::string& origin,
                             const std::vector<std::string>& known_workloads);
QualifySpec ReadQualifySpecFile(const std::string& path,
                                const std::vector<std::string>& known_workloads);

struct QualifyFlags {
  std::string instance_type;                 // --instance; empty: the run's
  std::optional<double> price_per_hour_usd;  // --price-per-hour, when given
};

// The options for Qualify() from the flags and the spec (a default QualifySpec when none was
// given). cost_metrics is left empty for the caller, who knows the workloads.
QualifyOptions MergeQualifyOptions(const QualifyFlags& flags, const QualifySpec& spec);

}  // namespace gq
