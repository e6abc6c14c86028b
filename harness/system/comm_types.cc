#include "harness/system/comm_types.h"

#include "harness/errors.h"

namespace gq {
namespace {

constexpr CommOp kAllOps[] = {CommOp::kSum, CommOp::kMax, CommOp::kMin};

}  // namespace

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

CommOp ParseCommOp(const std::string& what, const std::string& name) {
  for (CommOp op : kAllOps) {
    if (name == CommOpName(op)) return op;
  }
  throw UsageError(what + ": unknown op '" + name + "' (choices: sum, max, min)");
}

}  // namespace gq
