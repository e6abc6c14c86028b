#pragma once
// Where the runner hands each finished case (harness/measure/runner.h): the results recorder, the
// console table, the microbench's adapter. A sink formats or stores plain data; it never measures.
#include "harness/results.h"

namespace gq {

class CaseSink {
 public:
  virtual ~CaseSink() = default;
  virtual void OnCaseDone(const CaseResult& result) = 0;
};

}  // namespace gq
