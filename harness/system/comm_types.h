#pragma once
// Element types and reduction operators of the collectives (allreduce, all_gather,
// reduce_scatter), shared by the Communicator (MPI / single process), the NCCL backend and the
// collective workloads. Element types are gpuqual's Dtype (harness/dtype.h); kCommDtypes are those
// the collectives take. Plain enums: usable from host and device code.
#include <string>

#include "harness/dtype.h"

namespace gq {

// The collectives' dtype axis, in its order.
inline constexpr Dtype kCommDtypes[] = {Dtype::kFp32,  Dtype::kBf16,  Dtype::kFp16, Dtype::kFp64,
                                        Dtype::kInt32, Dtype::kInt64, Dtype::kInt8, Dtype::kUint8};

enum class CommOp { kSum, kMax, kMin };

// "sum", "max", "min".
const char* CommOpName(CommOp op);
// Throws UsageError naming `what` and the choices for an unknown spelling.
CommOp ParseCommOp(const std::string& what, const std::string& name);

}  // namespace gq
