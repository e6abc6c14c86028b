#pragma once
// One machine's data for BuildProcurement (rules in procurement.h), gathered from its runs, and
// the figures that need no other machine: its price, verdict, GPU count, TFLOP/s per $/h and
// $/Mtok of the named scenario. Internal to harness/decide/procurement*.cc.
#include <map>
#include <string>
#include <vector>

#include "harness/decide/procurement.h"

namespace gq {

// One case on one machine: per run index the median over that run's devices, and every
// replicate value (run, device, round) in the primary metric's units.
struct ProcurementCase {
  bool higher_is_better = true;
  std::string workload;
  std::string metric;  // the case's figure (harness/case_figure.h), the same in every run
  Work work;           // of its first run; a collective's bus factor follows its rank count
  std::string mixed_setup;  // why its runs are not comparable (RankSetupMismatch), else ""
  std::map<std::size_t, double> run_values;
  std::vector<double> replicates;
  double Value() const;  // geometric mean of run_values: the machine's figure for the case
};

struct ProcurementMachine {
  MachineFigures f;  // machine, provider, instance_type and region set by the caller
  std::vector<const ResultsDoc*> runs;
  std::map<std::string, ProcurementCase> cases;  // measured cases (ok or noisy), by id
};

// 0 not qualified, 1 PASS, 2 WARN, 3 INCOMPLETE, 4 FAIL.
int VerdictSeverity(const std::string& verdict);

// Fills the GPU count, SKU, worst verdict and its FAIL/INCOMPLETE reasons, the price (and its
// region and GPU count when the entry names them) and `cases` from m.runs.
void CollectMachine(ProcurementMachine& m, const PriceList* prices);

// TFLOP/s per $/h (the geometric mean over the cases `over` names that have a compute-rate
// metric: the cases every ranked machine shares, so the machines' figures are of one case set)
// and $/Mtok of the scenario with its note; needs the price from CollectMachine.
void MachineCostFigures(ProcurementMachine& m, const std::vector<std::string>& over, const ProcurementOptions& o);

}  // namespace gq
