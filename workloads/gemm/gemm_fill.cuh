#pragma once
// Seeded pseudo-random operand fill on the device (kernel in gemm_fill.cu).
//
// Fills out[0, count) with values uniform on (-1, 1) (odd multiples of 2^-24, or of 2^-52 for
// double; never exactly 0 before conversion), converted to T with round-to-nearest-even
// (saturating to finite for fp8). The values are a pure function of (seed, index), so the same
// seed gives the same data on any GPU and launch shape.
// T is one of float, double, __nv_bfloat16, __half, __nv_fp8_e4m3.
#include <cuda_runtime.h>

#include <cstdint>

namespace gq {

template <typename T>
void FillUniform(T* out, int64_t count, uint64_t seed, cudaStream_t stream);

}  // namespace gq
