#include "workloads/allreduce/collective_cpu.h"

#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <vector>

#include "harness/byte_text.h"
#include "harness/errors.h"
#include "workloads/allreduce/collective_check.h"

namespace gq {
namespace {

// Bytes of 0x7f in output buffers before a checked run: values the output must overwrite.
constexpr int kSentinelByte = 0x7f;
// A rank's buffers may take this share of the host memory divided among the node's ranks.
constexpr double kUsableHostFraction = 0.8;

double HostMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? double(pages) * double(page) : 0.0;
}

class CollectiveCpuCase final : public PreparedCase {
 public:
  CollectiveCpuCase(const CollectiveProblem& p, Communicator& world)
      : p_(p),
        world_(world),
        layout_(CollectiveLayoutFor(p, world.size())),
        pattern_(ChooseValuePattern(p.kind, p.dtype, p.op, world.size())),
        elem_(static_cast<int64_t>(DtypeBytes(p.dtype))) {
    if (layout_.count > INT_MAX) {
      throw CaseSkipped("the cpu backend calls MPI, whose counts are int: " +
                        std::to_string(layout_.count) + " elements exceed 2^31 - 1");
    }
    // In place, one buffer holds input and output: the larger of the two.
    const int64_t recv_elems =
        p_.in_place ? std::max(layout_.send_elems, layout_.recv_elems) : layout_.recv_elems;
    const int64_t send_elems = p_.in_place ? 0 : layout_.send_elems;
    const double needed = double(recv_elems + send_elems) * double(elem_);
    const double host = HostMemoryBytes();
    if (host > 0 && needed * world.local_size() > kUsableHostFraction * host) {
      throw CaseSkipped("needs " + GiBText(needed) + " per rank x " +
                        std::to_string(world.local_size()) +
                        " rank(s) on this node, host memory is " + GiBText(host));
    }
    recv_ = Allocate(recv_elems);
    send_ = Allocate(send_elems);
    Fill();
  }

  void Run(void* /*stream*/) override {
    const void* send = p_.in_place ? nullptr : send_.data();
    void* recv = recv_.data();
    const auto count = static_cast<size_t>(layout_.count);
    switch (p_.kind) {
      case CollectiveKind::kAllReduce:
        world_.AllReduce(send, recv, count, p_.dtype, p_.op);
        break;
      case CollectiveKind::kAllGather:
        world_.AllGather(send, recv, count, p_.dtype);
        break;
      case CollectiveKind::kReduceScatter:
        world_.ReduceScatter(send, recv, count, p_.dtype, p_.op);
        break;
    }
  }

  Work GetWork() const override { return CollectiveWork(p_, layout_, world_.nodes()); }

  // Refills the inputs (timed in-place runs reduce their own output again and again), runs once
  // and checks every element of this rank's output.
  VerifyResult Verify() override {
    Fill();
    Run(nullptr);
    CheckSpec s{p_.kind, p_.op, p_.dtype, pattern_, world_.rank(), layout_.count};
    const int64_t n = p_.kind == CollectiveKind::kAllGather ? layout_.recv_elems : layout_.count;
    const WrongElements w = CountWrongElements(s, recv_.data(), n);
    return ToVerifyResult(w, "rank " + std::to_string(world_.rank()) + "'s output");
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d = CollectiveDetails(p_, layout_);
    const bool mpi = world_.backend() == "mpi";
    d["backend"] = mpi ? "mpi" : "single process";
    const char* calls[] = {"MPI_Allreduce", "MPI_Allgather", "MPI_Reduce_scatter_block"};
    d["call"] = mpi ? calls[static_cast<int>(p_.kind)] : "memmove (one rank)";
    if (mpi && (p_.dtype == Dtype::kBf16 || p_.dtype == Dtype::kFp16)) {
      d["call"] += p_.kind == CollectiveKind::kAllGather ? " (MPI_UINT16_T)" : " (MPI_UINT16_T with a user-defined op)";
    }
    return d;
  }

 private:
  // 8-byte aligned storage for `elems` elements.
  std::vector<uint64_t> Allocate(int64_t elems) const {
    return std::vector<uint64_t>(static_cast<size_t>((elems * elem_ + 7) / 8));
  }

  char* At(std::vector<uint64_t>& buffer, int64_t element) {
    return reinterpret_cast<char*>(buffer.data()) + element * elem_;
  }

  // Inputs f(rank, k) where this rank's input lives; output-only memory gets the sentinel.
  void Fill() {
    const int64_t rank = world_.rank();
    const int64_t count = layout_.count;
    std::memset(recv_.data(), kSentinelByte, recv_.size() * sizeof(uint64_t));
    if (!p_.in_place) {
      FillInputsHost(p_.dtype, pattern_, rank, send_.data(), layout_.send_elems);
    } else if (p_.kind == CollectiveKind::kAllGather) {
      FillInputsHost(p_.dtype, pattern_, rank, At(recv_, rank * count), count);
    } else {  // allreduce: count elements; reduce_scatter: the whole n * count input
      FillInputsHost(p_.dtype, pattern_, rank, recv_.data(), layout_.send_elems);
    }
  }

  CollectiveProblem p_;
  Communicator& world_;
  CollectiveLayout layout_;
  ValuePattern pattern_;
  int64_t elem_;
  std::vector<uint64_t> send_, recv_;
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareCollectiveCpu(const CollectiveProblem& problem,
                                                   Communicator& world) {
  if (problem.graph) {
    throw CaseSkipped(
        "graph=true needs a GPU (CUDA graph capture); the cpu backend runs graph=false");
  }
  return std::make_unique<CollectiveCpuCase>(problem, world);
}

}  // namespace gq
