#pragma once
// The ranking step of BuildProcurement (rules in procurement.h): sets apart the machines that
// cannot be ranked (FAIL or INCOMPLETE, no common case, no price when ranking per dollar), sorts
// the rest by the objective, marks ties, and writes the recommendation. Fills report.machines
// (ranked first), report.ranking, report.set_apart and report.recommendation.
#include <vector>

#include "harness/decide/procurement.h"

namespace gq {

void RankMachines(std::vector<MachineFigures> machines, ProcurementReport& report);

}  // namespace gq
