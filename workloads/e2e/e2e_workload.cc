#include "workloads/e2e/e2e_workload.h"

#include <algorithm>
#include <exception>

#include "harness/dtype.h"
#include "harness/errors.h"
#include "harness/system/host_info.h"
#include "workloads/e2e/e2e_case.h"
#include "workloads/e2e/cpu/e2e_cpu_backend.h"
#include "workloads/e2e/e2e_forward.h"
#include "workloads/e2e/model/e2e_model.h"
#include "workloads/e2e/e2e_verify.h"
#if GQ_WITH_CUDA
#include "workloads/e2e/cuda/e2e_cuda_backend.h"
#endif

namespace gq {
namespace {

// Rows of the largest step: the timed prefill, or the verification's full forward.
int64_t MaxRows(const E2eProblem& p) {
  return std::max(MaxStepRows(p.batch, p.input_len, p.prefill_chunk_tokens),
                  MaxStepRows(p.batch, p.input_len + E2eVerifySteps(p.output_len), p.prefill_chunk_tokens));
}

std::unique_ptr<E2eBackend> CpuBackend(const E2eProblem& p, int rank, Communicator* world) {
  const int64_t rows = MaxRows(p);
  CheckHostMemory(E2eCpuBackendBytes(p, rows), 0.9);  // fp32 weights, KV cache, activations
  return MakeE2eCpuBackend(p, rows, rank, world);
}

// The same model and scenario on one device (the reference of a sharded run).
E2eProblem Single(E2eProblem p) {
  p.tp = 1;
  return p;
}

}  // namespace

std::string E2eWorkload::Summary() const {
  return "End-to-end LLM token throughput: Llama-style decoder (random weights), prefill + decode "
         "with KV cache, CUDA graphs, tensor parallel";
}

std::vector<AxisSpec> E2eWorkload::Axes() const {
  auto shape = [](const char* name, const char* help) {
    return AxisSpec{name, AxisKind::kInt, {"0"}, {}, std::string(help) + " (0 = the preset's)"};
  };
  return {
      {"model", AxisKind::kString, {"llama-3-8b"}, ModelPresetNames(),
       "published model shape (llama-3-8b, llama-3-70b, mistral-7b, qwen2.5-7b) or tiny"},
      {"scenario", AxisKind::kString, {"offline"}, {"offline", "prefill", "decode"},
       "one timed iteration: offline = prefill + output_len - 1 decode steps; prefill alone; "
       "decode = one step at context input_len"},
      {"batch", AxisKind::kInt, {"1", "16", "64"}, {}, "sequences decoded together"},
      {"input_len", AxisKind::kInt, {"1024"}, {}, "prompt tokens per sequence (prefill)"},
      {"output_len", AxisKind::kInt, {"128"}, {}, "generated tokens per sequence (1 from prefill, the rest decode steps)"},
      {"dtype", AxisKind::kString, {"bf16"}, DtypeNames(kE2eDtypes),
       "weights, activations and KV cache (fp32 accumulate; the cpu holds weights of these values and computes in fp32)"},
      {"tp", AxisKind::kInt, {"1"}, {}, "tensor-parallel degree (GPUs of one process, or MPI ranks)"},
      shape("layers", "decoder layers"),
      shape("hidden", "model width"),
      shape("heads", "query heads"),
      shape("kv_heads", "key/value heads"),
      shape("ffn", "SwiGLU intermediate size"),
      shape("vocab", "vocabulary size"),
  };
}

std::string E2eWorkload::PrimaryMetricFor(const CaseSpec& spec) const {
  return spec.Get("scenario") == "prefill" ? "prefill_tok_s" : "";
}

std::vector<MetricSpec> E2eWorkload::Metrics() const {
  std::vector<MetricSpec> metrics = TokenThroughputMetrics();
  for (MetricSpec& m : metrics) {
    // Dollars per million output tokens (qualify --price-per-hour).
    if (m.name == "output_tok_s") m.cost_role = CostRole::kOutputTokens;
  }
  return metrics;
}

std::map<std::string, std::vector<std::string>> E2eWorkload::DefaultsFor(DeviceRef::Kind kind) const {
  if (kind == DeviceRef::Kind::kCpu) {
    return {{"model", {"tiny"}}, {"batch", {"1", "4"}}, {"input_len", {"64"}}, {"output_len", {"16"}}};
  }
  return {};
}

bool E2eWorkload::SpansDevices(const CaseSpec& spec) const {
  try {
    return spec.GetInt("tp") > 1;
  } catch (const std::exception&) {
    return false;
  }
}

std::unique_ptr<PreparedCase> E2eWorkload::Prepare(const CaseSpec& spec, DeviceContext& ctx) {
  const E2eProblem p = E2eProblemFromCase(spec);
  Communicator& world = runtime_->world();
  if (!ctx.device().IsCuda()) {
    if (p.tp > 1 && world.size() != p.tp) {
      throw CaseSkipped("tp=" + std::to_string(p.tp) + " on the cpu runs as an MPI job of exactly " +
                        std::to_string(p.tp) + " ranks (this run has " + std::to_string(world.size()) + ")");
    }
    const int rank = p.tp > 1 ? world.rank() : 0;
    std::unique_ptr<E2eBackend> backend, reference;  // tp > 1: each rank's slice vs tp = 1
    std::exception_ptr error;
    try {
      backend = CpuBackend(p, rank, p.tp > 1 ? &world : nullptr);
      if (p.tp > 1 && p.model.TotalParams() <= kE2eReferenceMaxParams) reference = CpuBackend(Single(p), 0, nullptr);
    } catch (...) {
      error = std::current_exception();
    }
    // The case's set-up runs collectives (a prefill): every rank must have its backend first.
    AgreeToContinue(world, p.tp > 1, error);
    return MakeE2eCase(p, std::move(backend), std::move(reference), kE2eCpuTolerance);
  }
#if GQ_WITH_CUDA
  NcclCommPool* pool = nullptr;
#if GQ_WITH_NCCL
  if (p.tp > 1) pool = &runtime_->nccl();
#endif
  std::unique_ptr<E2eBackend> gpu = MakeE2eCudaBackend(p, MaxRows(p), ctx, world, pool);
  // The reference after the GPU set-up (whose skips come first and cost nothing), agreed over an
  // MPI group's ranks before the case's first collective: a rank whose reference failed must not
  // leave the others waiting in it.
  std::unique_ptr<E2eBackend> reference;
  std::exception_ptr error;
  try {
    if (p.model.TotalParams() <= kE2eReferenceMaxParams) reference = CpuBackend(Single(p), 0, nullptr);
  } catch (...) {
    error = std::current_exception();
  }
  AgreeToContinue(world, world.size() > 1 && p.tp > 1, error);
  return MakeE2eCase(p, std::move(gpu), std::move(reference), kE2eBf16Tolerance);
#else
  throw CaseSkipped("this build has no CUDA backend (configure with -DGQ_CUDA=ON)");
#endif
}

void E2eWorkload::Validate(const CaseSpec& spec) const { E2eProblemFromCase(spec); }

}  // namespace gq
