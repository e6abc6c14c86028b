// The single-process Communicator and the choice of the process world (contract in
// communicator.h). The MPI implementation is in mpi_communicator.cc.
#include "harness/system/communicator.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "harness/errors.h"
#include "harness/system/host_info.h"

namespace gq {
namespace {

class SingleProcessCommunicator final : public Communicator {
 public:
  explicit SingleProcessCommunicator(const std::string& hostname) : hostnames_{hostname} {}

  int rank() const override { return 0; }
  int size() const override { return 1; }
  int local_rank() const override { return 0; }
  int local_size() const override { return 1; }
  int nodes() const override { return 1; }
  const std::vector<std::string>& hostnames() const override { return hostnames_; }
  std::string backend() const override { return "single"; }

  void Barrier() override {}
  void Broadcast(void* /*data*/, size_t /*bytes*/, int root) override { CheckRoot(root); }
  void AllReduceMax(std::vector<double>& /*values*/) override {}
  std::vector<double> GatherDoubles(const std::vector<double>& values, int root) override {
    CheckRoot(root);
    return values;
  }
  std::vector<std::string> GatherStrings(const std::string& value, int root) override {
    CheckRoot(root);
    return {value};
  }

  void AllReduce(const void* send, void* recv, size_t count, Dtype dtype, CommOp) override {
    Copy(send, recv, count, dtype);
  }
  void AllGather(const void* send, void* recv, size_t count, Dtype dtype) override {
    Copy(send, recv, count, dtype);
  }
  void ReduceScatter(const void* send, void* recv, size_t count, Dtype dtype, CommOp) override {
    Copy(send, recv, count, dtype);
  }

  [[noreturn]] void Abort(int exit_code) override { std::exit(exit_code); }

 private:
  static void CheckRoot(int root) {
    if (root != 0) throw std::invalid_argument("single process: root must be 0");
  }
  // One rank: every collective's output is its own input (in place: already there).
  static void Copy(const void* send, void* recv, size_t count, Dtype dtype) {
    if (send != nullptr && send != recv && count > 0) {
      std::memmove(recv, send, count * DtypeBytes(dtype));
    }
  }

  std::vector<std::string> hostnames_;
};

int PositiveInt(const char* text) {
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < 1 || value > (1 << 30)) return 0;
  return static_cast<int>(value);
}

}  // namespace

void AgreeToContinue(Communicator& world, const std::exception_ptr& local_error) {
  if (world.size() > 1) {
    std::vector<double> failed{local_error ? 1.0 : 0.0};
    world.AllReduceMax(failed);
    if (!local_error && failed[0] > 0) {
      throw PeerCouldNotContinue("another rank could not prepare this case");
    }
  }
  if (local_error) std::rethrow_exception(local_error);
}

void AgreeToContinue(Communicator& world, bool together, const std::exception_ptr& local_error) {
  if (together) {
    AgreeToContinue(world, local_error);
  } else if (local_error) {
    std::rethrow_exception(local_error);
  }
}

std::unique_ptr<Communicator> MakeSingleProcessCommunicator(const std::string& hostname) {
  return std::make_unique<SingleProcessCommunicator>(hostname);
}

int LauncherWorldSize(const EnvLookup& getenv) {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"}) {
    if (const int size = PositiveInt(getenv(name)); size > 0) return size;
  }
  return 1;
}

std::unique_ptr<Communicator> MakeWorldCommunicator(int* argc, char*** argv) {
  const int launched =
      LauncherWorldSize([](const char* name) -> const char* { return std::getenv(name); });
  if (launched > 1) {
#if GQ_WITH_MPI
    std::unique_ptr<Communicator> world = MakeMpiCommunicator(argc, argv);
    // A launcher of another MPI (or srun without its PMI plugin) starts N processes that each see
    // a world of 1: N separate runs would write over one results file.
    if (world->size() != launched) {
      throw UsageError("launched as one of " + std::to_string(launched) + " ranks, but MPI sees a world of " +
                       std::to_string(world->size()) + ": the launcher does not match the MPI gpuqual is built "
                       "with (use that MPI's mpirun, or srun --mpi=pmix)");
    }
    return world;
#else
    (void)argc;
    (void)argv;
    throw UsageError("launched as one of " + std::to_string(launched) +
                     " ranks, but this gpuqual was built without MPI (configure with -DGQ_MPI=ON)");
#endif
  }
  return MakeSingleProcessCommunicator(DiscoverHost().hostname);
}

}  // namespace gq
