#pragma once
// Error types with an agreed meaning across the harness:
// - UsageError: bad command line, unknown workload/axis/value, malformed or wrong-version input
//   file. main() prints its one-line message and exits 2.
// - OutputError: a file the user named as output cannot be written (a read-only directory, a full
//   disk, a target that is a directory). A UsageError: main() exits 2 with the target and reason.
// - CaseSkipped: thrown by Workload::Prepare when a case cannot run here (unsupported dtype,
//   does not fit in memory); the runner records the case as "skipped" with the message as reason.
// Any other std::exception thrown while a case runs is recorded as "failed" with its message.
#include <stdexcept>
#include <string>

namespace gq {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputError : public UsageError {
 public:
  using UsageError::UsageError;
};

class CaseSkipped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gq
