#include "workloads/allreduce/collective_problem.h"

#include <stdexcept>

#include "harness/errors.h"

namespace gq {

const char* CollectiveName(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::kAllReduce:
      return "allreduce";
    case CollectiveKind::kAllGather:
      return "all_gather";
    case CollectiveKind::kReduceScatter:
      return "reduce_scatter";
  }
  return "?";
}

bool CollectiveReduces(CollectiveKind kind) { return kind != CollectiveKind::kAllGather; }

CollectiveProblem CollectiveProblemFromCase(CollectiveKind kind, const CaseSpec& spec) {
  const std::string what = CollectiveName(kind);
  CollectiveProblem p;
  p.kind = kind;
  p.size_bytes = spec.GetInt("size");
  if (p.size_bytes < 1) {
    throw UsageError(what + ": size must be >= 1 byte (got " + std::to_string(p.size_bytes) + ")");
  }
  p.dtype = ParseDtype(what, spec.Get("dtype"), kCommDtypes);
  if (CollectiveReduces(kind)) p.op = ParseCommOp(what, spec.Get("op"));
  p.in_place = spec.GetBool("in_place");
  p.graph = spec.GetBool("graph");
  return p;
}

CollectiveLayout CollectiveLayoutFor(const CollectiveProblem& p, int64_t ranks) {
  if (ranks < 1) throw std::invalid_argument("CollectiveLayoutFor: ranks must be >= 1");
  const auto elem = static_cast<int64_t>(DtypeBytes(p.dtype));
  CollectiveLayout l;
  l.ranks = ranks;
  if (p.kind == CollectiveKind::kAllReduce) {
    l.count = p.size_bytes / elem;
    l.send_elems = l.recv_elems = l.count;
    l.bytes = l.count * elem;
  } else {
    l.count = p.size_bytes / elem / ranks;
    const int64_t total = l.count * ranks;
    l.send_elems = p.kind == CollectiveKind::kAllGather ? l.count : total;
    l.recv_elems = p.kind == CollectiveKind::kAllGather ? total : l.count;
    l.bytes = total * elem;
  }
  if (l.count == 0) {
    std::string need = std::to_string(elem) + " B";
    if (p.kind != CollectiveKind::kAllReduce) need += " x " + std::to_string(ranks) + " ranks";
    throw CaseSkipped("size " + std::to_string(p.size_bytes) + " B is below one " +
                      DtypeName(p.dtype) + " element per rank (" + need + ")");
  }
  l.rounded = l.bytes != p.size_bytes;
  return l;
}

double BusBandwidthFactor(CollectiveKind kind, int64_t ranks) {
  const double n = static_cast<double>(ranks);
  // nccl-tests doc/PERFORMANCE.md, Summary: AllReduce 2(n-1)/n; ReduceScatter, AllGather (n-1)/n.
  const double factor = (n - 1.0) / n;
  return kind == CollectiveKind::kAllReduce ? 2.0 * factor : factor;
}

Work CollectiveWork(const CollectiveProblem& p, const CollectiveLayout& layout, int nodes) {
  Work work;
  // S, "the size of the total array" (nccl-tests doc/PERFORMANCE.md): algbw = S / t.
  work.bytes = static_cast<double>(layout.bytes);
  work.busbw_factor = BusBandwidthFactor(p.kind, layout.ranks);
  work.bandwidth_domain = nodes > 1 ? "network" : "interconnect";
  work.nodes = nodes;
  return work;
}

std::map<std::string, std::string> CollectiveDetails(const CollectiveProblem& p,
                                                     const CollectiveLayout& layout) {
  std::map<std::string, std::string> d;
  d["ranks"] = std::to_string(layout.ranks);
  d["count"] = std::to_string(layout.count);
  d["bytes"] = std::to_string(layout.bytes);
  if (layout.rounded) {
    std::string unit = std::to_string(DtypeBytes(p.dtype)) + " B";
    if (p.kind != CollectiveKind::kAllReduce)
      unit += " x " + std::to_string(layout.ranks) + " ranks";
    d["size_note"] = "size " + std::to_string(p.size_bytes) + " B rounded down to " +
                     std::to_string(layout.bytes) + " B, a multiple of " + unit +
                     ", as nccl-tests does";
  }
  if (layout.ranks == 1) {
    d["single_rank"] = "true";
    d["note"] = "single rank: bus bandwidth undefined";
  }
  return d;
}

}  // namespace gq
