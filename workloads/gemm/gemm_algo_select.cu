// cuBLASLt heuristic query and autotuning (contract in gemm_algo_select.cuh). No kernels here:
// every launch is a cublasLtMatmul on the case's stream.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "harness/errors.h"
#include "harness/gpu/cuda_check.h"
#include "harness/gpu/cuda_resources.cuh"
#include "workloads/gemm/gemm_algo_select.cuh"
#include "workloads/gemm/gemm_cuda_objects.cuh"

namespace gq {
namespace {

double Median(std::vector<float> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (double(values[n / 2 - 1]) + values[n / 2]);
}

// A pair of timing events around work on one stream.
struct EventPair {
  CudaEvent start, stop;
};

// Issues `calls` matmuls between the event pair, rotating copies; returns ms per call, or NaN
// when a call failed.
float TimeCalls(const GemmMatmulPlan& plan, const cublasLtMatmulAlgo_t& algo,
                const std::vector<GemmOperandPtrs>& copies, cudaStream_t stream, size_t& next_copy,
                const EventPair& events, int calls) {
  GQ_CUDA_CHECK(cudaEventRecord(events.start.get(), stream));
  for (int call = 0; call < calls; ++call) {
    const GemmOperandPtrs& ops = copies[next_copy];
    next_copy = (next_copy + 1) % copies.size();
    if (LaunchGemm(plan, algo, ops, stream) != CUBLAS_STATUS_SUCCESS) {
      return std::numeric_limits<float>::quiet_NaN();
    }
  }
  GQ_CUDA_CHECK(cudaEventRecord(events.stop.get(), stream));
  return WaitElapsedMs(events.start.get(), events.stop.get()) / static_cast<float>(calls);
}

// Times one candidate; returns its median time per call in microseconds, or NaN when a call
// failed. Each timed sample covers enough back-to-back calls (estimated from the last warm-up
// call) to last about kGemmAutotuneSampleMs, so launch gaps do not decide between small kernels.
double TimeCandidate(const GemmMatmulPlan& plan, const cublasLtMatmulAlgo_t& algo,
                     const std::vector<GemmOperandPtrs>& copies, cudaStream_t stream,
                     size_t& next_copy, const EventPair& events) {
  float warm_ms = 0;
  for (int call = 0; call < kGemmAutotuneWarmup; ++call) {
    warm_ms = TimeCalls(plan, algo, copies, stream, next_copy, events, 1);
    if (std::isnan(warm_ms)) return std::numeric_limits<double>::quiet_NaN();
  }
  const int calls_per_sample =
      static_cast<int>(std::clamp(kGemmAutotuneSampleMs / std::max(warm_ms, 1e-4f), 1.0f,
                                  float(kGemmAutotuneMaxCallsPerSample)));
  std::vector<float> samples_ms;
  float total_ms = 0;
  while (static_cast<int>(samples_ms.size()) < kGemmAutotuneMaxTimed) {
    const float ms = TimeCalls(plan, algo, copies, stream, next_copy, events, calls_per_sample);
    if (std::isnan(ms)) return std::numeric_limits<double>::quiet_NaN();
    samples_ms.push_back(ms);
    total_ms += ms * calls_per_sample;
    if (static_cast<int>(samples_ms.size()) >= kGemmAutotuneMinTimed &&
        total_ms > kGemmAutotuneBudgetMs) {
      break;
    }
  }
  return Median(samples_ms) * 1e3;
}

template <typename T>
T AlgoConfig(const cublasLtMatmulAlgo_t& algo, cublasLtMatmulAlgoConfigAttributes_t attribute) {
  T value{};
  size_t written = 0;
  GQ_CUBLAS_CHECK(
      cublasLtMatmulAlgoConfigGetAttribute(&algo, attribute, &value, sizeof(value), &written));
  return value;
}

std::string ReductionName(uint32_t scheme) {
  switch (scheme) {
    case CUBLASLT_REDUCTION_SCHEME_NONE:
      return "none";
    case CUBLASLT_REDUCTION_SCHEME_INPLACE:
      return "inplace";
    case CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE:
      return "compute_type";
    case CUBLASLT_REDUCTION_SCHEME_OUTPUT_TYPE:
      return "output_type";
    default:
      return std::to_string(scheme);
  }
}

}  // namespace

GemmAlgoSelection SelectGemmAlgo(const GemmMatmulPlan& plan,
                                 const std::vector<GemmOperandPtrs>& copies, bool autotune,
                                 cudaStream_t stream, size_t& next_copy) {
  if (copies.empty()) throw std::invalid_argument("SelectGemmAlgo: no operand copies");
  LtPreference preference;
  GQ_CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(preference.out()));
  const uint64_t max_workspace = plan.workspace_bytes;
  GQ_CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(preference.get(),
                                                       CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                       &max_workspace, sizeof(max_workspace)));

  cublasLtMatmulHeuristicResult_t results[kGemmHeuristicRequest] = {};
  int returned = 0;
  const cublasStatus_t status =
      cublasLtMatmulAlgoGetHeuristic(plan.handle, plan.desc, plan.a, plan.b, plan.c, plan.c,
                                     preference.get(), kGemmHeuristicRequest, results, &returned);
  if (status == CUBLAS_STATUS_NOT_SUPPORTED || (status == CUBLAS_STATUS_SUCCESS && returned == 0)) {
    // The library has no kernel for the case: nothing to measure, and nothing wrong with the GPU.
    throw CaseSkipped("cuBLASLt has no algorithm for this dtype, layout and shape on this GPU "
                      "(cublasLtMatmulAlgoGetHeuristic returned none; try dimensions that are multiples of 16)");
  }
  GQ_CUBLAS_CHECK(status);

  GemmAlgoSelection selection;
  selection.heuristic_count = returned;
  if (!autotune) {
    for (int r = 0; r < returned; ++r) {
      if (results[r].state != CUBLAS_STATUS_SUCCESS) continue;
      selection.algo = results[r].algo;
      selection.rank = r;
      return selection;
    }
    throw std::runtime_error("cuBLASLt heuristic returned no usable algorithm");
  }

  const int device = CurrentDevice();  // the stream's
  const EventPair events{MakeTimingEvent(device), MakeTimingEvent(device)};
  const int candidates = std::min(returned, kGemmAutotuneCandidates);
  double best_us = std::numeric_limits<double>::infinity();
  for (int r = 0; r < candidates; ++r) {
    double us = std::numeric_limits<double>::quiet_NaN();
    if (results[r].state == CUBLAS_STATUS_SUCCESS) {
      us = TimeCandidate(plan, results[r].algo, copies, stream, next_copy, events);
    }
    selection.candidate_us.push_back(us);
    if (std::isnan(us)) continue;
    ++selection.timed_count;
    if (us < best_us) {
      best_us = us;
      selection.algo = results[r].algo;
      selection.rank = r;
    }
  }
  if (selection.timed_count == 0) {
    throw std::runtime_error("none of the " + std::to_string(candidates) +
                             " cuBLASLt candidate algorithms ran");
  }
  return selection;
}

std::map<std::string, std::string> DescribeGemmAlgo(const cublasLtMatmulAlgo_t& algo) {
  return {
      {"algo_id", std::to_string(AlgoConfig<int32_t>(algo, CUBLASLT_ALGO_CONFIG_ID))},
      {"tile", std::to_string(AlgoConfig<uint32_t>(algo, CUBLASLT_ALGO_CONFIG_TILE_ID))},
      {"stages", std::to_string(AlgoConfig<uint32_t>(algo, CUBLASLT_ALGO_CONFIG_STAGES_ID))},
      {"splitk", std::to_string(AlgoConfig<int32_t>(algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM))},
      {"reduction",
       ReductionName(AlgoConfig<uint32_t>(algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME))},
  };
}

}  // namespace gq
