#pragma once
// The process world a run belongs to (DESIGN.md §8): a single process, or one rank of an MPI job
// launched by mpirun / srun / the Kubernetes MPI Operator.
//
// The runner uses it to keep ranks in lockstep (same plan, same stopping decisions) and to gather
// per-rank figures to rank 0; the collective workloads use it to bootstrap NCCL (broadcast of the
// unique id) and, on the cpu backend, as the collective library itself.
//
// Every method is collective: all ranks call it in the same order with matching arguments.
// Failures throw std::runtime_error (MPI errors carry MPI's error string).
//
// Host data collectives (cpu backend of allreduce / all_gather / reduce_scatter), `count` in
// elements of `dtype`, `send == nullptr` meaning in place with MPI's MPI_IN_PLACE layouts:
//   AllReduce(send, recv, count)          recv[0, count) = op over ranks of send[0, count)
//                                         in place: recv holds this rank's input
//   AllGather(send, recv, count)          recv[r*count, (r+1)*count) = rank r's send[0, count)
//                                         in place: this rank's block already sits in recv
//   ReduceScatter(send, recv, count)      recv[0, count) = op over ranks of
//                                         send[rank*count, (rank+1)*count)
//                                         in place: recv holds the whole size()*count input
// Counts must fit MPI's int (std::length_error otherwise).
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/errors.h"
#include "harness/system/comm_types.h"

namespace gq {

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Ranks on this rank's node (same hostname), and this rank's index among them.
  virtual int local_rank() const = 0;
  virtual int local_size() const = 0;
  // Distinct hostnames across the ranks.
  virtual int nodes() const = 0;
  // Hostname of every rank, indexed by rank (known on every rank).
  virtual const std::vector<std::string>& hostnames() const = 0;
  virtual std::string backend() const = 0;  // "single" or "mpi"

  virtual void Barrier() = 0;
  virtual void Broadcast(void* data, size_t bytes, int root) = 0;
  // Element-wise maximum over ranks, in place, on every rank.
  virtual void AllReduceMax(std::vector<double>& values) = 0;
  // Rank `root` receives every rank's values (all ranks pass the same number), concatenated in
  // rank order; other ranks receive an empty vector.
  virtual std::vector<double> GatherDoubles(const std::vector<double>& values, int root) = 0;
  virtual std::vector<std::string> GatherStrings(const std::string& value, int root) = 0;

  virtual void AllReduce(const void* send, void* recv, size_t count, Dtype dtype,
                         CommOp op) = 0;
  virtual void AllGather(const void* send, void* recv, size_t count, Dtype dtype) = 0;
  virtual void ReduceScatter(const void* send, void* recv, size_t count, Dtype dtype,
                             CommOp op) = 0;

  // Ends every rank of the job at once (MPI_Abort): for errors that leave other ranks waiting.
  // A single process just exits.
  [[noreturn]] virtual void Abort(int exit_code) = 0;
};

// Thrown by a workload on the ranks that could go on when another could not (AgreeToContinue).
// The runner ranks it below every other reason, so a case's reason names the rank that failed.
class PeerCouldNotContinue : public CaseSkipped {
 public:
  using CaseSkipped::CaseSkipped;
};

// For workloads that talk to other ranks while preparing (the NCCL backend): call it after the
// steps that may fail on some ranks only (memory checks, allocation) and before the next
// collective, so no rank enters a collective that others will never join. Every rank learns
// whether any rank has a `local_error`; a rank with one rethrows it, the others throw
// PeerCouldNotContinue. In a single process it only rethrows `local_error`, if any.
void AgreeToContinue(Communicator& world, const std::exception_ptr& local_error);
// The same where the ranks may prepare this case together or apart: `together` false (each rank
// prepares its own case) only rethrows `local_error`, if any.
void AgreeToContinue(Communicator& world, bool together, const std::exception_ptr& local_error);

// One process, rank 0 of 1 on `hostname`. Data collectives copy send to recv (or do nothing in
// place): with one rank every collective is the identity.
std::unique_ptr<Communicator> MakeSingleProcessCommunicator(const std::string& hostname);

#if GQ_WITH_MPI
// Initialises MPI (MPI_Init_thread, MPI_THREAD_FUNNELED: only the main thread calls MPI) and
// finalises it when destroyed; at most one per process. Defined in mpi_communicator.cc.
std::unique_ptr<Communicator> MakeMpiCommunicator(int* argc, char*** argv);
#endif

// The number of ranks a launcher started this process with, from its environment: mpirun of
// Open MPI (OMPI_COMM_WORLD_SIZE), PMI launchers such as MPICH/Intel MPI and srun --mpi=pmi2
// (PMI_SIZE), and srun steps (SLURM_STEP_NUM_TASKS). 1 when none is set (not launched by one).
// `getenv` is injectable for tests.
using EnvLookup = std::function<const char*(const char*)>;
int LauncherWorldSize(const EnvLookup& getenv);

// The world of this process: MPI when a launcher started more than one rank, else a single
// process. Throws std::runtime_error when launched as several ranks by a build without MPI (the
// ranks would otherwise run as independent copies and overwrite each other's results).
std::unique_ptr<Communicator> MakeWorldCommunicator(int* argc, char*** argv);

}  // namespace gq
