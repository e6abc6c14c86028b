// The CUDA event timer with a held stream (contract in cuda_event_timer.h).
#include "harness/gpu/cuda_event_timer.h"

#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <string>

#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "harness/gpu/stream_hold.cuh"

namespace gq {
namespace {

class CudaEventTimer final : public Timer {
 public:
  CudaEventTimer(int device, cudaStream_t stream, double hold_timeout_s) : device_(device), stream_(stream) {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    start_ = MakeTimingEvent(device_);
    stop_ = MakeTimingEvent(device_);
    if (hold_timeout_s > 0) {
      hold_ = std::make_unique<StreamHold>(device_, static_cast<uint64_t>(hold_timeout_s * 1e9));
    }
  }
  CudaEventTimer(const CudaEventTimer&) = delete;
  CudaEventTimer& operator=(const CudaEventTimer&) = delete;

  ~CudaEventTimer() override {
    hold_.reset();  // releases a held stream and waits for it
  }  // then the events are released (errors ignored)

  void Start() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    // The first batch is never held: its launches may load kernels lazily (CUDA_MODULE_LOADING=
    // LAZY, the default), and loading can wait for the context to go idle, i.e. for the spin.
    holding_ = hold_ != nullptr && timeouts_ == 0 && samples_ > 0;
    if (holding_) hold_->Hold(stream_);
    const cudaError_t recorded = cudaEventRecord(start_.get(), stream_);
    if (recorded != cudaSuccess && holding_) {  // never leave the stream held
      hold_->Release();
      holding_ = false;
    }
    GQ_CUDA_CHECK(recorded);
  }

  double StopSeconds() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    const cudaError_t recorded = cudaEventRecord(stop_.get(), stream_);
    if (holding_) hold_->Release();  // even when the record failed: never leave the stream held
    GQ_CUDA_CHECK(recorded);
    const float ms = WaitElapsedMs(start_.get(), stop_.get());
    ++samples_;
    if (holding_ && hold_->TimedOut() && timeouts_++ == 0) timed_out_in_ = samples_;
    holding_ = false;
    return static_cast<double>(ms) * 1e-3;
  }

  std::string Note() const override {
    if (hold_ == nullptr) return "CUDA events on the case's stream (stream not held)";
    if (timeouts_ == 0) {
      return "CUDA events on the case's stream, held behind a spin kernel while each batch after the first "
             "(a warm-up batch) was enqueued";
    }
    return "CUDA events; the stream hold timed out after " + std::to_string(hold_->timeout_ns() / 1000000) +
           " ms in sample " + std::to_string(timed_out_in_) + " of " + std::to_string(samples_) +
           " (the batch did not fit the launch queue in time), so later samples were not held and "
           "include launch gaps";
  }

 private:
  int device_;
  cudaStream_t stream_;
  CudaEvent start_, stop_;
  std::unique_ptr<StreamHold> hold_;
  bool holding_ = false;
  int timeouts_ = 0;
  int64_t samples_ = 0;       // batches timed, warm-up included
  int64_t timed_out_in_ = 0;  // the batch whose hold timed out first
};

}  // namespace

std::unique_ptr<Timer> MakeCudaEventTimer(int device, void* stream, double hold_timeout_s) {
  return std::make_unique<CudaEventTimer>(device, static_cast<cudaStream_t>(stream), hold_timeout_s);
}

}  // namespace gq
