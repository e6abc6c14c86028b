#include "workloads/library_versions.h"

#include <cblas.h>

#if GQ_WITH_CUDA
#include <cublasLt.h>
#endif
#if GQ_WITH_CUDNN
#include <cudnn_graph.h>
#endif
#if GQ_WITH_NCCL
#include <nccl.h>
#endif

namespace gq {

std::string DottedVersion(long packed) {
  return std::to_string(packed / 10000) + "." + std::to_string(packed / 100 % 100) + "." +
         std::to_string(packed % 100);
}

std::map<std::string, std::string> LibraryVersions() {
  std::map<std::string, std::string> v;
  if (const char* config = openblas_get_config(); config != nullptr) v["openblas"] = config;
#if GQ_WITH_CUDA
  v["cublaslt"] = DottedVersion(static_cast<long>(cublasLtGetVersion()));
#endif
#if GQ_WITH_CUDNN
  v["cudnn"] = DottedVersion(static_cast<long>(cudnnGetVersion()));
#endif
#if GQ_WITH_NCCL
  int nccl = 0;
  if (ncclGetVersion(&nccl) == ncclSuccess) v["nccl"] = DottedVersion(nccl);
#endif
  return v;
}

}  // namespace gq
