#pragma once
// Small owning wrappers used by the host-callable test runs (e2e_kernels_host.cu, the graph
// check), over harness/gpu/cuda_resources.cuh: a non-blocking stream on cuda:0 and a typed device
// array, plus copies to and from host vectors. An empty array holds a null pointer (an absent
// optional operand). Every copy is issued on the given stream (never on the legacy default
// stream, so ordering is the stream's and a capture on another stream is not disturbed) and
// synchronises it before returning.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <vector>

#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"

namespace gq::e2e_internal {

// A non-blocking stream on cuda:0, which it makes current (the arrays below are allocated there).
class Stream {
 public:
  Stream() {
    GQ_CUDA_CHECK(cudaSetDevice(0));
    stream_ = MakeStream(0);
  }
  cudaStream_t get() const { return stream_.get(); }

 private:
  CudaStream stream_;
};

// n elements of T on the current device (n = 0: a null pointer).
template <typename T>
class DeviceArray {
 public:
  explicit DeviceArray(size_t n) : buffer_(DeviceBuffer::Allocate(n * sizeof(T))), n_(n) {}
  T* get() const { return buffer_.as<T>(); }
  size_t size() const { return n_; }

 private:
  DeviceBuffer buffer_;
  size_t n_ = 0;
};

// host -> d (host.size() elements), and n elements at d -> a new host vector.
template <typename T>
void CopyIn(const DeviceArray<T>& d, const std::vector<T>& host, cudaStream_t stream) {
  if (host.empty()) return;
  GQ_CUDA_CHECK(cudaMemcpyAsync(d.get(), host.data(), host.size() * sizeof(T),
                                cudaMemcpyHostToDevice, stream));
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream));
}

template <typename T>
std::vector<T> CopyOut(const T* d, size_t n, cudaStream_t stream) {
  std::vector<T> host(n);
  if (n > 0) {
    GQ_CUDA_CHECK(cudaMemcpyAsync(host.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost, stream));
  }
  GQ_CUDA_CHECK(cudaStreamSynchronize(stream));
  return host;
}

template <typename T>
DeviceArray<T> Upload(const std::vector<T>& host, cudaStream_t stream) {
  DeviceArray<T> d(host.size());
  CopyIn(d, host, stream);
  return d;
}

inline DeviceArray<__nv_bfloat16> UploadBf16(const std::vector<float>& host, cudaStream_t stream) {
  std::vector<__nv_bfloat16> bits(host.size());
  for (size_t i = 0; i < host.size(); ++i) bits[i] = __float2bfloat16_rn(host[i]);
  return Upload(bits, stream);
}

// Synchronises `stream` (the work that made d) and returns d's content.
template <typename T>
std::vector<T> Download(const DeviceArray<T>& d, cudaStream_t stream) {
  return CopyOut(d.get(), d.size(), stream);
}

inline std::vector<float> Bf16ToFloat(const std::vector<__nv_bfloat16>& bits) {
  std::vector<float> host(bits.size());
  for (size_t i = 0; i < bits.size(); ++i) host[i] = __bfloat162float(bits[i]);
  return host;
}

inline std::vector<float> DownloadBf16(const DeviceArray<__nv_bfloat16>& d, cudaStream_t stream) {
  return Bf16ToFloat(Download(d, stream));
}

}  // namespace gq::e2e_internal
