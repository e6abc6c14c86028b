#pragma once
// Versions of the libraries the workloads run on, for provenance (the microbench's JSON context),
// as name -> text: "openblas" (OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH
// NO_AFFINITY Haswell MAX_THREADS=64"); in a CUDA build "cublaslt" (cublasLtGetVersion), and
// where built "cudnn" (cudnnGetVersion) and "nccl" (ncclGetVersion), each "major.minor.patch" from
// the library loaded at run time (major * 10000 + minor * 100 + patch). Libraries this build does
// not have are left out.
#include <map>
#include <string>

namespace gq {

std::map<std::string, std::string> LibraryVersions();

// "12.9.3" from 120903: major * 10000 + minor * 100 + patch (exposed for tests).
std::string DottedVersion(long packed);

}  // namespace gq
