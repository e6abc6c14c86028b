// The CUDA resource owners (contract in cuda_resources.cuh). No kernels here.
#include <cstdio>

#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"

namespace gq {

int CurrentDevice() {
  int device = 0;
  GQ_CUDA_CHECK(cudaGetDevice(&device));
  return device;
}

ScopedDevice::ScopedDevice(int device) noexcept {
  int current = -1;
  if (cudaGetDevice(&current) != cudaSuccess) {
    cudaGetLastError();  // not sticky: clear it
    current = -1;
  }
  if (current == device) return;
  status_ = cudaSetDevice(device);
  if (status_ != cudaSuccess) {
    cudaGetLastError();
    return;
  }
  previous_ = current;
}

ScopedDevice::~ScopedDevice() {
  if (previous_ >= 0) cudaSetDevice(previous_);
}

CudaStream MakeStream(int device) {
  ScopedDevice on(device);
  GQ_CUDA_CHECK(on.status());
  cudaStream_t stream = nullptr;
  GQ_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  return CudaStream(device, stream);
}

CudaEvent MakeSyncEvent(int device) {
  ScopedDevice on(device);
  GQ_CUDA_CHECK(on.status());
  cudaEvent_t event = nullptr;
  GQ_CUDA_CHECK(cudaEventCreateWithFlags(&event, cudaEventDisableTiming));
  return CudaEvent(device, event);
}

CudaEvent MakeTimingEvent(int device) {
  ScopedDevice on(device);
  GQ_CUDA_CHECK(on.status());
  cudaEvent_t event = nullptr;
  GQ_CUDA_CHECK(cudaEventCreate(&event));
  return CudaEvent(device, event);
}

float WaitElapsedMs(cudaEvent_t start, cudaEvent_t stop) {
  GQ_CUDA_CHECK(cudaEventSynchronize(stop));
  float ms = 0;
  GQ_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
  return ms;
}

DeviceBuffer DeviceBuffer::Allocate(size_t bytes) {
  DeviceBuffer buffer;
  if (bytes == 0) return buffer;
  const int device = CurrentDevice();
  void* ptr = nullptr;
  const cudaError_t status = cudaMalloc(&ptr, bytes);
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();  // not sticky: clear it so later calls do not report it
    char text[112];
    std::snprintf(text, sizeof(text),
                  "cudaMalloc of %.2f GiB on cuda:%d failed: out of device memory",
                  bytes / double(1ull << 30), device);
    throw CaseSkipped(text);
  }
  GQ_CUDA_CHECK(status);
  buffer.memory_ = CudaHandle<void*, cudaFree>(device, ptr);
  buffer.bytes_ = bytes;
  return buffer;
}

PinnedHost& PinnedHost::operator=(PinnedHost&& other) noexcept {
  if (this != &other) {
    Reset();
    host_ = std::exchange(other.host_, nullptr);
    device_ptr_ = std::exchange(other.device_ptr_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
    allocated_ = other.allocated_;
  }
  return *this;
}

PinnedHost PinnedHost::Allocate(size_t bytes) {
  PinnedHost pinned;
  GQ_CUDA_CHECK(cudaHostAlloc(&pinned.host_, bytes, cudaHostAllocMapped | cudaHostAllocPortable));
  pinned.allocated_ = true;
  pinned.bytes_ = bytes;
  GQ_CUDA_CHECK(cudaHostGetDevicePointer(&pinned.device_ptr_, pinned.host_, 0));  // else freed
  return pinned;
}

PinnedHost PinnedHost::Register(void* data, size_t bytes) {
  PinnedHost pinned;
  GQ_CUDA_CHECK(cudaHostRegister(data, bytes, cudaHostRegisterMapped | cudaHostRegisterPortable));
  pinned.host_ = data;
  pinned.allocated_ = false;
  pinned.bytes_ = bytes;
  GQ_CUDA_CHECK(cudaHostGetDevicePointer(&pinned.device_ptr_, data, 0));  // else unregistered
  return pinned;
}

void PinnedHost::Reset() noexcept {
  if (host_ != nullptr) {
    if (allocated_) {
      cudaFreeHost(host_);
    } else {
      cudaHostUnregister(host_);
    }
    (void)cudaGetLastError();  // an ignored failure is not left for a later check
  }
  host_ = nullptr;
  device_ptr_ = nullptr;
  bytes_ = 0;
}

}  // namespace gq
