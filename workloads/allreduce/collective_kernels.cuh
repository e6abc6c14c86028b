#pragma once
// Fill and check kernels of the collective workloads' NCCL backend (collective_kernels.cu): the
// same values and expected results as the host check, from collective_values.h.
#include <cuda_runtime.h>

#include <cstdint>

#include "workloads/allreduce/collective_check.h"
#include "workloads/allreduce/collective_values.h"

namespace gq {

// out[k] = InputValue(p, rank, k) converted to `dtype` (exact: small integers), k in [0, n).
void FillCollectiveInputs(Dtype dtype, const ValuePattern& p, int64_t rank, void* out,
                          int64_t n, cudaStream_t stream);

// Tally of wrong elements, in device memory.
struct DeviceWrongTally {
  unsigned long long wrong;        // elements differing from their expected value
  unsigned long long first_wrong;  // smallest such index; ~0ull when none
  unsigned int max_rel_err_bits;   // bits of the largest relative error as a float (>= 0 floats
                                   // order like their bit patterns, so atomicMax on bits works)
};

// Checks out[0, n) (elements of s.dtype) against ExpectedOutput(s, k) on the device, using
// `tally` (device memory) as scratch, and returns the summary with the first wrong element read
// back. Waits for `stream`.
WrongElements CheckOutputOnDevice(const CheckSpec& s, const void* out, int64_t n,
                                  DeviceWrongTally* tally, cudaStream_t stream);

}  // namespace gq
