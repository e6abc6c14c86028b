#pragma once
// The workload "e2e": end-to-end token throughput of a Llama-style decoder with random weights
// (model and scenario in e2e_model.h; the forward pass in e2e_forward.h; metrics in
// harness/work.h TokenThroughputMetrics: output_tok_s first, the case's figure, except in the
// prefill scenario, whose figure is prefill_tok_s).
//
// Axes: model (a preset), scenario (offline, prefill, decode: e2e_model.h), batch, input_len,
// output_len, dtype (bf16), tp (tensor-parallel degree), and the shape overrides layers, hidden, heads, kv_heads, ffn, vocab (0 = the
// preset's). On the cpu the defaults are the tiny preset with a short scenario.
// Backends: CUDA (tp GPUs of one process, or tp ranks of an MPI job) and the cpu (tp = 1, or tp
// ranks of an MPI job). A case spans devices (a GPU group) only when tp > 1.
// Skips, with the reason: a model that does not fit (bytes needed and available), tp not
// matching the GPUs or ranks at hand, a head dim without an attention kernel.
// Verification (e2e_verify.h): cached decode vs a full forward; with a model of at most
// kE2eReferenceMaxParams parameters, a GPU run (any tp) and a sharded cpu run (tp > 1) are also
// checked against the cpu fp32 reference of the whole model on one device.
#include <memory>

#include "harness/workload.h"
#include "workloads/allreduce/collective_workload.h"

namespace gq {

inline constexpr double kE2eReferenceMaxParams = 64e6;
// Relative L2 tolerances of the logits checks: the cpu computes in fp32 throughout (only the
// summation order differs between the cached and the full pass); the GPU rounds activations and
// the KV cache to bf16 (8-bit mantissa, 2^-9 relative) at every op, and two passes round
// differently (GEMM shapes, split-KV vs single-pass attention).
inline constexpr double kE2eCpuTolerance = 1e-4;
inline constexpr double kE2eBf16Tolerance = 0.1;

class E2eWorkload final : public Workload {
 public:
  explicit E2eWorkload(std::shared_ptr<CollectiveRuntime> runtime) : runtime_(std::move(runtime)) {}

  std::string Name() const override { return "e2e"; }
  std::string Summary() const override;
  std::vector<AxisSpec> Axes() const override;
  std::vector<MetricSpec> Metrics() const override;
  // prefill_tok_s for the prefill scenario (its output_tok_s is one token per sequence); else the
  // first metric, output_tok_s.
  std::string PrimaryMetricFor(const CaseSpec& spec) const override;
  std::unique_ptr<PreparedCase> Prepare(const CaseSpec& spec, DeviceContext& ctx) override;
  void Validate(const CaseSpec& spec) const override;
  std::map<std::string, std::vector<std::string>> DefaultsFor(DeviceRef::Kind kind) const override;
  bool SpansDevices(const CaseSpec& spec) const override;

 private:
  std::shared_ptr<CollectiveRuntime> runtime_;
};

}  // namespace gq
