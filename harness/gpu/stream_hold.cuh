#pragma once
// Holds a CUDA stream while the host enqueues a batch of work behind it, so that a timed sample
// starts with the whole batch already queued (nvbench's "blocking kernel"): without it the start
// event fires on an idle stream and the sample includes the launch latency of its first
// iteration, and of every later one where the host enqueues slower than the GPU runs.
//
//   Hold(stream)   launches hold_stream_kernel (one thread) on `stream`: it spins on a flag in
//                  mapped host memory until Release() sets it, or until `timeout_ns` of GPU time
//                  have passed (then it records that it timed out and returns).
//   Release()      sets the flag (host store; the kernel sees it through PCIe/C2C).
//   TimedOut()     after the stream has passed the kernel: whether it ended by timeout.
// The timeout is what keeps a batch that does not fit the launch queue from deadlocking: the
// host then blocks in a launch, the kernel gives up, the queue drains and the host goes on.
// Include only from .cu files.
#include <cuda_runtime.h>

#include <cstdint>

#include "harness/gpu/cuda_resources.cuh"

namespace gq {

class StreamHold {
 public:
  // Allocates the flags (pinned, mapped, portable) on `device`. Throws on CUDA errors.
  StreamHold(int device, uint64_t timeout_ns);
  ~StreamHold();  // releases a held stream first; errors ignored
  StreamHold(const StreamHold&) = delete;
  StreamHold& operator=(const StreamHold&) = delete;

  // Clears the flags and launches the hold kernel on `stream` (of this hold's device).
  void Hold(cudaStream_t stream);
  void Release();
  bool TimedOut() const;
  uint64_t timeout_ns() const { return timeout_ns_; }

 private:
  struct Flags {
    int release;
    int timed_out;
  };
  int device_;
  uint64_t timeout_ns_;
  PinnedHost flags_;
  volatile Flags* host_ = nullptr;  // host view of the mapped flags
  Flags* device_flags_ = nullptr;   // device view
};

}  // namespace gq
