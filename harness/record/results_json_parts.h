#pragma once
// Converters for the parts of a results file that several documents share: system facts,
// per-case telemetry and the health snapshots (the work counts: work_json.h). results_json.cc
// assembles whole documents.
#include <nlohmann/json.hpp>

#include "harness/json_fields.h"
#include "harness/record/work_json.h"
#include "harness/results.h"

namespace gq {

nlohmann::ordered_json ParamsToJson(const Params& params);
Params ParamsFromJson(const JsonFields& f);
nlohmann::ordered_json MetricToJson(const MetricResult& m);
MetricResult MetricFromJson(const JsonFields& f);
nlohmann::ordered_json SystemToJson(const SystemInfo& s);
SystemInfo SystemFromJson(const JsonFields& f);
nlohmann::ordered_json TelemetryToJson(const TelemetrySummary& t);
TelemetrySummary TelemetryFromJson(const JsonFields& f);
nlohmann::ordered_json HealthToJson(const HealthReport& h);
HealthReport HealthFromJson(const JsonFields& f);
nlohmann::ordered_json VerdictToJson(const QualifyVerdict& v);
QualifyVerdict VerdictFromJson(const JsonFields& f);

}  // namespace gq
