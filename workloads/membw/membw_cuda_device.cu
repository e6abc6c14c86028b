// Device-memory ops of the membw CUDA backend: copy, read, write, triad (SM kernels from
// membw_kernels.cu) and copy_ce (cudaMemcpyAsync device to device, run by the copy engines).
//
// Rotation (DESIGN.md §5): when the arrays of one case take less than kL2Multiple x the L2 size,
// each array is a pool of `slots` copies (together >= kL2Multiple x L2) and consecutive runs use
// consecutive slots, so a small size still streams from device memory rather than L2. Every slot
// has its own data (ArraySeed), so Verify, which checks the slot the last Run used, also catches a
// run that touched the wrong slot. Destinations start as kSentinelByte bytes.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/byte_text.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/membw/membw_cuda.h"
#include "workloads/membw/membw_cuda_cases.cuh"
#include "workloads/membw/membw_kernels.cuh"
#include "workloads/membw/membw_pattern.h"
#include "workloads/membw/membw_verify.h"

namespace gq {
namespace {

constexpr double kL2Multiple = 3.0;
constexpr double kUsableFreeFraction = 0.9;

MembwKernel KernelFor(MembwOp op) {
  switch (op) {
    case MembwOp::kRead:
      return MembwKernel::kRead;
    case MembwOp::kWrite:
      return MembwKernel::kWrite;
    case MembwOp::kTriad:
      return MembwKernel::kTriad;
    default:
      return MembwKernel::kCopy;
  }
}

class MembwDeviceCase final : public PreparedCase {
 public:
  MembwDeviceCase(const MembwProblem& problem, int device, cudaStream_t stream)
      : p_(problem), device_(device), stream_(stream), n_(problem.size / kMembwVectorBytes) {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    int l2_bytes = 0;
    GQ_CUDA_CHECK(cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device_));
    const int arrays = MembwDeviceArrays(p_.op);
    const double set_bytes = static_cast<double>(arrays) * static_cast<double>(p_.size);
    slots_ = static_cast<int64_t>(std::max(1.0, std::ceil(kL2Multiple * l2_bytes / set_bytes)));
    launch_ = PlanMembwLaunch(KernelFor(p_.op), device_, n_);
    CheckDeviceMemory(static_cast<double>(slots_) * set_bytes + 8.0 * launch_.blocks);
    for (int i = 0; i < arrays; ++i) {
      arrays_.push_back(DeviceBuffer::Allocate(static_cast<size_t>(slots_ * p_.size)));
    }
    if (p_.op == MembwOp::kRead) {
      partials_ = DeviceBuffer::Allocate(sizeof(unsigned long long) * launch_.blocks);
    }
    Fill();
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  ~MembwDeviceCase() override {
    cudaSetDevice(device_);
    cudaStreamSynchronize(stream_);
  }

  // Precondition: the case's device is current (as the runner's timers and Verify make it).
  void Run(void* stream) override {
    const int64_t slot = next_;
    next_ = (next_ + 1) % slots_;
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    switch (p_.op) {
      case MembwOp::kCopy:
        LaunchCopy(Slot(1, slot), Slot(0, slot), n_, launch_, s);
        break;
      case MembwOp::kCopyCe:
        GQ_CUDA_CHECK(cudaMemcpyAsync(Slot(1, slot), Slot(0, slot), static_cast<size_t>(p_.size),
                                      cudaMemcpyDeviceToDevice, s));
        break;
      case MembwOp::kRead:
        LaunchRead(Slot(0, slot), n_, partials_.as<unsigned long long>(), launch_, s);
        break;
      case MembwOp::kWrite:
        LaunchWrite(Slot(0, slot), n_, WriteKey(ArraySeed(p_.seed, slot, 2)), launch_, s);
        break;
      case MembwOp::kTriad:
        LaunchTriad(static_cast<float*>(Slot(0, slot)), static_cast<const float*>(Slot(1, slot)),
                    static_cast<const float*>(Slot(2, slot)), kTriadScalar, n_, launch_, s);
        break;
      default:
        throw std::logic_error("membw: not a device-memory op");
    }
    last_ = slot;
  }

  Work GetWork() const override { return MembwWork(p_); }

  VerifyResult Verify() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    if (!last_) Run(stream_);
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    const uint64_t slot = static_cast<uint64_t>(*last_);
    const int64_t words = p_.size / 4;
    switch (p_.op) {
      case MembwOp::kCopy:
      case MembwOp::kCopyCe:
        return CheckSourceWords(ToHost<uint32_t>(Slot(1, *last_)).data(), words,
                                ArraySeed(p_.seed, slot, 0));
      case MembwOp::kRead: {
        std::vector<unsigned long long> partial(static_cast<size_t>(launch_.blocks));
        GQ_CUDA_CHECK(cudaMemcpy(partial.data(), partials_.get(),
                                 partial.size() * sizeof(unsigned long long),
                                 cudaMemcpyDeviceToHost));
        uint64_t total = 0;
        for (unsigned long long v : partial) total += v;
        return CheckReadSum(total, words, ArraySeed(p_.seed, slot, 0));
      }
      case MembwOp::kWrite:
        return CheckWrittenWords(ToHost<uint32_t>(Slot(0, *last_)).data(), words,
                                 WriteKey(ArraySeed(p_.seed, slot, 2)));
      case MembwOp::kTriad:
        return CheckTriad(ToHost<float>(Slot(0, *last_)).data(), words, ArraySeed(p_.seed, slot, 0),
                          ArraySeed(p_.seed, slot, 1));
      default:
        break;
    }
    throw std::logic_error("membw: not a device-memory op");
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d;
    d["bytes_counted"] = "read + written (BabelStream)";
    d["buffers"] = std::to_string(slots_);
    if (p_.op == MembwOp::kCopyCe) {
      d["engine"] = "copy engine (cudaMemcpyAsync device to device)";
    } else {
      const char* names[] = {"copy_kernel", "copy_pair_kernel", "read_kernel", "write_kernel",
                             "triad_kernel"};
      d["engine"] = std::string("SM kernel ") + names[static_cast<int>(KernelFor(p_.op))] +
                    " (16-byte vectors)";
      d["grid"] = std::to_string(launch_.blocks) + " x " + std::to_string(launch_.threads);
    }
    return d;
  }

 private:
  // Array `array` of rotation slot `slot`.
  void* Slot(int array, int64_t slot) const {
    return arrays_[static_cast<size_t>(array)].as<char>() + slot * p_.size;
  }

  // Sources get their slot's pattern; destinations the sentinel. Array roles: copy/copy_ce
  // 0 = src, 1 = dst; read 0 = src; write 0 = dst; triad 0 = a, 1 = b, 2 = c.
  void Fill() {
    const int64_t words = p_.size / 4;
    const int64_t total = words * slots_;
    switch (p_.op) {
      case MembwOp::kCopy:
      case MembwOp::kCopyCe:
      case MembwOp::kRead:
        FillSourceSlots(arrays_[0].as<uint32_t>(), total, words, p_.seed, 0, stream_);
        break;
      case MembwOp::kTriad:
        FillTriadSlots(arrays_[1].as<float>(), total, words, p_.seed, 0, stream_);
        FillTriadSlots(arrays_[2].as<float>(), total, words, p_.seed, 1, stream_);
        break;
      default:
        break;
    }
    const int dst = (p_.op == MembwOp::kCopy || p_.op == MembwOp::kCopyCe) ? 1 : 0;
    if (p_.op != MembwOp::kRead) {
      GQ_CUDA_CHECK(
          cudaMemsetAsync(arrays_[dst].get(), kSentinelByte, arrays_[dst].bytes(), stream_));
    }
  }

  template <typename T>
  std::vector<T> ToHost(const void* device_ptr) const {
    std::vector<T> host(static_cast<size_t>(p_.size) / sizeof(T));
    GQ_CUDA_CHECK(
        cudaMemcpy(host.data(), device_ptr, static_cast<size_t>(p_.size), cudaMemcpyDeviceToHost));
    return host;
  }

  MembwProblem p_;
  int device_;
  cudaStream_t stream_;
  int64_t n_;  // 16-byte vectors per array
  int64_t slots_ = 1;
  MembwLaunch launch_;
  std::vector<DeviceBuffer> arrays_;  // each holds slots_ copies of `size` bytes
  DeviceBuffer partials_;             // read: one 64-bit total per block
  int64_t next_ = 0;
  std::optional<int64_t> last_;  // the slot the last Run used
};

}  // namespace

void CheckDeviceMemory(double bytes) {
  size_t free_bytes = 0, total_bytes = 0;
  GQ_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  if (bytes > kUsableFreeFraction * static_cast<double>(free_bytes)) {
    throw CaseSkipped("needs " + GiBText(bytes) + " of device memory, " + GiBText(double(free_bytes)) +
                      " free");
  }
}

std::unique_ptr<PreparedCase> PrepareMembwDeviceOp(const MembwProblem& problem, int device,
                                                   cudaStream_t stream) {
  return std::make_unique<MembwDeviceCase>(problem, device, stream);
}

std::unique_ptr<PreparedCase> PrepareMembwCuda(const MembwProblem& problem, DeviceContext& ctx) {
  if (!ctx.device().IsCuda()) throw std::invalid_argument("PrepareMembwCuda: not a CUDA context");
  const int device = ctx.device().index;
  cudaStream_t stream = static_cast<cudaStream_t>(ctx.stream());
  if (IsDeviceMemoryOp(problem.op)) return PrepareMembwDeviceOp(problem, device, stream);
  if (IsPeerOp(problem.op)) return PrepareMembwPeer(problem, device, stream);
  return PrepareMembwHostTransfer(problem, device, stream);
}

}  // namespace gq
