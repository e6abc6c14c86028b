#include "workloads/membw/membw_problem.h"

#include <vector>

#include "harness/errors.h"
#include "harness/seeds.h"

namespace gq {
namespace {

struct OpInfo {
  MembwOp op;
  const char* name;
  bool by_default;
};

const OpInfo kOps[] = {
    {MembwOp::kCopy, "copy", true},       {MembwOp::kRead, "read", true},
    {MembwOp::kWrite, "write", true},     {MembwOp::kTriad, "triad", true},
    {MembwOp::kCopyCe, "copy_ce", false}, {MembwOp::kH2dCe, "h2d_ce", true},
    {MembwOp::kD2hCe, "d2h_ce", true},    {MembwOp::kBidirCe, "bidir_ce", true},
    {MembwOp::kD2dCe, "d2d_ce", true},    {MembwOp::kH2dSm, "h2d_sm", false},
    {MembwOp::kD2hSm, "d2h_sm", false},   {MembwOp::kBidirSm, "bidir_sm", false},
    {MembwOp::kD2dSm, "d2d_sm", false},
};

}  // namespace

const char* MembwOpName(MembwOp op) {
  for (const OpInfo& info : kOps) {
    if (info.op == op) return info.name;
  }
  return "?";
}

MembwOp ParseMembwOp(const std::string& name) {
  std::string known;
  for (const OpInfo& info : kOps) {
    if (name == info.name) return info.op;
    known += (known.empty() ? "" : ", ") + std::string(info.name);
  }
  throw UsageError("membw: unknown op '" + name + "' (choices: " + known + ")");
}

const std::vector<MembwOp>& AllMembwOps() {
  static const std::vector<MembwOp> ops = [] {
    std::vector<MembwOp> out;
    for (const OpInfo& info : kOps) out.push_back(info.op);
    return out;
  }();
  return ops;
}

std::vector<std::string> DefaultMembwOpNames() {
  std::vector<std::string> out;
  for (const OpInfo& info : kOps) {
    if (info.by_default) out.emplace_back(info.name);
  }
  return out;
}

bool IsDeviceMemoryOp(MembwOp op) {
  return op == MembwOp::kCopy || op == MembwOp::kRead || op == MembwOp::kWrite ||
         op == MembwOp::kTriad || op == MembwOp::kCopyCe;
}

bool IsPeerOp(MembwOp op) { return op == MembwOp::kD2dCe || op == MembwOp::kD2dSm; }

bool UsesCopyEngine(MembwOp op) {
  return op == MembwOp::kCopyCe || op == MembwOp::kH2dCe || op == MembwOp::kD2hCe ||
         op == MembwOp::kBidirCe || op == MembwOp::kD2dCe;
}

bool IsBidirectional(MembwOp op) { return op == MembwOp::kBidirCe || op == MembwOp::kBidirSm; }

int MembwDeviceArrays(MembwOp op) {
  switch (op) {
    case MembwOp::kRead:
    case MembwOp::kWrite:
    case MembwOp::kH2dCe:
    case MembwOp::kD2hCe:
    case MembwOp::kH2dSm:
    case MembwOp::kD2hSm:
    case MembwOp::kD2dCe:  // the source; the destination lives on the peer
    case MembwOp::kD2dSm:
      return 1;
    case MembwOp::kCopy:
    case MembwOp::kCopyCe:
    case MembwOp::kBidirCe:
    case MembwOp::kBidirSm:
      return 2;
    case MembwOp::kTriad:
      return 3;
  }
  return 1;
}

const char* MembwBandwidthDomain(MembwOp op) {
  if (IsDeviceMemoryOp(op)) return "device";
  return IsPeerOp(op) ? "peer" : "pcie";
}

MembwProblem MembwProblemFromCase(const CaseSpec& spec) {
  MembwProblem p;
  p.op = ParseMembwOp(spec.Get("op"));
  p.size = spec.GetInt("size");
  if (p.size < kMembwVectorBytes || p.size % kMembwVectorBytes != 0) {
    throw UsageError("membw: size must be a positive multiple of 16 bytes (got " +
                     std::to_string(p.size) + ")");
  }
  const int64_t threads = spec.GetInt("threads");
  if (threads < 0 || threads > kMembwMaxThreads) {
    throw UsageError("membw: threads must be 0 (every allowed CPU) to " +
                     std::to_string(kMembwMaxThreads) + " (got " + std::to_string(threads) + ")");
  }
  p.threads = static_cast<int>(threads);
  p.seed = SeedFromText(spec.Id());
  return p;
}

Work MembwWork(const MembwProblem& problem) {
  const double n = static_cast<double>(problem.size);
  Work work;
  switch (problem.op) {
    case MembwOp::kCopy:
    case MembwOp::kCopyCe:
      work.bytes = 2 * n;  // N read + N written (BabelStream/STREAM Copy)
      break;
    case MembwOp::kRead:
    case MembwOp::kWrite:
      work.bytes = n;  // N read, or N written
      break;
    case MembwOp::kTriad:
      work.bytes = 3 * n;  // b and c read, a written (BabelStream/STREAM Triad)
      break;
    case MembwOp::kBidirCe:
    case MembwOp::kBidirSm:
      work.bytes = 2 * n;  // N each way across the link: both directions (nvbandwidth reports one)
      break;
    default:
      work.bytes = n;  // N across the link once (nvbandwidth)
      break;
  }
  work.bandwidth_domain = MembwBandwidthDomain(problem.op);
  return work;
}

}  // namespace gq
