#pragma once
// A results file's figures in the formats of two benchmark-tracking services, for CI pipelines
// that keep their history there (`gpuqual compare --export-github-benchmark / --export-bencher`).
// One entry per measured case (ok or noisy), its primary metric; the name is the case id plus the
// device, e.g. "gemm/dtype=bf16/m=8192/n=8192/k=8192/layout=TN [cuda:0]".
//   github-action-benchmark (benchmark-action/github-action-benchmark), tool customBiggerIsBetter:
//     [{"name", "unit", "value", "range": "± half-width of the median's 95% CI", "extra"}]
//     Only higher-is-better metrics (every primary metric gpuqual has: TFLOP/s, GB/s, tok/s);
//     lower-is-better ones would need customSmallerIsBetter and are left out.
//   Bencher Metric Format (BMF, bencher.dev):
//     {"<name>": {"<metric>": {"value", "lower_value", "upper_value"}}}, bounds the median's CI.
#include <nlohmann/json.hpp>

#include "harness/results.h"

namespace gq {

nlohmann::ordered_json GithubBenchmarkJson(const ResultsDoc& doc);
nlohmann::ordered_json BencherJson(const ResultsDoc& doc);

}  // namespace gq
