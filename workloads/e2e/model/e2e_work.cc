#include "workloads/e2e/model/e2e_work.h"

#include "harness/dtype.h"

namespace gq {
namespace {

// Bytes of an element of the weights, activations and KV cache.
double ElemBytes(const E2eProblem& p) { return static_cast<double>(DtypeBytes(p.dtype)); }

double WeightBytesPerGpu(const E2eProblem& p) { return p.model.MatmulParams() / p.tp * ElemBytes(p); }

// K and V rows of one token across all layers, on one GPU.
double KvRowBytesPerGpu(const E2eProblem& p) {
  const ModelConfig& m = p.model;
  return double(m.layers) * 2 * p.kv_heads_local() * m.head_dim * ElemBytes(p);
}

}  // namespace

E2ePhaseWork E2ePrefillWork(const E2eProblem& p) {
  const ModelConfig& m = p.model;
  const double tokens = double(p.batch) * p.input_len;
  const double s = p.input_len;
  const double layer_params = m.LayerMatmulParams() * m.layers / p.tp;
  const double head_params = double(m.vocab) * m.hidden / p.tp;
  // Causal pairs per (sequence, head): s (s + 1) / 2.
  const double attention = double(m.layers) * 4.0 * p.batch * p.heads_local() * m.head_dim * s * (s + 1) / 2;
  E2ePhaseWork w;
  // LM head on the last row of each sequence only.
  w.flops = 2 * layer_params * tokens + 2 * head_params * p.batch + attention;
  w.bytes = WeightBytesPerGpu(p) + tokens * KvRowBytesPerGpu(p) + tokens * m.hidden * ElemBytes(p);
  return w;
}

E2ePhaseWork E2eDecodeStepWork(const E2eProblem& p, double context) {
  const ModelConfig& m = p.model;
  const double b = p.batch;
  E2ePhaseWork w;
  const double attention = double(m.layers) * 4.0 * b * p.heads_local() * m.head_dim * context;
  w.flops = 2 * (m.MatmulParams() / p.tp) * b + attention;
  // The context's K and V rows are read (the new one included) and the new row written.
  w.bytes = WeightBytesPerGpu(p) + b * (context + 1) * KvRowBytesPerGpu(p) + b * m.hidden * ElemBytes(p);
  return w;
}

double E2eMeanDecodeContext(const E2eProblem& p) { return p.input_len + p.output_len / 2.0; }

Work E2eWork(const E2eProblem& p) {
  Work w;
  w.gpus = p.tp;
  w.compute_dtype = DtypePeakKey(p.dtype);
  const E2ePhaseWork prefill = E2ePrefillWork(p);
  switch (p.scenario) {
    case E2eScenario::kOffline: {
      w.tokens = double(p.batch) * p.output_len;
      w.prefill_tokens = double(p.batch) * p.input_len;
      w.phases.push_back({"prefill", prefill.flops, prefill.bytes, 1});
      const double steps = p.output_len - 1;
      const E2ePhaseWork step = E2eDecodeStepWork(p, E2eMeanDecodeContext(p));
      if (steps > 0) w.phases.push_back({"decode_step", step.flops, step.bytes, steps});
      break;
    }
    case E2eScenario::kPrefill:
      w.tokens = p.batch;
      w.prefill_tokens = double(p.batch) * p.input_len;
      w.phases.push_back({"prefill", prefill.flops, prefill.bytes, 1});
      break;
    case E2eScenario::kDecode: {
      w.tokens = p.batch;
      const E2ePhaseWork step = E2eDecodeStepWork(p, p.input_len + 1.0);
      w.phases.push_back({"decode_step", step.flops, step.bytes, 1});
      break;
    }
  }
  for (WorkPhase& phase : w.phases) {
    phase.flops *= p.tp;
    phase.bytes *= p.tp;
    w.flops += phase.flops * phase.repeats;
    w.bytes += phase.bytes * phase.repeats;
  }
  return w;
}

}  // namespace gq
