#include "workloads/membw/membw_cpu.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "harness/errors.h"
#include "harness/system/host_info.h"
#include "workloads/membw/membw_host_link.h"
#include "workloads/membw/membw_host_memory.h"
#include "workloads/membw/membw_host_workers.h"
#include "workloads/membw/membw_pattern.h"
#include "workloads/membw/membw_verify.h"

namespace gq {
namespace {

constexpr int64_t kChunkAlignElems = 16;  // 64 bytes of 4-byte elements

struct alignas(64) PaddedSum {
  uint64_t value = 0;
};

class MembwCpuCase final : public PreparedCase {
 public:
  explicit MembwCpuCase(const MembwProblem& problem)
      : p_(problem),
        count_(problem.size / 4),
        cpus_(AllowedCpus()),
        workers_(problem.threads > 0 ? problem.threads : static_cast<int>(cpus_.size()), cpus_),
        sums_(static_cast<size_t>(workers_.count())) {
    const int arrays = MembwDeviceArrays(p_.op);
    CheckHostMemory(static_cast<double>(arrays) * static_cast<double>(p_.size));
    for (int i = 0; i < arrays; ++i) arrays_.push_back(HostRegion::Allocate(p_.size));
    // First touch: each worker writes its own chunk of every array.
    workers_.Run([this](int worker) { Fill(worker); });
  }

  void Run(void* /*stream*/) override {
    workers_.Run([this](int worker) { Stream(worker); });
    ran_ = true;
  }

  Work GetWork() const override { return MembwWork(p_); }

  VerifyResult Verify() override {
    if (!ran_) Run(nullptr);
    const uint64_t src_seed = ArraySeed(p_.seed, 0, 0);
    switch (p_.op) {
      case MembwOp::kCopy:
        return CheckSourceWords(arrays_[1].as<uint32_t>(), count_, src_seed);
      case MembwOp::kRead: {
        uint64_t total = 0;
        for (const PaddedSum& s : sums_) total += s.value;
        return CheckReadSum(total, count_, src_seed);
      }
      case MembwOp::kWrite:
        return CheckWrittenWords(arrays_[0].as<uint32_t>(), count_,
                                 WriteKey(ArraySeed(p_.seed, 0, 2)));
      case MembwOp::kTriad:
        return CheckTriad(arrays_[0].as<float>(), count_, ArraySeed(p_.seed, 0, 0),
                          ArraySeed(p_.seed, 0, 1));
      default:
        break;
    }
    throw std::logic_error("membw cpu: unexpected op");
  }

  std::map<std::string, std::string> Details() const override {
    std::vector<int> used;
    for (int i = 0; i < workers_.count(); ++i) used.push_back(cpus_[i % cpus_.size()]);
    std::map<int, int> nodes;
    for (const HostRegion& a : arrays_) {
      for (const auto& [node, pages] : HostPageNodes(a.get(), a.bytes(), 32)) nodes[node] += pages;
    }
    return {{"threads", std::to_string(workers_.count())},
            {"cpus", FormatCpuList(used)},
            {"host_numa_nodes", FormatNodeCounts(nodes)},
            {"placement", "first touch by the worker that streams each chunk"},
            {"kernel", p_.op == MembwOp::kCopy ? "std::memcpy per chunk" : "loop per chunk"},
            {"bytes_counted", "read + written (BabelStream/STREAM)"}};
  }

 private:
  // [begin, end) of worker `i`'s chunk, in 4-byte elements.
  std::pair<int64_t, int64_t> Chunk(int i) const {
    const int64_t n = workers_.count();
    auto bound = [&](int64_t k) {
      return k == n ? count_ : (count_ * k / n) / kChunkAlignElems * kChunkAlignElems;
    };
    return {bound(i), bound(i + 1)};
  }

  void Fill(int worker) {
    const auto [begin, end] = Chunk(worker);
    const uint64_t seed0 = ArraySeed(p_.seed, 0, 0), seed1 = ArraySeed(p_.seed, 0, 1);
    const size_t bytes = static_cast<size_t>(end - begin) * 4;
    switch (p_.op) {
      case MembwOp::kCopy:
      case MembwOp::kRead: {
        uint32_t* src = arrays_[0].as<uint32_t>();
        for (int64_t w = begin; w < end; ++w) src[w] = SourceWord(seed0, static_cast<uint64_t>(w));
        if (p_.op == MembwOp::kCopy)
          std::memset(arrays_[1].as<uint32_t>() + begin, kSentinelByte, bytes);
        break;
      }
      case MembwOp::kWrite:
        std::memset(arrays_[0].as<uint32_t>() + begin, kSentinelByte, bytes);
        break;
      case MembwOp::kTriad: {
        std::memset(arrays_[0].as<float>() + begin, kSentinelByte, bytes);
        float* b = arrays_[1].as<float>();
        float* c = arrays_[2].as<float>();
        for (int64_t i = begin; i < end; ++i) {
          b[i] = TriadInput(seed0, static_cast<uint64_t>(i));
          c[i] = TriadInput(seed1, static_cast<uint64_t>(i));
        }
        break;
      }
      default:
        break;
    }
  }

  void Stream(int worker) {
    const auto [begin, end] = Chunk(worker);
    switch (p_.op) {
      case MembwOp::kCopy:
        std::memcpy(arrays_[1].as<uint32_t>() + begin, arrays_[0].as<uint32_t>() + begin,
                    static_cast<size_t>(end - begin) * 4);
        break;
      case MembwOp::kRead: {  // chunk bounds are even: read 64-bit words (membw_verify.h)
        const uint64_t* __restrict src = arrays_[0].as<uint64_t>();
        uint64_t sum = 0;
        for (int64_t i = begin / 2; i < end / 2; ++i) sum += src[i];
        sums_[static_cast<size_t>(worker)].value = sum;
        break;
      }
      case MembwOp::kWrite: {
        uint32_t* __restrict dst = arrays_[0].as<uint32_t>();
        const uint32_t key = WriteKey(ArraySeed(p_.seed, 0, 2));
        for (int64_t w = begin; w < end; ++w) dst[w] = WrittenWord(key, static_cast<uint64_t>(w));
        break;
      }
      case MembwOp::kTriad: {
        float* __restrict a = arrays_[0].as<float>();
        const float* __restrict b = arrays_[1].as<float>();
        const float* __restrict c = arrays_[2].as<float>();
        for (int64_t i = begin; i < end; ++i) a[i] = b[i] + kTriadScalar * c[i];
        break;
      }
      default:
        break;
    }
  }

  MembwProblem p_;
  int64_t count_;          // 4-byte elements per array
  std::vector<int> cpus_;  // CPUs the process may use; worker i runs on cpus_[i % size]
  HostWorkers workers_;
  std::vector<PaddedSum> sums_;     // read: one total per worker
  std::vector<HostRegion> arrays_;  // copy: src, dst; read: src; write: dst; triad: a, b, c
  bool ran_ = false;
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareMembwCpu(const MembwProblem& problem) {
  if (!IsDeviceMemoryOp(problem.op) || problem.op == MembwOp::kCopyCe) {
    throw CaseSkipped(std::string("op ") + MembwOpName(problem.op) +
                      " needs a GPU (the cpu backend runs copy, read, write, triad)");
  }
  return std::make_unique<MembwCpuCase>(problem);
}

}  // namespace gq
