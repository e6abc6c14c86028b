#pragma once
// One case of the collective workloads (allreduce, all_gather, reduce_scatter) in nccl-tests'
// terms, shared by the workloads, their backends (NCCL; MPI or a single process on the cpu) and
// the checks.
//
// Size (nccl-tests conventions: src/common.cu setupArgs and each test's GetCollByteCount): the
// size axis is the bytes of the largest buffer a rank holds, like nccl-tests' -b/-e/-f, and the
// element counts of the call are rounded down from it, as nccl-tests does:
//   allreduce:      count = floor(size / elem)      send and recv hold count elements each
//   all_gather:     count = floor(size / elem / n)  send holds count, recv n * count
//   reduce_scatter: count = floor(size / elem / n)  send holds n * count, recv count
// `count` is what the NCCL/MPI call takes. The bytes actually used,
//   S = count * elem (allreduce),  n * count * elem (all_gather, reduce_scatter)
// are "the size of the total array" of nccl-tests doc/PERFORMANCE.md, and the rates are
//   algbw = S / t
//   busbw = algbw * 2(n-1)/n   (allreduce)
//   busbw = algbw * (n-1)/n    (all_gather, reduce_scatter)
// (nccl-tests doc/PERFORMANCE.md, "Bus bandwidth" and its Summary), n being the ranks (GPUs or
// processes) taking part. With one rank the factor is 0 and busbw is 0: bus bandwidth is
// undefined, and such cases carry details single_rank = "true".
#include <cstdint>
#include <map>
#include <string>

#include "harness/axis.h"
#include "harness/system/comm_types.h"
#include "harness/work.h"

namespace gq {

enum class CollectiveKind { kAllReduce, kAllGather, kReduceScatter };

const char* CollectiveName(CollectiveKind kind);  // "allreduce", "all_gather", "reduce_scatter"
bool CollectiveReduces(CollectiveKind kind);      // allreduce, reduce_scatter: they take an op

struct CollectiveProblem {
  CollectiveKind kind = CollectiveKind::kAllReduce;
  int64_t size_bytes = 0;  // the size axis
  Dtype dtype = Dtype::kFp32;
  CommOp op = CommOp::kSum;  // all_gather has no op axis: kSum, unused
  bool in_place = false;
  bool graph = false;  // capture the call into a CUDA graph (GPU only)
};

// Reads size, dtype, op (allreduce, reduce_scatter), in_place and graph. Throws UsageError for
// size < 1 or an unknown value.
CollectiveProblem CollectiveProblemFromCase(CollectiveKind kind, const CaseSpec& spec);

struct CollectiveLayout {
  int64_t ranks = 1;       // n
  int64_t count = 0;       // elements: the count argument of the call (see above)
  int64_t send_elems = 0;  // elements of a rank's send buffer (out of place)
  int64_t recv_elems = 0;  // elements of a rank's recv buffer
  int64_t bytes = 0;       // S
  bool rounded = false;    // S differs from the size axis
};

// Throws CaseSkipped when `count` rounds down to 0 (size below one element, or one per rank).
CollectiveLayout CollectiveLayoutFor(const CollectiveProblem& p, int64_t ranks);

// 2(n-1)/n for allreduce, (n-1)/n for all_gather and reduce_scatter (0 for one rank).
double BusBandwidthFactor(CollectiveKind kind, int64_t ranks);

// bytes = S, busbw_factor as above, no flops; bandwidth_domain "interconnect" when every rank is
// on one node, "network" across `nodes` > 1 (harness/measure/roofline.h places busbw accordingly);
// nodes = `nodes` (RankSetupMismatch tells runs on different node counts apart).
Work CollectiveWork(const CollectiveProblem& p, const CollectiveLayout& layout, int nodes);

// Facts every backend records: "ranks", "count", "bytes", and when they apply "size_note" (the
// rounding) and single_rank = "true" with "note" = "single rank: bus bandwidth undefined".
std::map<std::string, std::string> CollectiveDetails(const CollectiveProblem& p,
                                                     const CollectiveLayout& layout);

}  // namespace gq
