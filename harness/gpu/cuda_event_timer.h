#pragma once
// The CUDA Timer (harness/device.h): CUDA events recorded on the case's stream around a batch of
// iterations (DESIGN.md §5), with the stream held behind a spinning kernel while the batch is
// enqueued (harness/gpu/stream_hold.cuh), so a sample times the GPU running the batch back to back
// and not the host's launch latency.
//
//   Start()        [hold the stream, from the second batch on: the first may load kernels lazily,
//                  which can wait for the held context]; record the start event
//   StopSeconds()  record the stop event; release the hold; wait for the stop event;
//                  return the elapsed time between the events
// Remaining overhead of a held sample: the two event records around the batch (about the cost of
// an empty sample; the GPU test CudaEventTimerTest prints it). When the hold times out (the batch
// did not fit the launch queue, or the host took longer than hold_timeout_s to enqueue it), later
// samples of this timer are not held, and Note() says so: those samples include launch gaps.
// Host-only header (no CUDA types); defined in cuda_event_timer.cu, built with the CUDA backend.
#include <memory>

#include "harness/device.h"

namespace gq {

// Hold timeout used by the runner's timers: far above the time to enqueue a ~1 ms batch.
inline constexpr double kStreamHoldTimeoutS = 0.05;

// `stream` is a cudaStream_t of `device`. hold_timeout_s <= 0: never hold the stream (the plain
// event timer, for comparison in tests).
std::unique_ptr<Timer> MakeCudaEventTimer(int device, void* stream, double hold_timeout_s = kStreamHoldTimeoutS);

}  // namespace gq
