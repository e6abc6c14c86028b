#include "workloads/attention/attention_problem.h"

#include <algorithm>
#include <utility>

#include "harness/errors.h"
#include "harness/seeds.h"

namespace gq {

const char* AttentionBackendName(AttentionBackend backend) {
  switch (backend) {
    case AttentionBackend::kNative:
      return "native";
    case AttentionBackend::kCudnn:
      return "cudnn";
    case AttentionBackend::kCpu:
      return "cpu";
  }
  return "?";
}

int64_t AttentionProblem::VisibleKeys(int64_t i) const {
  if (!causal) return seq_kv;
  // Bottom-right alignment: key j is visible iff j <= i + (seq_kv - seq_q).
  return std::clamp<int64_t>(i + (seq_kv - seq_q) + 1, 0, seq_kv);
}

// Unmasked (i, j) pairs of one (batch, head):
//   non-causal: Sq * Skv.
//   causal, bottom-right aligned (row i sees keys 0 .. i + Skv - Sq, i.e. max(0, i + Skv - Sq + 1)
//   of them; never more than Skv since i <= Sq - 1):
//     Sq <= Skv: sum_{i=0}^{Sq-1} (i + Skv - Sq + 1) = Sq * Skv - Sq * (Sq - 1) / 2
//     Sq >  Skv: only rows i >= Sq - Skv see keys, 1, 2, ..., Skv of them: Skv * (Skv + 1) / 2
//   For Sq == Skv == S both give S * (S + 1) / 2: the diagonal is kept, so slightly more than
//   the S^2 / 2 that FlashAttention-2's benchmarks divide by (they count half the square).
double AttentionProblem::UnmaskedPairs() const {
  const double sq = static_cast<double>(seq_q);
  const double skv = static_cast<double>(seq_kv);
  if (!causal) return sq * skv;
  if (seq_q <= seq_kv) return sq * skv - sq * (sq - 1) / 2;
  return skv * (skv + 1) / 2;
}

AttentionProblem AttentionProblemFromCase(const CaseSpec& spec) {
  AttentionProblem p;
  const std::string& backend = spec.Get("backend");
  if (backend == "native") {
    p.backend = AttentionBackend::kNative;
  } else if (backend == "cudnn") {
    p.backend = AttentionBackend::kCudnn;
  } else if (backend == "cpu") {
    p.backend = AttentionBackend::kCpu;
  } else {
    throw UsageError("attention: unknown backend '" + backend + "' (choices: native, cudnn, cpu)");
  }
  p.batch = spec.GetInt("batch");
  p.heads = spec.GetInt("heads");
  p.kv_heads = spec.GetInt("kv_heads");
  p.seq_q = spec.GetInt("seq_q");
  p.seq_kv = spec.GetInt("seq_kv");
  p.head_dim = spec.GetInt("head_dim");
  if (p.kv_heads == 0) p.kv_heads = p.heads;
  if (p.seq_kv == 0) p.seq_kv = p.seq_q;
  for (const auto& [name, value] :
       {std::pair{"batch", p.batch}, std::pair{"heads", p.heads}, std::pair{"kv_heads", p.kv_heads},
        std::pair{"seq_q", p.seq_q}, std::pair{"seq_kv", p.seq_kv},
        std::pair{"head_dim", p.head_dim}}) {
    if (value < 1) {
      throw UsageError(std::string("attention: ") + name + " must be >= 1 (got " +
                       std::to_string(value) + ")");
    }
  }
  if (p.heads % p.kv_heads != 0) {
    throw UsageError("attention: kv_heads (" + std::to_string(p.kv_heads) +
                     ") must divide heads (" + std::to_string(p.heads) + ")");
  }
  p.causal = spec.GetBool("causal");
  p.dtype = ParseDtype("attention", spec.Get("dtype"), kAttentionDtypes);
  p.seed = SeedFromText(spec.Id());
  return p;
}

Work AttentionWork(const AttentionProblem& p) {
  Work work;
  // Per (batch, head) and unmasked (i, j) pair: the score S_ij = q_i . k_j is D multiplies and D
  // adds, and O_i += P_ij v_j is D multiplies and D adds: 4 D flops. Non-causal this is the
  // 4 * B * H * Sq * Skv * D of the FlashAttention-2 paper (Dao 2023, §4.1: "4 * seqlen^2 *
  // head dimension * number of heads" per sequence); causal counts only the unmasked pairs
  // (UnmaskedPairs above), where the paper divides by 2. Softmax (exp, max, sum) is not counted,
  // as in the paper.
  work.flops = 4.0 * double(p.batch) * double(p.heads) * double(p.head_dim) * p.UnmaskedPairs();
  // Fewest bytes (DESIGN.md §3): Q, K and V read once, O written once.
  const double elem = static_cast<double>(DtypeBytes(p.dtype));
  work.bytes = (2.0 * p.QElements() + 2.0 * p.KvElements()) * elem;
  work.compute_dtype = DtypePeakKey(p.dtype);
  return work;
}

}  // namespace gq
