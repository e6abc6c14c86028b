#pragma once
// The health and throttling rules of `qualify` (listed in qualify.h), per GPU of the run.
#include <vector>

#include "harness/results.h"

namespace gq {

void HealthChecks(const ResultsDoc& doc, std::vector<QualifyCheck>& out);

}  // namespace gq
