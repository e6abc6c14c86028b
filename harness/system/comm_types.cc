#include "harness/system/comm_types.h"

#include "harness/errors.h"

namespace gq {
namespace {

constexpr CommDtype kAllDtypes[] = {CommDtype::kFp32, CommDtype::kBf16,  CommDtype::kFp16,
                                    CommDtype::kFp64, CommDtype::kInt32, CommDtype::kInt64,
                                    CommDtype::kInt8, CommDtype::kUint8};
constexpr CommOp kAllOps[] = {CommOp::kSum, CommOp::kMax, CommOp::kMin};

}  // namespace

const char* CommDtypeName(CommDtype dtype) {
  switch (dtype) {
    case CommDtype::kFp32:
      return "fp32";
    case CommDtype::kBf16:
      return "bf16";
    case CommDtype::kFp16:
      return "fp16";
    case CommDtype::kFp64:
      return "fp64";
    case CommDtype::kInt32:
      return "int32";
    case CommDtype::kInt64:
      return "int64";
    case CommDtype::kInt8:
      return "int8";
    case CommDtype::kUint8:
      return "uint8";
  }
  return "?";
}

const char* CommOpName(CommOp op) {
  switch (op) {
    case CommOp::kSum:
      return "sum";
    case CommOp::kMax:
      return "max";
    case CommOp::kMin:
      return "min";
  }
  return "?";
}

CommDtype ParseCommDtype(const std::string& what, const std::string& name) {
  std::string choices;
  for (CommDtype d : kAllDtypes) {
    if (name == CommDtypeName(d)) return d;
    choices += (choices.empty() ? "" : ", ") + std::string(CommDtypeName(d));
  }
  throw UsageError(what + ": unknown dtype '" + name + "' (choices: " + choices + ")");
}

CommOp ParseCommOp(const std::string& what, const std::string& name) {
  for (CommOp op : kAllOps) {
    if (name == CommOpName(op)) return op;
  }
  throw UsageError(what + ": unknown op '" + name + "' (choices: sum, max, min)");
}

size_t CommDtypeBytes(CommDtype dtype) {
  switch (dtype) {
    case CommDtype::kFp64:
    case CommDtype::kInt64:
      return 8;
    case CommDtype::kFp32:
    case CommDtype::kInt32:
      return 4;
    case CommDtype::kBf16:
    case CommDtype::kFp16:
      return 2;
    case CommDtype::kInt8:
    case CommDtype::kUint8:
      return 1;
  }
  return 0;
}

bool CommDtypeIsFloat(CommDtype dtype) {
  return dtype == CommDtype::kFp32 || dtype == CommDtype::kBf16 || dtype == CommDtype::kFp16 ||
         dtype == CommDtype::kFp64;
}

}  // namespace gq
