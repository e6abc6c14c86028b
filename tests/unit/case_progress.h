#pragma once
// The progress of one case run (harness/progress_sink.h) as the runner reports it, for the tests
// of the run's watch (case_watchdog_test.cc, prompt_stop_test.cc).
#include <string>

#include "harness/progress_sink.h"

namespace gq::testing {

inline CaseProgress CaseRunProgress(const std::string& id, const std::string& device, int round = 1, int rounds = 1) {
  CaseProgress c;
  c.id = id;
  c.device = device;
  c.round = round;
  c.rounds = rounds;
  return c;
}

}  // namespace gq::testing
