// Greedy sampling on the host (contracts in e2e_cpu_ops.h): per-row argmax over a rank's slice
// of the vocabulary, then the best over ranks, the next token and the advanced positions.
#include <climits>
#include <cmath>
#include <stdexcept>
#include <string>

#include "workloads/e2e/cpu/e2e_cpu_ops.h"

namespace gq {
namespace {

void Require(bool ok, const char* op, const char* what) {
  if (!ok) throw std::invalid_argument(std::string(op) + ": " + what);
}

}  // namespace

void ArgmaxRowsCpu(const float* logits, int rows, int vocab_local, int vocab_offset,
                   E2eArgmax* out) {
  Require(logits != nullptr && out != nullptr, "ArgmaxRowsCpu", "null pointer");
  Require(rows > 0 && vocab_local > 0 && vocab_offset >= 0, "ArgmaxRowsCpu",
          "needs rows > 0, vocab_local > 0 and vocab_offset >= 0");
  for (int r = 0; r < rows; ++r) {
    const float* row = logits + int64_t(r) * vocab_local;
    float best = -INFINITY;
    int column = 0;
    for (int c = 0; c < vocab_local; ++c) {
      if (row[c] > best) {  // strict: the lowest column keeps a tie; false for NaN
        best = row[c];
        column = c;
      }
    }
    out[r] = {best, vocab_offset + column};
  }
}

void FinishSampleCpu(const E2eArgmax* gathered, int ranks, const E2eRows& rows, int* tokens,
                     int max_seq, int* pos, int* kv_len) {
  const char* op = "FinishSampleCpu";
  Require(gathered != nullptr && tokens != nullptr, op, "null pointer");
  Require(ranks > 0 && max_seq > 0, op, "needs ranks > 0 and max_seq > 0");
  Require(rows.seqs > 0 && rows.len > 0 && rows.first_seq >= 0, op,
          "rows need seqs > 0, len > 0 and first_seq >= 0");
  for (int s = 0; s < rows.seqs; ++s) {
    const int b = rows.first_seq + s;
    E2eArgmax best = {-INFINITY, INT_MAX};
    for (int r = 0; r < ranks; ++r) {
      const E2eArgmax& candidate = gathered[int64_t(r) * rows.seqs + s];
      if (E2eArgmaxBetter(candidate, best)) best = candidate;
    }
    if (best.index == INT_MAX) best.index = 0;                            // every value NaN
    const int p_last = rows.pos != nullptr ? rows.pos[b] : rows.len - 1;  // before pos[b] changes
    if (p_last + 1 < max_seq) tokens[int64_t(b) * max_seq + p_last + 1] = best.index;
    if (pos != nullptr) pos[b] = p_last + 1;
    if (kv_len != nullptr) kv_len[b] = p_last + 2;
  }
}

}  // namespace gq
