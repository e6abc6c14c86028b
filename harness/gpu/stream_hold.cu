// The stream hold (contract in stream_hold.cuh): one kernel, one thread, spinning on a flag in
// mapped host memory with a GPU-time limit read from %globaltimer (nanoseconds).
#include "harness/gpu/stream_hold.cuh"

#include "harness/gpu/cuda_check.h"

namespace gq {
namespace {

__device__ __forceinline__ uint64_t GlobalTimerNs() {
  uint64_t t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

// Spins until flags->release != 0 or timeout_ns have passed; on timeout sets flags->timed_out.
// `volatile` makes every poll a fresh read of host memory.
__global__ void hold_stream_kernel(volatile int* release, volatile int* timed_out, uint64_t timeout_ns) {
  const uint64_t start = GlobalTimerNs();
  while (*release == 0) {
    if (GlobalTimerNs() - start > timeout_ns) {
      *timed_out = 1;
      break;
    }
  }
}

}  // namespace

StreamHold::StreamHold(int device, uint64_t timeout_ns) : device_(device), timeout_ns_(timeout_ns) {
  GQ_CUDA_CHECK(cudaSetDevice(device_));
  flags_ = PinnedHost::Allocate(sizeof(Flags));
  host_ = static_cast<volatile Flags*>(flags_.host());
  host_->release = 1;  // nothing held
  host_->timed_out = 0;
  device_flags_ = static_cast<Flags*>(flags_.device_ptr());
}

StreamHold::~StreamHold() {
  Release();
  // A kernel may still poll the flags: wait for this device's work before freeing them.
  cudaSetDevice(device_);
  cudaDeviceSynchronize();
}  // then flags_ frees them

void StreamHold::Hold(cudaStream_t stream) {
  host_->release = 0;
  host_->timed_out = 0;
  GQ_CUDA_CHECK(cudaSetDevice(device_));
  hold_stream_kernel<<<1, 1, 0, stream>>>(&device_flags_->release, &device_flags_->timed_out, timeout_ns_);
  const cudaError_t status = cudaGetLastError();
  if (status != cudaSuccess) {
    host_->release = 1;
    GQ_CUDA_CHECK(status);
  }
}

void StreamHold::Release() {
  if (host_ != nullptr) host_->release = 1;
}

bool StreamHold::TimedOut() const { return host_ != nullptr && host_->timed_out != 0; }

}  // namespace gq
