// The MPI Communicator (contract in communicator.h), built only with MPI (GQ_WITH_MPI).
//
// It owns MPI's lifetime: MPI_Init_thread in the constructor, MPI_Finalize in the destructor. All
// calls go through a duplicate of MPI_COMM_WORLD whose error handler returns error codes, so
// GQ_MPI_CHECK can turn them into exceptions. Ranks on one node come from MPI_Comm_split_type
// (MPI_COMM_TYPE_SHARED, MPI-3 §6.4.2); nodes are distinct hostnames.
// MPI has no 16-bit float types: fp16 and bf16 travel as MPI_UINT16_T with user-defined
// reduction operators that combine in float and round back to nearest even.
#if GQ_WITH_MPI

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/float16.h"
#include "harness/system/communicator.h"
#include "harness/system/host_info.h"
#include "harness/system/mpi_check.h"

namespace gq {
namespace {

constexpr int kHostnameBytes = 256;

template <bool kBf16>
float Widen(uint16_t bits) {
  return kBf16 ? Bf16BitsToFloat(bits) : HalfBitsToFloat(bits);
}

template <bool kBf16>
uint16_t Narrow(float value) {
  return kBf16 ? FloatToBf16Bits(value) : FloatToHalfBits(value);
}

// inout[i] = in[i] op inout[i] in float, as MPI_User_function (MPI-3 §5.9.5).
template <bool kBf16, CommOp kOp>
void ReduceHalf(void* in, void* inout, int* len, MPI_Datatype* /*type*/) {
  const auto* a = static_cast<const uint16_t*>(in);
  auto* b = static_cast<uint16_t*>(inout);
  for (int i = 0; i < *len; ++i) {
    const float x = Widen<kBf16>(a[i]);
    const float y = Widen<kBf16>(b[i]);
    float r = x + y;
    if constexpr (kOp == CommOp::kMax) r = y < x ? x : y;
    if constexpr (kOp == CommOp::kMin) r = x < y ? x : y;
    b[i] = Narrow<kBf16>(r);
  }
}

int OpIndex(CommOp op) { return static_cast<int>(op); }  // kSum, kMax, kMin -> 0, 1, 2

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator(int* argc, char*** argv) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized) throw std::logic_error("MPI is already initialised in this process");
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
      throw std::runtime_error("MPI_Init_thread failed");
    }
    try {
      Setup();
    } catch (...) {
      Release();
      throw;
    }
  }
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;
  ~MpiCommunicator() override { Release(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_rank() const override { return local_rank_; }
  int local_size() const override { return local_size_; }
  int nodes() const override { return nodes_; }
  const std::vector<std::string>& hostnames() const override { return hostnames_; }
  std::string backend() const override { return "mpi"; }

  void Barrier() override { GQ_MPI_CHECK(MPI_Barrier(world_)); }

  void Broadcast(void* data, size_t bytes, int root) override {
    GQ_MPI_CHECK(MPI_Bcast(data, Count(bytes), MPI_BYTE, root, world_));
  }

  void AllReduceMax(std::vector<double>& values) override {
    GQ_MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, values.data(), Count(values.size()), MPI_DOUBLE,
                               MPI_MAX, world_));
  }

  std::vector<double> GatherDoubles(const std::vector<double>& values, int root) override {
    const int n = Count(values.size());
    std::vector<double> out(rank_ == root ? values.size() * size_ : 0);
    GQ_MPI_CHECK(MPI_Gather(values.data(), n, MPI_DOUBLE, out.data(), n, MPI_DOUBLE, root, world_));
    return out;
  }

  std::vector<std::string> GatherStrings(const std::string& value, int root) override {
    const int length = Count(value.size());
    std::vector<int> lengths(rank_ == root ? size_ : 0);
    GQ_MPI_CHECK(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, world_));
    std::vector<int> offsets(lengths.size());
    long long total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
      offsets[r] = static_cast<int>(total);
      total += lengths[r];
    }
    if (total > INT_MAX) throw std::length_error("GatherStrings: more than 2^31 bytes");
    std::vector<char> text(static_cast<std::size_t>(total) + 1);
    GQ_MPI_CHECK(MPI_Gatherv(value.data(), length, MPI_CHAR, text.data(), lengths.data(),
                             offsets.data(), MPI_CHAR, root, world_));
    std::vector<std::string> out;
    for (std::size_t r = 0; r < lengths.size(); ++r)
      out.emplace_back(text.data() + offsets[r], lengths[r]);
    return out;
  }

  void AllReduce(const void* send, void* recv, size_t count, Dtype dtype, CommOp op) override {
    GQ_MPI_CHECK(MPI_Allreduce(send != nullptr ? send : MPI_IN_PLACE, recv, Count(count),
                               Type(dtype), Op(dtype, op), world_));
  }

  void AllGather(const void* send, void* recv, size_t count, Dtype dtype) override {
    const int n = Count(count);
    if (send == nullptr) {
      GQ_MPI_CHECK(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, recv, n, Type(dtype), world_));
    } else {
      GQ_MPI_CHECK(MPI_Allgather(send, n, Type(dtype), recv, n, Type(dtype), world_));
    }
  }

  void ReduceScatter(const void* send, void* recv, size_t count, Dtype dtype,
                     CommOp op) override {
    GQ_MPI_CHECK(MPI_Reduce_scatter_block(send != nullptr ? send : MPI_IN_PLACE, recv, Count(count),
                                          Type(dtype), Op(dtype, op), world_));
  }

  [[noreturn]] void Abort(int exit_code) override {
    MPI_Abort(world_ != MPI_COMM_NULL ? world_ : MPI_COMM_WORLD, exit_code);
    std::exit(exit_code);  // MPI_Abort does not return; this satisfies [[noreturn]]
  }

 private:
  void Setup() {
    GQ_MPI_CHECK(MPI_Comm_dup(MPI_COMM_WORLD, &world_));
    GQ_MPI_CHECK(MPI_Comm_set_errhandler(world_, MPI_ERRORS_RETURN));
    GQ_MPI_CHECK(MPI_Comm_rank(world_, &rank_));
    GQ_MPI_CHECK(MPI_Comm_size(world_, &size_));

    char mine[kHostnameBytes] = {};
    std::string host = DiscoverHost().hostname;
    if (host.empty()) host = "rank" + std::to_string(rank_);
    std::strncpy(mine, host.c_str(), kHostnameBytes - 1);
    std::vector<char> all(static_cast<std::size_t>(kHostnameBytes) * size_);
    GQ_MPI_CHECK(MPI_Allgather(mine, kHostnameBytes, MPI_CHAR, all.data(), kHostnameBytes, MPI_CHAR,
                               world_));
    std::set<std::string> distinct;
    for (int r = 0; r < size_; ++r) {
      const char* name = all.data() + static_cast<std::size_t>(r) * kHostnameBytes;
      hostnames_.emplace_back(name, strnlen(name, kHostnameBytes));
      distinct.insert(hostnames_.back());
    }
    nodes_ = static_cast<int>(distinct.size());

    GQ_MPI_CHECK(MPI_Comm_split_type(world_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local_));
    GQ_MPI_CHECK(MPI_Comm_rank(local_, &local_rank_));
    GQ_MPI_CHECK(MPI_Comm_size(local_, &local_size_));

    MPI_User_function* functions[2][3] = {
        {ReduceHalf<false, CommOp::kSum>, ReduceHalf<false, CommOp::kMax>,
         ReduceHalf<false, CommOp::kMin>},
        {ReduceHalf<true, CommOp::kSum>, ReduceHalf<true, CommOp::kMax>,
         ReduceHalf<true, CommOp::kMin>}};
    for (int b = 0; b < 2; ++b) {
      for (int o = 0; o < 3; ++o) GQ_MPI_CHECK(MPI_Op_create(functions[b][o], 1, &half_ops_[b][o]));
    }
  }

  void Release() noexcept {
    for (auto& row : half_ops_) {
      for (MPI_Op& op : row) {
        if (op != MPI_OP_NULL) MPI_Op_free(&op);
      }
    }
    if (local_ != MPI_COMM_NULL) MPI_Comm_free(&local_);
    if (world_ != MPI_COMM_NULL) MPI_Comm_free(&world_);
    MPI_Finalize();
  }

  static int Count(size_t count) {
    if (count > static_cast<size_t>(INT_MAX)) {
      throw std::length_error("MPI counts are int: " + std::to_string(count) + " > 2^31 - 1");
    }
    return static_cast<int>(count);
  }

  static MPI_Datatype Type(Dtype dtype) {
    switch (dtype) {
      case Dtype::kFp32:
        return MPI_FLOAT;
      case Dtype::kFp64:
        return MPI_DOUBLE;
      case Dtype::kBf16:
      case Dtype::kFp16:
        return MPI_UINT16_T;
      case Dtype::kInt32:
        return MPI_INT32_T;
      case Dtype::kInt64:
        return MPI_INT64_T;
      case Dtype::kInt8:
        return MPI_INT8_T;
      case Dtype::kUint8:
        return MPI_UINT8_T;
      default:
        break;
    }
    throw std::invalid_argument(std::string("MPI collectives take no ") + DtypeName(dtype));
  }

  MPI_Op Op(Dtype dtype, CommOp op) const {
    if (dtype == Dtype::kFp16) return half_ops_[0][OpIndex(op)];
    if (dtype == Dtype::kBf16) return half_ops_[1][OpIndex(op)];
    switch (op) {
      case CommOp::kSum:
        return MPI_SUM;
      case CommOp::kMax:
        return MPI_MAX;
      case CommOp::kMin:
        return MPI_MIN;
    }
    throw std::invalid_argument("unknown op");
  }

  MPI_Comm world_ = MPI_COMM_NULL;
  MPI_Comm local_ = MPI_COMM_NULL;
  int rank_ = 0, size_ = 1, local_rank_ = 0, local_size_ = 1, nodes_ = 1;
  std::vector<std::string> hostnames_;
  MPI_Op half_ops_[2][3] = {{MPI_OP_NULL, MPI_OP_NULL, MPI_OP_NULL},
                            {MPI_OP_NULL, MPI_OP_NULL, MPI_OP_NULL}};  // [fp16, bf16][op]
};

}  // namespace

std::unique_ptr<Communicator> MakeMpiCommunicator(int* argc, char*** argv) {
  return std::make_unique<MpiCommunicator>(argc, argv);
}

}  // namespace gq

#endif  // GQ_WITH_MPI
