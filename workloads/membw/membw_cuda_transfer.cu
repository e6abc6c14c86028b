// Host<->device ops of the membw CUDA backend: h2d, d2h and bidir with either engine.
//
// Host buffers are anonymous memory (membw_host_memory.h) first touched and filled by a thread
// bound to the GPU's local CPUs (sysfs local_cpulist) when the process may run there, so they sit
// on the GPU's NUMA node unless the process is bound elsewhere (then the case says so:
// numa_mismatch); they are then page-locked and mapped with cudaHostRegister. Engines:
//   *_ce  cudaMemcpyAsync, run by the copy engines; bidir_ce issues the h2d copy on the case's
//         stream and the d2h copy on a second stream forked from and joined back to it with
//         events, so both directions overlap inside one timed Run
//   *_sm  copy_kernel (copy_pair_kernel for bidir: half the blocks per direction) reading or
//         writing the mapped host memory over the link
// Destinations start as kSentinelByte bytes; Verify checks every word of every destination
// against its source pattern (h2d source: array 0, d2h source on the device: array 1).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "harness/system/cuda_devices.h"
#include "harness/system/host_info.h"
#include "workloads/membw/membw_cuda_cases.cuh"
#include "workloads/membw/membw_host_link.h"
#include "workloads/membw/membw_host_memory.h"
#include "workloads/membw/membw_host_workers.h"
#include "workloads/membw/membw_kernels.cuh"
#include "workloads/membw/membw_pattern.h"
#include "workloads/membw/membw_verify.h"

namespace gq {
namespace {

// Joins two checks: passed when both pass, the larger error, both details.
VerifyResult Both(const VerifyResult& a, const VerifyResult& b) {
  VerifyResult r;
  r.passed = a.passed && b.passed;
  r.max_rel_err = std::max(a.max_rel_err, b.max_rel_err);
  r.tolerance = 0;
  r.detail = "h2d: " + a.detail + "; d2h: " + b.detail;
  return r;
}

std::vector<uint32_t> WordsToHost(const void* device_ptr, int64_t bytes) {
  std::vector<uint32_t> host(static_cast<size_t>(bytes) / 4);
  GQ_CUDA_CHECK(
      cudaMemcpy(host.data(), device_ptr, static_cast<size_t>(bytes), cudaMemcpyDeviceToHost));
  return host;
}

class MembwHostCase final : public PreparedCase {
 public:
  MembwHostCase(const MembwProblem& problem, int device, cudaStream_t stream)
      : p_(problem), device_(device), stream_(stream), n_(problem.size / kMembwVectorBytes) {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    const bool bidir = IsBidirectional(p_.op);
    h2d_ = bidir || p_.op == MembwOp::kH2dCe || p_.op == MembwOp::kH2dSm;
    d2h_ = bidir || p_.op == MembwOp::kD2hCe || p_.op == MembwOp::kD2hSm;
    link_ = ReadGpuHostLink(kSysfsRoot, DiscoverCudaDevices().at(device_).pci_bus_id);
    const double bytes = static_cast<double>(p_.size) * (bidir ? 2 : 1);
    CheckHostMemory(bytes);
    CheckDeviceMemory(bytes);
    PlaceHostBuffers();
    if (h2d_) {
      h2d_host_reg_ = PinnedHost::Register(h2d_host_.get(), h2d_host_.bytes());
      h2d_dev_ = DeviceBuffer::Allocate(static_cast<size_t>(p_.size));
      GQ_CUDA_CHECK(cudaMemsetAsync(h2d_dev_.get(), kSentinelByte, h2d_dev_.bytes(), stream_));
    }
    if (d2h_) {
      d2h_host_reg_ = PinnedHost::Register(d2h_host_.get(), d2h_host_.bytes());
      d2h_dev_ = DeviceBuffer::Allocate(static_cast<size_t>(p_.size));
      FillSourceSlots(d2h_dev_.as<uint32_t>(), p_.size / 4, p_.size / 4, p_.seed, 1, stream_);
    }
    if (!UsesCopyEngine(p_.op)) {
      launch_ = PlanMembwLaunch(bidir ? MembwKernel::kCopyPair : MembwKernel::kCopy, device_, n_);
    }
    if (p_.op == MembwOp::kBidirCe) {
      side_ = MakeStream(device_);
      fork_ = MakeSyncEvent(device_);
      join_ = MakeSyncEvent(device_);
    }
    std::map<int, int> nodes = HostPageNodes(h2d_host_.get(), h2d_host_.bytes());
    for (const auto& [node, pages] : HostPageNodes(d2h_host_.get(), d2h_host_.bytes())) {
      nodes[node] += pages;
    }
    host_nodes_ = nodes;
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }

  ~MembwHostCase() override {
    cudaSetDevice(device_);
    cudaStreamSynchronize(stream_);
    if (side_) cudaStreamSynchronize(side_.get());
  }

  void Run(void* stream) override {
    cudaStream_t s = static_cast<cudaStream_t>(stream);
    const size_t bytes = static_cast<size_t>(p_.size);
    switch (p_.op) {
      case MembwOp::kH2dCe:
        GQ_CUDA_CHECK(
            cudaMemcpyAsync(h2d_dev_.get(), h2d_host_.get(), bytes, cudaMemcpyHostToDevice, s));
        break;
      case MembwOp::kD2hCe:
        GQ_CUDA_CHECK(
            cudaMemcpyAsync(d2h_host_.get(), d2h_dev_.get(), bytes, cudaMemcpyDeviceToHost, s));
        break;
      case MembwOp::kBidirCe:
        GQ_CUDA_CHECK(cudaEventRecord(fork_.get(), s));
        GQ_CUDA_CHECK(cudaStreamWaitEvent(side_.get(), fork_.get(), 0));
        GQ_CUDA_CHECK(
            cudaMemcpyAsync(h2d_dev_.get(), h2d_host_.get(), bytes, cudaMemcpyHostToDevice, s));
        GQ_CUDA_CHECK(cudaMemcpyAsync(d2h_host_.get(), d2h_dev_.get(), bytes,
                                      cudaMemcpyDeviceToHost, side_.get()));
        GQ_CUDA_CHECK(cudaEventRecord(join_.get(), side_.get()));
        GQ_CUDA_CHECK(cudaStreamWaitEvent(s, join_.get(), 0));
        break;
      case MembwOp::kH2dSm:
        LaunchCopy(h2d_dev_.get(), h2d_host_reg_.device_ptr(), n_, launch_, s);
        break;
      case MembwOp::kD2hSm:
        LaunchCopy(d2h_host_reg_.device_ptr(), d2h_dev_.get(), n_, launch_, s);
        break;
      case MembwOp::kBidirSm:
        LaunchCopyPair(h2d_dev_.get(), h2d_host_reg_.device_ptr(), d2h_host_reg_.device_ptr(),
                       d2h_dev_.get(), n_, launch_, s);
        break;
      default:
        throw std::logic_error("membw: not a host<->device op");
    }
    ran_ = true;
  }

  Work GetWork() const override {
    Work work = MembwWork(p_);
    const bool use_max = link_.max.gts > 0 && link_.max.width > 0;
    const PcieLinkState& link = use_max ? link_.max : link_.current;
    const int directions = IsBidirectional(p_.op) ? 2 : 1;
    work.link_peak_gbs = PcieDirectionGbs(link) * directions;
    if (work.link_peak_gbs > 0) {
      work.link_peak_source = "PCIe " + DescribePcieLink(link) + " x " +
                              std::to_string(directions) + " direction(s), sysfs " +
                              (use_max ? "max_link_*" : "current_link_*") + " of " +
                              link_.pci_bus_id;
    }
    return work;
  }

  VerifyResult Verify() override {
    GQ_CUDA_CHECK(cudaSetDevice(device_));
    if (!ran_) Run(stream_);
    GQ_CUDA_CHECK(cudaStreamSynchronize(stream_));
    const int64_t words = p_.size / 4;
    std::optional<VerifyResult> up, down;
    if (h2d_)
      up = CheckSourceWords(WordsToHost(h2d_dev_.get(), p_.size).data(), words,
                            ArraySeed(p_.seed, 0, 0));
    if (d2h_) down = CheckSourceWords(d2h_host_.as<uint32_t>(), words, ArraySeed(p_.seed, 0, 1));
    if (up && down) return Both(*up, *down);
    return up ? *up : *down;
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d =
        NumaDetails(link_, host_nodes_, AllowedCpus(), placement_);
    // Re-read now: right after the timed samples the link still runs at its working speed.
    const GpuHostLink now = ReadGpuHostLink(kSysfsRoot, link_.pci_bus_id);
    d["pci_bus_id"] = link_.pci_bus_id;
    d["pcie_link_max"] = DescribePcieLink(link_.max);
    d["pcie_link_current"] = DescribePcieLink(now.current);
    d["bytes_counted"] = "bytes across the link, once per direction (nvbandwidth)";
    d["host_memory"] = "mmap + cudaHostRegister (pinned, mapped), transparent huge pages requested";
    if (UsesCopyEngine(p_.op)) {
      d["engine"] = IsBidirectional(p_.op) ? "copy engines (cudaMemcpyAsync on two streams)"
                                           : "copy engine (cudaMemcpyAsync)";
    } else {
      d["engine"] = std::string("SM kernel ") +
                    (IsBidirectional(p_.op) ? "copy_pair_kernel" : "copy_kernel") +
                    " on mapped host memory";
      d["grid"] = std::to_string(launch_.blocks) + " x " + std::to_string(launch_.threads);
    }
    return d;
  }

 private:
  // Allocates the host buffers and first-touches them from the GPU's local CPUs where allowed.
  void PlaceHostBuffers() {
    if (h2d_) h2d_host_ = HostRegion::Allocate(static_cast<size_t>(p_.size));
    if (d2h_) d2h_host_ = HostRegion::Allocate(static_cast<size_t>(p_.size));
    const std::vector<int> local = ParseCpuList(link_.local_cpulist);
    const bool bound = RunOnCpus(local, [this] {
      if (h2d_) {
        uint32_t* words = h2d_host_.as<uint32_t>();
        const uint64_t seed = ArraySeed(p_.seed, 0, 0);
        for (int64_t w = 0; w < p_.size / 4; ++w)
          words[w] = SourceWord(seed, static_cast<uint64_t>(w));
      }
      if (d2h_) std::memset(d2h_host_.get(), kSentinelByte, d2h_host_.bytes());
    });
    if (bound) {
      placement_ = "first touch by a thread on the GPU's local CPUs " + link_.local_cpulist;
    } else if (local.empty()) {
      placement_ = "first touch by an unbound thread (the GPU's local CPUs are unknown)";
    } else {
      placement_ =
          "first touch by an unbound thread (the process may not run on the GPU's "
          "local CPUs " +
          link_.local_cpulist + ")";
    }
  }

  MembwProblem p_;
  int device_;
  cudaStream_t stream_;
  int64_t n_;
  bool h2d_ = false, d2h_ = false;
  GpuHostLink link_;
  std::string placement_;
  std::map<int, int> host_nodes_;
  // Host memory first, so that its registration (declared later) is released before it.
  HostRegion h2d_host_, d2h_host_;
  PinnedHost h2d_host_reg_, d2h_host_reg_;
  DeviceBuffer h2d_dev_, d2h_dev_;
  MembwLaunch launch_;
  CudaStream side_;  // bidir_ce: the d2h copy's stream, forked from and joined to the case's
  CudaEvent fork_, join_;
  bool ran_ = false;
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareMembwHostTransfer(const MembwProblem& problem, int device,
                                                       cudaStream_t stream) {
  return std::make_unique<MembwHostCase>(problem, device, stream);
}

}  // namespace gq
