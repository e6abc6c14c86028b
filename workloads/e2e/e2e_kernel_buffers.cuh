#pragma once
// Small owning wrappers used by the host-callable test runs (e2e_kernels_host.cu, the graph
// check): a non-blocking stream on cuda:0 and a device array, plus copies to and from host
// vectors. An empty array holds a null pointer (an absent optional operand). Every copy is
// issued on the given stream (never on the legacy default stream, so ordering is the stream's
// and a capture on another stream is not disturbed) and synchronises it before returning.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <vector>

#include "harness/gpu/cuda_check.h"

namespace gq::e2e_internal {

class Stream {
 public:
  Stream() {
    GQ_CUDA_CHECK(cudaSetDevice(0));
    GQ_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  }
  ~Stream() { cudaStreamDestroy(stream_); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

template <typename T>
class DeviceArray {
 public:
  explicit DeviceArray(size_t n) : n_(n) {
    if (n_ > 0) GQ_CUDA_CHECK(cudaMalloc(&p_, n_ * sizeof(T)));
  }
  ~DeviceArray() {
    if (p_ != nullptr) cudaFree(p_);
  }
  DeviceArray(DeviceArray&& other) noexcept : p_(other.p_), n_(other.n_) {
    other.p_ = nullptr;
    other.n_ = 0;
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray& operator=(DeviceArray&&) = delete;
  T* get() const { return p_; }
  size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
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
