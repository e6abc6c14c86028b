#pragma once
// Console table of case results, one row per case as it finishes, e.g.
//   status  device  case                                   median         +-95%  peak%  verify
//   ok      cuda:0  gemm/dtype=bf16/m=8192/n=8192/k=8192/..  781.2 TFLOP/s  0.3%   79.0%  4.1e-03
// Rows that are not ok carry their reason on the next line. A case measured in several rounds
// (--repetitions) gets its row once, after its last round (earlier rounds are not printed).
// Formats plain data only.
#include <ostream>
#include <string>

#include "harness/case_sink.h"
#include "harness/results.h"

namespace gq {

class ConsoleReporter : public CaseSink {
 public:
  ConsoleReporter(std::ostream& out, std::size_t id_width);
  void OnCaseDone(const CaseResult& result) override;
  // Counts per status and where the results are, after the last case.
  void PrintSummary(const ResultsDoc& doc, const std::string& results_path);

 private:
  void PrintHeader();

  std::ostream& out_;
  std::size_t id_width_;
  bool header_printed_ = false;
};

// One table row (without the newline); exposed for tests.
std::string FormatCaseRow(const CaseResult& result, std::size_t id_width);

}  // namespace gq
