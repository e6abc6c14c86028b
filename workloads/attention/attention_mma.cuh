#pragma once
// Warp-level tensor-core and async-copy primitives for the attention kernels (sm_80 and newer),
// as inline PTX (PTX ISA: "Warp-level matrix instructions: mma" and "ldmatrix", "cp.async").
//
// mma.sync.aligned.m16n8k16.row.col.f32.{bf16,f16}: D (16x8 f32) = A (16x16) * B (16x8) + C.
// With lane = 4 * g + t (g = lane / 4 "group", t = lane % 4 "thread in group"):
//   A, 4 x .b32 (2 elements each):  a0 = A[g][2t, 2t+1]    a1 = A[g+8][2t, 2t+1]
//                                   a2 = A[g][2t+8, 2t+9]  a3 = A[g+8][2t+8, 2t+9]
//   B, 2 x .b32:                    b0 = B[2t, 2t+1][g]     b1 = B[2t+8, 2t+9][g]
//   C/D, 4 x f32:                   c0, c1 = D[g][2t, 2t+1] c2, c3 = D[g+8][2t, 2t+1]
// ldmatrix.sync.aligned.m8n8.x4.shared.b16: lanes 8m .. 8m+7 give the row addresses (16 bytes
// each) of 8x8 matrix m; register m of lane (4g + t) receives row g, columns 2t, 2t+1 of matrix m.
// With .trans it receives rows 2t, 2t+1 of column g instead (the matrix transposed).
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>
#include <type_traits>

namespace gq::attention_mma {

__device__ __forceinline__ uint32_t SmemAddress(const void* pointer) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(pointer));
}

// 16-byte global -> shared copy that bypasses L1; with valid == false it writes 16 zero bytes
// and reads nothing (src-size 0), so `src` only has to be some valid address.
__device__ __forceinline__ void CpAsync16(uint32_t dst, const void* src, bool valid) {
  const int src_bytes = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src),
               "r"(src_bytes));
}
__device__ __forceinline__ void CpAsyncCommit() { asm volatile("cp.async.commit_group;\n" ::); }
// Waits until at most N committed groups of this thread are still in flight.
template <int N>
__device__ __forceinline__ void CpAsyncWait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}

__device__ __forceinline__ void Ldmatrix4(uint32_t address, uint32_t& r0, uint32_t& r1,
                                          uint32_t& r2, uint32_t& r3) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
               : "r"(address));
}
__device__ __forceinline__ void Ldmatrix4Trans(uint32_t address, uint32_t& r0, uint32_t& r1,
                                               uint32_t& r2, uint32_t& r3) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
               : "r"(address));
}

// d += A * B for one m16n8k16 tile, fp32 accumulate; T is __nv_bfloat16 or __half.
template <typename T>
__device__ __forceinline__ void Mma16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0,
                                         uint32_t b1) {
  if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, "
        "{%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
  } else {
    static_assert(std::is_same_v<T, __half>, "Mma16816: bf16 or fp16 operands");
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, "
        "{%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
  }
}

// Two floats rounded to nearest-even into one .b32 of T (lo in the low 16 bits, the element with
// the lower column index, as the mma fragments expect).
template <typename T>
__device__ __forceinline__ uint32_t PackFloat2(float lo, float hi) {
  uint32_t bits;
  if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    bits = *reinterpret_cast<const uint32_t*>(&v);
  } else {
    const __half2 v = __floats2half2_rn(lo, hi);
    bits = *reinterpret_cast<const uint32_t*>(&v);
  }
  return bits;
}

// Two elements of T (lo, hi halves of a .b32) as floats.
template <typename T>
__device__ __forceinline__ float2 UnpackFloat2(uint32_t bits) {
  if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    return __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162*>(&bits));
  } else {
    return __half22float2(*reinterpret_cast<const __half2*>(&bits));
  }
}

// 2^x (MUFU.EX2, ~2 ulp; 2^-inf = +0). Flushes subnormal results to 0.
__device__ __forceinline__ float Exp2(float x) {
  float y;
  asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
  return y;
}

}  // namespace gq::attention_mma
