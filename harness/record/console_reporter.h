#pragma once
// Console table of case results, one row per case as it finishes, units in the header, e.g.
//   status  device  case                                   median (unit)     +-95% (%)  peak (%)  verify (max rel err)
//   ok      cuda:0  gemm/dtype=bf16/m=8192/n=8192/k=8192/..  781.2 TFLOP/s     0.31       79.0      4.1e-03
//   ok      cpu     allreduce/size=1048576/...               4.21 GB/s algbw   0.52       -         0.0e+00
// median: the case's figure (harness/case_figure.h: the primary metric; algbw for a collective on
// one rank, as compare judges it, named after the unit). +-95%: RelativeSpread (case_figure.h), the
// half-width of the median's 95% CI in % of the median, over the samples, or over the rounds'
// medians with --repetitions; a noisy case's reason quotes the same figure. peak: the median in %
// of the roofline's attainable rate. verify: the largest relative error against the reference.
// Rows that are not ok carry their reason on the next line. A case measured in several rounds
// (--repetitions) gets its row once, after its last round (earlier rounds are not printed).
// PrintSummary ends the table with a legend saying so, the counts per status and the results
// file. Formats plain data only.
#include <ostream>
#include <string>

#include "harness/case_sink.h"
#include "harness/results.h"

namespace gq {

class ConsoleReporter : public CaseSink {
 public:
  ConsoleReporter(std::ostream& out, std::size_t id_width);
  void OnCaseDone(const CaseResult& result) override;
  // The legend (when rows were printed), counts per status and where the results are.
  void PrintSummary(const ResultsDoc& doc, const std::string& results_path);

 private:
  void PrintHeader();

  std::ostream& out_;
  std::size_t id_width_;
  bool header_printed_ = false;
};

// One table row (without the newline), and the header; exposed for tests.
std::string FormatCaseRow(const CaseResult& result, std::size_t id_width);
std::string FormatTableHeader(std::size_t id_width);

}  // namespace gq
