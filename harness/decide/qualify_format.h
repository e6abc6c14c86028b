#pragma once
// Formats a QualifyVerdict for the console: one line per check (status, kind, name padded to the
// longest, reason), the cost figures when a price was given, then the overall line
//   "qualify: WARN (baseline: none, instance: unknown)".
// Formatting only: the verdict comes from qualify.cc.
#include <ostream>

#include "harness/results.h"

namespace gq {

void PrintQualifyVerdict(std::ostream& out, const QualifyVerdict& verdict);

// "PASS", "WARN" or "FAIL" (also how test failures print a status).
std::ostream& operator<<(std::ostream& out, QualifyStatus status);

}  // namespace gq
