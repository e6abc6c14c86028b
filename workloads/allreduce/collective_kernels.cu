// Kernels of the collective workloads' NCCL backend (contract in collective_kernels.cuh).
//
// fill_collective_kernel:  out[k] = T(f(rank, k)),  f = InputValue of collective_values.h
// count_wrong_kernel:      for each k: got = double(out[k]), want = ExpectedOutput(s, k);
//                          when got != want (always for NaN): count it, keep the smallest k and
//                          the largest relative error; one atomic update per thread at the end.
// Both are one thread per element in a grid-stride loop over the flat index k: the buffers are
// plain arrays, and f depends only on (rank, k).
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "harness/gpu/cuda_check.h"
#include "workloads/allreduce/collective_kernels.cuh"

namespace gq {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kMaxBlocks = 65535;

template <typename T>
__device__ __forceinline__ T FromInteger(int64_t v) {
  if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    return __float2bfloat16_rn(static_cast<float>(v));
  } else if constexpr (std::is_same_v<T, __half>) {
    return __float2half_rn(static_cast<float>(v));
  } else {
    return static_cast<T>(v);  // float, double, and integers in range
  }
}

template <typename T>
__device__ __forceinline__ double ToDouble(T v) {
  if constexpr (std::is_same_v<T, __nv_bfloat16>) {
    return static_cast<double>(__bfloat162float(v));
  } else if constexpr (std::is_same_v<T, __half>) {
    return static_cast<double>(__half2float(v));
  } else {
    return static_cast<double>(v);
  }
}

template <typename T>
__global__ void fill_collective_kernel(T* __restrict__ out, int64_t n, ValuePattern p,
                                       int64_t rank) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t k = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; k < n;
       k += stride) {
    out[k] = FromInteger<T>(InputValue(p, rank, k));
  }
}

template <typename T>
__global__ void count_wrong_kernel(const T* __restrict__ out, int64_t n, CheckSpec s,
                                   DeviceWrongTally* tally) {
  unsigned long long wrong = 0;
  unsigned long long first = ~0ull;
  float worst = 0.0f;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t k = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; k < n;
       k += stride) {
    const double got = ToDouble(out[k]);
    const double want = static_cast<double>(ExpectedOutput(s, k));
    if (got == want) continue;
    ++wrong;
    if (first == ~0ull)
      first = static_cast<unsigned long long>(k);  // k grows: the first is smallest
    double err = fabs(got - want) / fmax(1.0, fabs(want));
    if (!isfinite(err)) err = INFINITY;
    worst = fmaxf(worst, static_cast<float>(err));
  }
  if (wrong == 0) return;
  atomicAdd(&tally->wrong, wrong);
  atomicMin(&tally->first_wrong, first);
  atomicMax(&tally->max_rel_err_bits, __float_as_uint(worst));
}

int Blocks(int64_t n) {
  const int64_t needed = (n + kThreads - 1) / kThreads;
  return static_cast<int>(needed < kMaxBlocks ? needed : kMaxBlocks);
}

template <typename T>
void LaunchFill(void* out, int64_t n, const ValuePattern& p, int64_t rank, cudaStream_t stream) {
  fill_collective_kernel<T><<<Blocks(n), kThreads, 0, stream>>>(static_cast<T*>(out), n, p, rank);
  GQ_CUDA_CHECK_LAUNCH();
}

template <typename T>
void LaunchCount(const void* out, int64_t n, const CheckSpec& s, DeviceWrongTally* tally,
                 cudaStream_t stream) {
  count_wrong_kernel<T>
      <<<Blocks(n), kThreads, 0, stream>>>(static_cast<const T*>(out), n, s, tally);
  GQ_CUDA_CHECK_LAUNCH();
}

// Calls F<T>(args...) with T the device type of `dtype`.
template <template <typename> class F, typename... Args>
void Dispatch(Dtype dtype, Args&&... args) {
  switch (dtype) {
    case Dtype::kFp32:
      return F<float>::Call(args...);
    case Dtype::kFp64:
      return F<double>::Call(args...);
    case Dtype::kBf16:
      return F<__nv_bfloat16>::Call(args...);
    case Dtype::kFp16:
      return F<__half>::Call(args...);
    case Dtype::kInt32:
      return F<int32_t>::Call(args...);
    case Dtype::kInt64:
      return F<int64_t>::Call(args...);
    case Dtype::kInt8:
      return F<int8_t>::Call(args...);
    case Dtype::kUint8:
      return F<uint8_t>::Call(args...);
    default:
      break;
  }
  throw std::invalid_argument(std::string("collectives take no ") + DtypeName(dtype));
}

template <typename T>
struct FillOp {
  static void Call(void* out, int64_t n, const ValuePattern& p, int64_t rank, cudaStream_t stream) {
    LaunchFill<T>(out, n, p, rank, stream);
  }
};

template <typename T>
struct CountOp {
  static void Call(const void* out, int64_t n, const CheckSpec& s, DeviceWrongTally* tally,
                   cudaStream_t stream) {
    LaunchCount<T>(out, n, s, tally, stream);
  }
};

}  // namespace

void FillCollectiveInputs(Dtype dtype, const ValuePattern& p, int64_t rank, void* out,
                          int64_t n, cudaStream_t stream) {
  if (n < 0) throw std::invalid_argument("FillCollectiveInputs: negative count");
  if (n == 0) return;
  if (out == nullptr) throw std::invalid_argument("FillCollectiveInputs: null output");
  Dispatch<FillOp>(dtype, out, n, p, rank, stream);
}

WrongElements CheckOutputOnDevice(const CheckSpec& s, const void* out, int64_t n,
                                  DeviceWrongTally* tally, cudaStream_t stream) {
  if (n < 0) throw std::invalid_argument("CheckOutputOnDevice: negative count");
  const DeviceWrongTally clean{0, ~0ull, 0u};
  GQ_CUDA_CHECK(cudaMemcpyAsync(tally, &clean, sizeof(clean), cudaMemcpyHostToDevice, stream));
  if (n > 0) Dispatch<CountOp>(s.dtype, out, n, s, tally, stream);
  DeviceWrongTally host{};
  GQ_CUDA_CHECK(cudaMemcpyAsync(&host, tally, sizeof(host), cudaMemcpyDeviceToHost, stream));
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream));  // also keeps `clean` alive long enough
  WrongElements w;
  w.checked = n;
  w.wrong = static_cast<int64_t>(host.wrong);
  if (w.wrong == 0) return w;
  w.first_wrong = static_cast<int64_t>(host.first_wrong);
  float worst = 0;
  std::memcpy(&worst, &host.max_rel_err_bits, sizeof(worst));
  w.max_rel_err = worst;
  const size_t elem = DtypeBytes(s.dtype);
  uint64_t raw = 0;  // the first wrong element's bytes (elem <= 8)
  GQ_CUDA_CHECK(cudaMemcpyAsync(&raw, static_cast<const char*>(out) + w.first_wrong * elem, elem,
                                cudaMemcpyDeviceToHost, stream));
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream));
  w.got = DecodeElement(s.dtype, &raw, 0);
  w.expected = static_cast<double>(ExpectedOutput(s, w.first_wrong));
  return w;
}

}  // namespace gq
