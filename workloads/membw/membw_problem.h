#pragma once
// One membw case: which transfer, how many bytes, and the byte count its rate is made of.
//
// Ops (the `op` axis; an op's suffix names its engine where a GPU has two ways to move the data):
//   copy      dst = src over device memory, SM kernel          bytes = 2N   domain device
//   read      sum of src over device memory, SM kernel         bytes = N    domain device
//   write     dst = pattern over device memory, SM kernel      bytes = N    domain device
//   triad     a = b + s*c over device memory, SM kernel        bytes = 3N   domain device
//   copy_ce   dst = src over device memory, copy engine        bytes = 2N   domain device
//   h2d_ce    pinned host -> device, copy engine               bytes = N    domain pcie
//   d2h_ce    device -> pinned host, copy engine               bytes = N    domain pcie
//   bidir_ce  h2d and d2h at once, copy engines                bytes = 2N   domain pcie
//   d2d_ce    this GPU -> the next visible GPU, copy engine    bytes = N    domain peer
//   h2d_sm, d2h_sm, bidir_sm, d2d_sm: the same with an SM kernel reading/writing the pinned host
//             (or peer) memory mapped into the device address space.
// N is the `size` axis: bytes of each array or buffer (a triad has three arrays of N bytes).
// On the cpu backend copy, read, write and triad run over host memory with std::thread.
//
// Byte counting. Device-memory ops count every byte read plus every byte written, the
// convention of BabelStream (Deakin et al., "Evaluating attainable memory bandwidth of parallel
// programming models via BabelStream", IJCSE 2018: Copy 2 arrays, Triad 3 arrays) and of STREAM
// (McCalpin: "bytes/iter" Copy 16, Triad 24 for 8-byte words); so a copy of N bytes counts 2N and
// compares directly with torch's read+write copy figure. Transfers count the bytes that cross the
// link once per direction, the convention of nvbandwidth (NVIDIA/nvbandwidth README: a copy of N
// bytes is N bytes of bandwidth), because the link, not either memory, is what they measure. A
// bidirectional test counts both directions, 2N (the aggregate, as link datasheets quote
// bidirectional figures, and its PCIe roofline is twice the per-direction rate); nvbandwidth's
// bidirectional tests report the measured direction alone, N / t, about half of gpuqual's. gpuqual therefore follows BabelStream for device memory and
// nvbandwidth for links: an nvbandwidth device_local_copy figure is half of gpuqual's copy_ce.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/axis.h"
#include "harness/work.h"

namespace gq {

enum class MembwOp {
  kCopy,
  kRead,
  kWrite,
  kTriad,
  kCopyCe,
  kH2dCe,
  kD2hCe,
  kBidirCe,
  kD2dCe,
  kH2dSm,
  kD2hSm,
  kBidirSm,
  kD2dSm,
};

struct MembwProblem {
  MembwOp op = MembwOp::kCopy;
  int64_t size = 0;   // bytes per array/buffer: a positive multiple of 16 (one 16-byte vector)
  int threads = 0;    // cpu backend: worker threads, 0 = every CPU the process may run on
  uint64_t seed = 0;  // base seed of the data patterns, derived from the case id
};

constexpr int64_t kMembwVectorBytes = 16;
constexpr int kMembwMaxThreads = 4096;

const char* MembwOpName(MembwOp op);
MembwOp ParseMembwOp(const std::string& name);  // throws UsageError
// Every op, in declaration order, and the ones a run gets by default.
const std::vector<MembwOp>& AllMembwOps();
std::vector<std::string> DefaultMembwOpNames();

// copy, read, write, triad, copy_ce: data stays in the device's own memory.
bool IsDeviceMemoryOp(MembwOp op);
bool IsPeerOp(MembwOp op);          // d2d_ce, d2d_sm
bool UsesCopyEngine(MembwOp op);    // the *_ce ops
bool IsBidirectional(MembwOp op);   // bidir_ce, bidir_sm
// Arrays of `size` bytes the op reads and writes on the device (rotation and memory checks).
int MembwDeviceArrays(MembwOp op);
// "device", "pcie" or "peer" (Work::bandwidth_domain).
const char* MembwBandwidthDomain(MembwOp op);

// Reads op, size and threads from the case. Throws UsageError for a size that is not a positive
// multiple of 16 or threads outside 0..kMembwMaxThreads.
MembwProblem MembwProblemFromCase(const CaseSpec& spec);

// bytes as in the table above; bandwidth_domain set; no flops (no compute peak applies).
Work MembwWork(const MembwProblem& problem);

}  // namespace gq
