#pragma once
// Element types and reduction operators of the collectives (allreduce, all_gather,
// reduce_scatter), shared by the Communicator (MPI / single process), the NCCL backend and the
// collective workloads. Plain enums: usable from host and device code.
#include <cstddef>
#include <string>

namespace gq {

enum class CommDtype { kFp32, kBf16, kFp16, kFp64, kInt32, kInt64, kInt8, kUint8 };
enum class CommOp { kSum, kMax, kMin };

// Axis spellings: "fp32", "bf16", "fp16", "fp64", "int32", "int64", "int8", "uint8".
const char* CommDtypeName(CommDtype dtype);
// "sum", "max", "min".
const char* CommOpName(CommOp op);
// Throw UsageError naming `what` and the choices for an unknown spelling.
CommDtype ParseCommDtype(const std::string& what, const std::string& name);
CommOp ParseCommOp(const std::string& what, const std::string& name);

size_t CommDtypeBytes(CommDtype dtype);
bool CommDtypeIsFloat(CommDtype dtype);

}  // namespace gq
