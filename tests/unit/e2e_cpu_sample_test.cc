// Tests of greedy sampling on the host (workloads/e2e/cpu/e2e_cpu_sample.cc): per-row argmax with
// ties, NaN, infinities and a vocabulary offset; the best over two ranks and the token / pos /
// kv_len updates for a prefill step (pos null) and a decode step whose rows.pos is pos itself.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "workloads/e2e/cpu/e2e_cpu_ops.h"

namespace gq {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

TEST(E2eCpuSampleTest, ArgmaxTiesNanInfinityAndOffset) {
  const int vocab = 4;
  const std::vector<float> logits = {
      1,     5,     3,     5,      // tie: the lowest column
      kNaN,  2,     kNaN,  2,      // NaN never wins
      kNaN,  kNaN,  kNaN,  kNaN,   // nothing: -inf at column 0
      -kInf, -kInf, -kInf, -kInf,  // nothing above -inf
      -3,    -1,    -2,    kNaN,   // all negative
      kInf,  kNaN,  kInf,  7,      // +inf, tied
  };
  const int rows = int(logits.size()) / vocab;
  std::vector<E2eArgmax> out(rows);
  ArgmaxRowsCpu(logits.data(), rows, vocab, 1000, out.data());
  const float values[] = {5, 2, -kInf, -kInf, -1, kInf};
  const int columns[] = {1, 1, 0, 0, 1, 0};
  for (int r = 0; r < rows; ++r) {
    EXPECT_EQ(out[r].value, values[r]) << r;
    EXPECT_EQ(out[r].index, 1000 + columns[r]) << r;
  }
  EXPECT_THROW(ArgmaxRowsCpu(logits.data(), 0, vocab, 0, out.data()), std::invalid_argument);
}

TEST(E2eCpuSampleTest, FinishPrefillTwoRanks) {
  const int batch = 3, max_seq = 8;
  // Sequences 1 and 2, 4 prompt rows each: their last rows are at position 3.
  const E2eRows rows = {1, 2, 4, nullptr};
  const std::vector<E2eArgmax> gathered = {
      {1.0f, 10},
      {2.0f, 5},  // rank 0: s = 0, 1
      {1.0f, 3},
      {kNaN, 1},  // rank 1
  };
  std::vector<int> tokens(batch * max_seq, -1), pos(batch, -2), kv_len(batch, -3);
  FinishSampleCpu(gathered.data(), 2, rows, tokens.data(), max_seq, pos.data(), kv_len.data());
  std::vector<int> expect_tokens(batch * max_seq, -1);
  expect_tokens[1 * max_seq + 4] = 3;  // tie 1.0: the lower index
  expect_tokens[2 * max_seq + 4] = 5;  // NaN never wins
  EXPECT_EQ(tokens, expect_tokens);
  EXPECT_EQ(pos, (std::vector<int>{-2, 4, 4}));
  EXPECT_EQ(kv_len, (std::vector<int>{-3, 5, 5}));
}

TEST(E2eCpuSampleTest, FinishDecodeWithPosAliasing) {
  const int batch = 3, max_seq = 8;
  std::vector<int> pos = {2, 7, 5}, kv_len(batch, 0), tokens(batch * max_seq, -1);
  const E2eRows rows = {0, 3, 1, pos.data()};  // rows.pos is pos
  const std::vector<E2eArgmax> gathered = {
      {0.5f, 7},   {3.0f, 2}, {-kInf, 0},   // rank 0
      {0.75f, 60}, {3.0f, 1}, {-kInf, 50},  // rank 1
  };
  FinishSampleCpu(gathered.data(), 2, rows, tokens.data(), max_seq, pos.data(), kv_len.data());
  std::vector<int> expect_tokens(batch * max_seq, -1);
  expect_tokens[0 * max_seq + 3] = 60;  // the higher value
  // Sequence 1 is at the last cache row: no token is written past it.
  expect_tokens[2 * max_seq + 6] = 0;  // both -inf: the lower index
  EXPECT_EQ(tokens, expect_tokens);
  EXPECT_EQ(pos, (std::vector<int>{3, 8, 6}));
  EXPECT_EQ(kv_len, (std::vector<int>{4, 9, 7}));
}

TEST(E2eCpuSampleTest, FinishAllNanGivesTokenZero) {
  const std::vector<E2eArgmax> gathered = {{kNaN, 9}, {kNaN, 4}};
  std::vector<int> tokens(4, -1);
  FinishSampleCpu(gathered.data(), 2, E2eRows{0, 1, 2, nullptr}, tokens.data(), 4, nullptr,
                  nullptr);
  EXPECT_EQ(tokens, (std::vector<int>{-1, -1, 0, -1}));
}

}  // namespace
}  // namespace gq
