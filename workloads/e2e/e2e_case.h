#pragma once
// One prepared e2e case over a backend (cpu or CUDA): the scenario (e2e_model.h) as the timed
// iteration, its phase times, verification and details. Prepare runs a prefill and captures the
// decode step (CUDA graph) before anything is timed.
//
// Run (one iteration), with time marks (e2e_backend.h):
//   offline  mark 0; prefill of batch x input_len (first token sampled); mark 1; output_len - 1
//            decode steps, each a replay of the captured decode graph, mark after each
//   prefill  mark 0; prefill; mark 1
//   decode   mark 0; positions back to input_len; one decode step; mark 1
// PhaseSeconds (work.h names), from the marks of the last iteration (seconds):
//   prefill = ttft = mark1 - mark0                 (offline and prefill: all requests start at 0)
//   tpot = (mark_out - mark1) / (output_len - 1)   (offline, output_len > 1); decode: mark1 - mark0
//   itl_p50, itl_p99 = percentiles of mark_{i+1} - mark_i, i = 1 .. output_len - 1 (offline)
#include <functional>
#include <memory>

#include "harness/workload.h"
#include "workloads/e2e/e2e_backend.h"
#include "workloads/e2e/model/e2e_model.h"

namespace gq {

// `reference`: the cpu backend to cross-check against (null: none). `tolerance`: of both checks.
std::unique_ptr<PreparedCase> MakeE2eCase(const E2eProblem& p, std::unique_ptr<E2eBackend> backend,
                                          std::unique_ptr<E2eBackend> reference, double tolerance);

}  // namespace gq
