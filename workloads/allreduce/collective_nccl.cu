// The NCCL backend of the collective workloads (contract in collective_nccl.h). No kernels of its
// own: buffers are filled and checked by collective_kernels.cu, the collective is NCCL's.
//
// A case has one lane per local GPU: its NCCL communicator and rank, its stream (lane 0 uses the
// context's stream, the others their own), and its buffers. Run forks the other lanes off the
// context's stream with an event, issues the collective on every lane (grouped with
// ncclGroupStart/End when there are several, as NCCL requires when one thread drives several
// GPUs), and joins them back, so the context's timer spans the slowest GPU.
// Buffers (per lane, elements of the dtype; n ranks, count as in collective_problem.h):
//   out of place: send (send_elems) and recv (recv_elems)
//   in place: one buffer of max(send_elems, recv_elems), NCCL's in-place layouts:
//     allreduce: input = output = buffer;  all_gather: input = buffer + rank * count;
//     reduce_scatter: input = buffer, output = buffer + rank * count.
#include <cuda_runtime.h>
#include <nccl.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/byte_text.h"
#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_dtype.cuh"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/allreduce/collective_check.h"
#include "workloads/allreduce/collective_kernels.cuh"
#include "workloads/allreduce/collective_nccl.h"
#include "workloads/allreduce/collective_nccl_comms.cuh"

namespace gq {
namespace {

constexpr int kSentinelByte = 0x7f;  // in output-only memory before a checked run
constexpr double kUsableFreeFraction = 0.9;

struct Lane {
  int device = 0;
  int rank = 0;  // NCCL rank
  ncclComm_t comm = nullptr;
  cudaStream_t stream = nullptr;  // lane 0: the context's stream
  CudaStream own_stream;          // lanes >= 1
  CudaEvent joined;               // lanes >= 1: recorded after the lane's work
  DeviceBuffer send, recv;        // in place: recv only
  DeviceBuffer tally;
  CudaGraph graph;
  CudaGraphExec exec;
};

class NcclCollectiveCase final : public PreparedCase {
 public:
  NcclCollectiveCase(const CollectiveProblem& p, DeviceContext& ctx, Communicator& world,
                     NcclCommPool& pool)
      : p_(p),
        world_(world),
        main_(static_cast<cudaStream_t>(ctx.stream())),
        elem_(static_cast<int64_t>(DtypeBytes(p.dtype))) {
    const int64_t ranks = world.size() > 1 ? world.size() : ctx.device().count;
    layout_ = CollectiveLayoutFor(p_, ranks);  // may skip, alike on every rank
    pattern_ = ChooseValuePattern(p_.kind, p_.dtype, p_.op, ranks);
    const NcclComms& comms = pool.Get(ctx.device());
    mode_ = comms.mode;
    std::exception_ptr error;
    try {
      SetUpLanes(comms);
      Fill();
      Sync();
    } catch (...) {
      error = std::current_exception();
    }
    AgreeToContinue(world_, error);  // no rank goes on to a collective alone
    if (p_.graph) {
      Launch(main_, false);  // a first call outside capture sets up NCCL's connections
      Sync();
      Capture();
    }
  }

  ~NcclCollectiveCase() override {
    for (const Lane& lane : lanes_) {  // outstanding work must end before buffers go
      cudaSetDevice(lane.device);
      cudaStreamSynchronize(lane.stream);
    }
  }

  void Run(void* stream) override { Launch(static_cast<cudaStream_t>(stream), p_.graph); }

  Work GetWork() const override { return CollectiveWork(p_, layout_, world_.nodes()); }

  VerifyResult Verify() override {
    Fill();
    Run(main_);
    Sync();
    WrongElements all;
    for (Lane& lane : lanes_) MergeWrongElements(all, CountWrong(lane));
    std::string what = "the output of rank " + std::to_string(lanes_[0].rank) +
                       " on cuda:" + std::to_string(lanes_[0].device);
    if (lanes_.size() > 1) {
      what = "the outputs of cuda:" + std::to_string(lanes_.front().device) + "-" +
             std::to_string(lanes_.back().device);
    }
    return ToVerifyResult(all, what);
  }

  std::map<std::string, std::string> Details() const override {
    std::map<std::string, std::string> d = CollectiveDetails(p_, layout_);
    int version = 0;
    ncclGetVersion(&version);  // 2.9+: major * 10000 + minor * 100 + patch
    d["backend"] = "nccl";
    d["library"] = "NCCL " + std::to_string(version / 10000) + "." +
                   std::to_string(version / 100 % 100) + "." + std::to_string(version % 100);
    d["launch"] = mode_;
    if (p_.graph) d["graph"] = "one CUDA graph per GPU, captured at prepare";
    return d;
  }

 private:
  void SetUpLanes(const NcclComms& comms) {
    const int64_t in_place_elems = std::max(layout_.send_elems, layout_.recv_elems);
    const size_t send_bytes = p_.in_place ? 0 : static_cast<size_t>(layout_.send_elems * elem_);
    const size_t recv_bytes =
        static_cast<size_t>((p_.in_place ? in_place_elems : layout_.recv_elems) * elem_);
    lanes_.resize(comms.devices.size());
    for (std::size_t i = 0; i < lanes_.size(); ++i) {
      Lane& lane = lanes_[i];
      lane.device = comms.devices[i];
      lane.rank = comms.ranks[i];
      lane.comm = comms.comms[i];
      GQ_CUDA_CHECK(cudaSetDevice(lane.device));
      size_t free_bytes = 0, total_bytes = 0;
      GQ_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
      const double needed = double(send_bytes) + double(recv_bytes) + 4096.0;
      if (needed > kUsableFreeFraction * double(free_bytes)) {
        throw CaseSkipped("needs " + GiBText(needed) + " on cuda:" + std::to_string(lane.device) +
                          ", " + GiBText(double(free_bytes)) + " free");
      }
      if (i == 0) {
        lane.stream = main_;
      } else {
        lane.own_stream = MakeStream(lane.device);
        lane.stream = lane.own_stream.get();
        lane.joined = MakeSyncEvent(lane.device);
      }
      lane.send = DeviceBuffer::Allocate(send_bytes);  // on lane.device, current
      lane.recv = DeviceBuffer::Allocate(recv_bytes);
      lane.tally = DeviceBuffer::Allocate(sizeof(DeviceWrongTally));
    }
    if (lanes_.size() > 1) fork_ = MakeSyncEvent(lanes_[0].device);
  }

  char* Input(const Lane& lane) const {
    if (!p_.in_place) return lane.send.as<char>();
    if (p_.kind == CollectiveKind::kAllGather)
      return lane.recv.as<char>() + lane.rank * layout_.count * elem_;
    return lane.recv.as<char>();
  }

  char* Output(const Lane& lane) const {
    if (p_.in_place && p_.kind == CollectiveKind::kReduceScatter) {
      return lane.recv.as<char>() + lane.rank * layout_.count * elem_;
    }
    return lane.recv.as<char>();
  }

  // Inputs f(rank, k) where each lane's input lives; output-only memory gets the sentinel.
  void Fill() {
    for (Lane& lane : lanes_) {
      GQ_CUDA_CHECK(cudaSetDevice(lane.device));
      GQ_CUDA_CHECK(
          cudaMemsetAsync(lane.recv.get(), kSentinelByte, lane.recv.bytes(), lane.stream));
      FillCollectiveInputs(p_.dtype, pattern_, lane.rank, Input(lane), layout_.send_elems,
                           lane.stream);
    }
  }

  void Sync() {
    for (const Lane& lane : lanes_) {
      GQ_CUDA_CHECK(cudaSetDevice(lane.device));
      GQ_CUDA_CHECK(cudaStreamSynchronize(lane.stream));
    }
  }

  void Issue(const Lane& lane, cudaStream_t stream) {
    const void* in = Input(lane);
    void* out = Output(lane);
    const auto count = static_cast<size_t>(layout_.count);
    switch (p_.kind) {
      case CollectiveKind::kAllReduce:
        GQ_NCCL_CHECK(ncclAllReduce(in, out, count, NcclDataType(p_.dtype), NcclOp(p_.op),
                                    lane.comm, stream));
        break;
      case CollectiveKind::kAllGather:
        GQ_NCCL_CHECK(ncclAllGather(in, out, count, NcclDataType(p_.dtype), lane.comm, stream));
        break;
      case CollectiveKind::kReduceScatter:
        GQ_NCCL_CHECK(ncclReduceScatter(in, out, count, NcclDataType(p_.dtype), NcclOp(p_.op),
                                        lane.comm, stream));
        break;
    }
  }

  // Every lane's call (lane 0 on `main`), in one NCCL group when there are several lanes.
  void IssueAll(cudaStream_t main) {
    if (lanes_.size() == 1) return Issue(lanes_[0], main);
    GQ_NCCL_CHECK(ncclGroupStart());
    try {
      for (std::size_t i = 0; i < lanes_.size(); ++i)
        Issue(lanes_[i], i == 0 ? main : lanes_[i].stream);
    } catch (...) {
      ncclGroupEnd();  // leave no group open
      throw;
    }
    GQ_NCCL_CHECK(ncclGroupEnd());
  }

  // The timed work: fork the other lanes off `main`, run the collective (or its graphs), join.
  void Launch(cudaStream_t main, bool graph) {
    const std::size_t n = lanes_.size();
    if (n > 1) {
      GQ_CUDA_CHECK(cudaSetDevice(lanes_[0].device));
      GQ_CUDA_CHECK(cudaEventRecord(fork_.get(), main));
      for (std::size_t i = 1; i < n; ++i)
        GQ_CUDA_CHECK(cudaStreamWaitEvent(lanes_[i].stream, fork_.get(), 0));
    }
    if (graph) {
      for (std::size_t i = 0; i < n; ++i) {
        GQ_CUDA_CHECK(cudaSetDevice(lanes_[i].device));
        GQ_CUDA_CHECK(cudaGraphLaunch(lanes_[i].exec.get(), i == 0 ? main : lanes_[i].stream));
      }
    } else {
      IssueAll(main);
    }
    for (std::size_t i = 1; i < n; ++i) {
      GQ_CUDA_CHECK(cudaSetDevice(lanes_[i].device));
      GQ_CUDA_CHECK(cudaEventRecord(lanes_[i].joined.get(), lanes_[i].stream));
      GQ_CUDA_CHECK(cudaStreamWaitEvent(main, lanes_[i].joined.get(), 0));
    }
    GQ_CUDA_CHECK(cudaSetDevice(lanes_[0].device));
  }

  // One CUDA graph per lane, captured from that lane's stream (nccl-tests -G does the same).
  void Capture() {
    for (Lane& lane : lanes_) {
      GQ_CUDA_CHECK(cudaSetDevice(lane.device));
      GQ_CUDA_CHECK(cudaStreamBeginCapture(lane.stream, cudaStreamCaptureModeThreadLocal));
    }
    std::exception_ptr error;
    try {
      IssueAll(main_);
    } catch (...) {
      error = std::current_exception();
    }
    for (Lane& lane : lanes_) {
      cudaGraph_t graph = nullptr;
      GQ_CUDA_CHECK(cudaSetDevice(lane.device));
      const cudaError_t status = cudaStreamEndCapture(lane.stream, &graph);
      if (graph != nullptr) lane.graph = CudaGraph(lane.device, graph);
      if (error == nullptr) GQ_CUDA_CHECK(status);
    }
    if (error != nullptr) std::rethrow_exception(error);
    for (Lane& lane : lanes_) {
      cudaGraphExec_t exec = nullptr;
      GQ_CUDA_CHECK(cudaSetDevice(lane.device));
      GQ_CUDA_CHECK(cudaGraphInstantiate(&exec, lane.graph.get(), 0));
      lane.exec = CudaGraphExec(lane.device, exec);
    }
  }

  WrongElements CountWrong(Lane& lane) {
    GQ_CUDA_CHECK(cudaSetDevice(lane.device));
    const CheckSpec spec{p_.kind, p_.op, p_.dtype, pattern_, lane.rank, layout_.count};
    return CheckOutputOnDevice(spec, Output(lane), layout_.recv_elems,
                               lane.tally.as<DeviceWrongTally>(), lane.stream);
  }

  CollectiveProblem p_;
  Communicator& world_;
  cudaStream_t main_;
  int64_t elem_;
  CollectiveLayout layout_;
  ValuePattern pattern_;
  std::string mode_;
  std::vector<Lane> lanes_;
  CudaEvent fork_;  // several lanes: recorded on the context's stream, waited on by the others
};

}  // namespace

std::unique_ptr<PreparedCase> PrepareCollectiveNccl(const CollectiveProblem& problem,
                                                    DeviceContext& ctx, Communicator& world,
                                                    NcclCommPool& pool) {
  if (!ctx.device().IsCuda())
    throw std::invalid_argument("PrepareCollectiveNccl: not a CUDA context");
  return std::make_unique<NcclCollectiveCase>(problem, ctx, world, pool);
}

}  // namespace gq
