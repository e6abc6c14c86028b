// The CUDA DeviceContext: one non-blocking stream on one device, and timers made of CUDA events
// recorded on that stream with the stream held while a batch is enqueued (cuda_event_timer.h).
// A group context (several GPUs, one case: the collectives) keeps its stream and timers on the
// group's first GPU; the case joins the other GPUs' work into that stream.
//
// Several contexts (one per GPU) may live in one process and share the thread's current device,
// so every method that touches the device first makes its device current (cudaSetDevice is a
// host-side setting; it does not synchronise). Timers must not outlive the context that made them.
#include <cuda_runtime.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "harness/device.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_event_timer.h"
#include "harness/gpu/cuda_resources.cuh"

namespace gq {
namespace {

class CudaContext final : public DeviceContext {
 public:
  CudaContext(int index, int count) {
    device_.kind = DeviceRef::Kind::kCuda;
    device_.index = index;
    device_.count = count;
    GQ_CUDA_CHECK(cudaSetDevice(index));
    stream_ = MakeStream(index);
  }
  CudaContext(const CudaContext&) = delete;
  CudaContext& operator=(const CudaContext&) = delete;

  ~CudaContext() override {
    // Finish outstanding work before the stream goes; errors are ignored (no throwing here).
    cudaSetDevice(device_.index);
    cudaStreamSynchronize(stream_.get());
  }

  const DeviceRef& device() const override { return device_; }
  void* stream() override { return stream_.get(); }

  std::unique_ptr<Timer> MakeTimer() override {
    return MakeCudaEventTimer(device_.index, stream_.get());
  }

  void Synchronize() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_.index));
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
  }

 private:
  DeviceRef device_;
  CudaStream stream_;
};

}  // namespace

int CudaDeviceCount() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    // No driver or no device: clear the error so later runtime calls do not report it.
    cudaGetLastError();
    return 0;
  }
  return count;
}

std::unique_ptr<DeviceContext> MakeCudaContext(int index) {
  const int count = CudaDeviceCount();
  if (index < 0 || index >= count) {
    throw std::runtime_error("cuda:" + std::to_string(index) + " does not exist (" +
                             std::to_string(count) + " CUDA device(s) visible)");
  }
  return std::make_unique<CudaContext>(index, 1);
}

std::unique_ptr<DeviceContext> MakeCudaGroupContext(int first, int count) {
  const int visible = CudaDeviceCount();
  if (first < 0 || count < 1 || first + count > visible) {
    throw std::runtime_error("cuda:" + std::to_string(first) + "-" +
                             std::to_string(first + count - 1) + " does not exist (" +
                             std::to_string(visible) + " CUDA device(s) visible)");
  }
  return std::make_unique<CudaContext>(first, count);
}

}  // namespace gq
