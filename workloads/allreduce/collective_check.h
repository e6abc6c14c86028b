#pragma once
// Host side of the collective data check (values and rules in collective_values.h): filling a
// rank's inputs, and counting the output elements that differ from their exact expected value.
// Pure host code; the NCCL backend runs the same formulas in its own kernels
// (collective_kernels.cu) and reports through WrongElements as well.
#include <cstdint>
#include <string>

#include "harness/system/comm_types.h"
#include "harness/workload.h"
#include "workloads/allreduce/collective_values.h"

namespace gq {

// Wrong elements of one output region (or several merged).
struct WrongElements {
  int64_t checked = 0;
  int64_t wrong = 0;
  int64_t first_wrong = -1;      // index in the output region, -1 when none
  double got = 0, expected = 0;  // at first_wrong
  // max over wrong elements of |got - expected| / max(1, |expected|); +inf for a NaN or
  // infinity; 0 when none is wrong.
  double max_rel_err = 0;
};

// out[k] = InputValue(p, rank, k) in `dtype`, for k in [0, n). Exact (small integers).
void FillInputsHost(Dtype dtype, const ValuePattern& p, int64_t rank, void* out, int64_t n);

// Element k of a buffer of `dtype`, as a double (exact for every value the checks use).
double DecodeElement(Dtype dtype, const void* data, int64_t k);

// Compares out[0, n) with ExpectedOutput(s, offset + k): exact equality, a NaN never equal.
WrongElements CountWrongElements(const CheckSpec& s, const void* out, int64_t n,
                                 int64_t offset = 0);

// Relative error of one element as CountWrongElements measures it.
double ElementRelError(double got, double expected);

// Sums counts, keeps the earliest first wrong element (by `checked` order) and the worst error.
void MergeWrongElements(WrongElements& into, const WrongElements& more);

// passed = no wrong element; tolerance 0 (exact); detail names what was checked (`what`, e.g.
// "rank 1 output"), the count of wrong elements and the first one.
VerifyResult ToVerifyResult(const WrongElements& w, const std::string& what);

}  // namespace gq
