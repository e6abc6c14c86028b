#pragma once
// Owners (RAII) of the CUDA objects membw cases hold besides device memory (DeviceBuffer comes
// from harness/gpu/device_buffer.cuh), and the per-case helpers both CUDA files share.
// Destructors release without throwing and ignore errors. Move-free: cases hold them in place.
#include <cuda_runtime.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "harness/gpu/cuda_check.h"
#include "harness/workload.h"
#include "workloads/membw/membw_problem.h"

namespace gq {

// A stream of the current device that does not synchronise with the legacy default stream.
class MembwStream {
 public:
  MembwStream() { GQ_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  MembwStream(const MembwStream&) = delete;
  MembwStream& operator=(const MembwStream&) = delete;
  ~MembwStream() { cudaStreamDestroy(stream_); }
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

// An event for ordering streams only (no timing: cheaper to record and wait on).
class MembwSyncEvent {
 public:
  MembwSyncEvent() { GQ_CUDA_CHECK(cudaEventCreateWithFlags(&event_, cudaEventDisableTiming)); }
  MembwSyncEvent(const MembwSyncEvent&) = delete;
  MembwSyncEvent& operator=(const MembwSyncEvent&) = delete;
  ~MembwSyncEvent() { cudaEventDestroy(event_); }
  cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_ = nullptr;
};

// Host memory page-locked with cudaHostRegister (mapped into the device address space and
// visible to every context), unregistered on destruction; the memory itself belongs to the
// caller and must outlive this object.
class HostRegistration {
 public:
  HostRegistration(void* data, size_t bytes) : data_(data) {
    GQ_CUDA_CHECK(cudaHostRegister(data, bytes, cudaHostRegisterMapped | cudaHostRegisterPortable));
    const cudaError_t status = cudaHostGetDevicePointer(&device_ptr_, data, 0);
    if (status != cudaSuccess) {
      cudaHostUnregister(data);
      GQ_CUDA_CHECK(status);
    }
  }
  HostRegistration(const HostRegistration&) = delete;
  HostRegistration& operator=(const HostRegistration&) = delete;
  ~HostRegistration() { cudaHostUnregister(data_); }
  void* device_ptr() const { return device_ptr_; }

 private:
  void* data_ = nullptr;
  void* device_ptr_ = nullptr;
};

// Throws CaseSkipped when `bytes` exceed 90% of the free memory of the current device.
void CheckDeviceMemory(double bytes);

// Device ops (copy, read, write, triad, copy_ce) on the context's device and stream.
std::unique_ptr<PreparedCase> PrepareMembwDeviceOp(const MembwProblem& problem, int device,
                                                   cudaStream_t stream);
// h2d, d2h, bidir with either engine (membw_cuda_transfer.cu).
std::unique_ptr<PreparedCase> PrepareMembwHostTransfer(const MembwProblem& problem, int device,
                                                       cudaStream_t stream);
// d2d_ce, d2d_sm to the next visible GPU (membw_cuda_peer.cu); skipped with one GPU.
std::unique_ptr<PreparedCase> PrepareMembwPeer(const MembwProblem& problem, int device,
                                               cudaStream_t stream);

}  // namespace gq
