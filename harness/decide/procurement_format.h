#pragma once
// Formats a ProcurementReport: a console table (`gpuqual rank`) and JSON (schema
// gpuqual.procurement/1), which `gpuqual report` hands to the report so it draws exactly these
// figures. Formatting only: every number comes from procurement.cc.
#include <nlohmann/json.hpp>
#include <ostream>

#include "harness/decide/procurement.h"

namespace gq {

inline constexpr const char* kProcurementSchema = "gpuqual.procurement/1";

void PrintProcurement(std::ostream& out, const ProcurementReport& report);
nlohmann::ordered_json ProcurementJson(const ProcurementReport& report);

}  // namespace gq
