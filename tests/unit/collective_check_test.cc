// The collective data check (workloads/allreduce/collective_values.h, collective_check.h): the
// closed-form results equal brute-force reductions, float sums stay exact for any rank count and
// summation order, and the checker finds a single corrupted element.
#include "workloads/allreduce/collective_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "harness/float16.h"

namespace gq {
namespace {

constexpr CommOp kAllOps[] = {CommOp::kSum, CommOp::kMax, CommOp::kMin};

int64_t BruteReduce(const ValuePattern& p, CommOp op, int64_t i) {
  int64_t acc = InputValue(p, 0, i);
  for (int64_t r = 1; r < p.ranks; ++r) {
    const int64_t v = InputValue(p, r, i);
    acc = op == CommOp::kSum ? acc + v : op == CommOp::kMax ? std::max(acc, v) : std::min(acc, v);
  }
  return acc;
}

TEST(CollectiveValuesTest, ClosedFormsEqualBruteForceReductions) {
  for (Dtype dtype : kCommDtypes) {
    for (CommOp op : kAllOps) {
      for (int64_t n : {1, 2, 3, 5, 8, 64, 130, 300, 1024, 3000}) {
        const ValuePattern p = ChooseValuePattern(CollectiveKind::kAllReduce, dtype, op, n);
        for (int64_t i = 0; i < 200; ++i) {
          ASSERT_EQ(ReducedValue(p, op, i), BruteReduce(p, op, i))
              << DtypeName(dtype) << " " << CommOpName(op) << " n=" << n << " i=" << i;
        }
      }
    }
  }
}

TEST(CollectiveValuesTest, FloatSumsStayWithinTheExactIntegerRange) {
  // |any partial sum| <= sum over ranks of |f(r, i)| <= L (2^8 bf16, 2^11 fp16).
  for (auto [dtype, limit] :
       {std::pair{Dtype::kBf16, 256}, std::pair{Dtype::kFp16, 2048}}) {
    for (int64_t n : {1, 2, 16, 17, 64, 128, 129, 256, 257, 1000, 4096, 10000}) {
      const ValuePattern p = ChooseValuePattern(CollectiveKind::kAllReduce, dtype, CommOp::kSum, n);
      bool some_nonzero = false;
      for (int64_t i = 0; i < 300; ++i) {
        int64_t bound = 0;
        for (int64_t r = 0; r < n; ++r) {
          bound += std::llabs(InputValue(p, r, i));
          some_nonzero |= InputValue(p, r, i) != 0;
        }
        ASSERT_LE(bound, limit) << DtypeName(dtype) << " n=" << n << " i=" << i;
      }
      EXPECT_TRUE(some_nonzero) << n;
      if (n <= limit / 2) EXPECT_EQ(p.stride, 1);
    }
  }
}

TEST(CollectiveValuesTest, Bf16SumsAreExactInAnyOrder) {
  std::mt19937 rng(7);
  for (int64_t n : {2, 8, 100, 200, 256, 600}) {
    const ValuePattern p =
        ChooseValuePattern(CollectiveKind::kAllReduce, Dtype::kBf16, CommOp::kSum, n);
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    for (int64_t i = 0; i < 64; ++i) {
      std::shuffle(order.begin(), order.end(), rng);
      float acc = 0;  // add in bf16, rounding after every addition as a ring would
      for (int64_t r : order) {
        acc = Bf16BitsToFloat(FloatToBf16Bits(acc + static_cast<float>(InputValue(p, r, i))));
      }
      ASSERT_EQ(static_cast<double>(acc), static_cast<double>(ReducedValue(p, CommOp::kSum, i)))
          << "n=" << n << " i=" << i;
    }
  }
}

TEST(CollectiveValuesTest, InputsDependOnRankAndIndex) {
  const ValuePattern p =
      ChooseValuePattern(CollectiveKind::kAllReduce, Dtype::kFp32, CommOp::kSum, 4);
  int differ_by_rank = 0, differ_by_index = 0, zeros = 0;
  for (int64_t i = 0; i < 1000; ++i) {
    differ_by_rank += InputValue(p, 0, i) != InputValue(p, 1, i);
    differ_by_index += InputValue(p, 0, i) != InputValue(p, 0, i + 1);
    zeros += InputValue(p, 2, i) == 0;
  }
  EXPECT_GT(differ_by_rank, 800);
  EXPECT_GT(differ_by_index, 800);
  EXPECT_LT(zeros, 100);  // not zeros (DESIGN.md §3)
  EXPECT_EQ(WrapToDtype(Dtype::kInt8, 130), -126);
  EXPECT_EQ(WrapToDtype(Dtype::kUint8, 260), 4);
  EXPECT_EQ(WrapToDtype(Dtype::kInt32, int64_t{1} << 31), INT32_MIN);
}

// A host model of one collective for `ranks` ranks with NCCL/MPI semantics, in the dtype's own
// arithmetic (decode, combine in double, store back), giving rank `rank`'s output region.
std::vector<char> SimulateOutput(CollectiveKind kind, Dtype dtype, CommOp op, int64_t ranks,
                                 int64_t rank, int64_t count, const ValuePattern& p) {
  const size_t elem = DtypeBytes(dtype);
  const int64_t in_elems = kind == CollectiveKind::kReduceScatter ? ranks * count : count;
  std::vector<std::vector<char>> inputs(static_cast<size_t>(ranks),
                                        std::vector<char>(in_elems * elem));
  for (int64_t r = 0; r < ranks; ++r) FillInputsHost(dtype, p, r, inputs[r].data(), in_elems);
  const int64_t out_elems = kind == CollectiveKind::kAllGather ? ranks * count : count;
  std::vector<char> out(out_elems * elem);
  if (kind == CollectiveKind::kAllGather) {
    for (int64_t r = 0; r < ranks; ++r)
      std::memcpy(out.data() + r * count * elem, inputs[r].data(), count * elem);
    return out;
  }
  const int64_t base = kind == CollectiveKind::kReduceScatter ? rank * count : 0;
  std::vector<char> acc(inputs[0].begin() + base * elem, inputs[0].begin() + (base + count) * elem);
  for (int64_t r = 1; r < ranks; ++r) {
    for (int64_t k = 0; k < count; ++k) {
      const double a = DecodeElement(dtype, acc.data(), k);
      const double b = DecodeElement(dtype, inputs[r].data(), base + k);
      const double v = op == CommOp::kSum   ? a + b
                       : op == CommOp::kMax ? std::max(a, b)
                                            : std::min(a, b);
      // Store v back in the dtype (integers wrap, as NCCL and MPI do).
      const int64_t iv = static_cast<int64_t>(v);
      switch (dtype) {
        case Dtype::kFp32: {
          float f = static_cast<float>(v);
          std::memcpy(&acc[k * elem], &f, elem);
          break;
        }
        case Dtype::kFp64:
          std::memcpy(&acc[k * elem], &v, elem);
          break;
        case Dtype::kBf16: {
          uint16_t h = FloatToBf16Bits(static_cast<float>(v));
          std::memcpy(&acc[k * elem], &h, elem);
          break;
        }
        case Dtype::kFp16: {
          uint16_t h = FloatToHalfBits(static_cast<float>(v));
          std::memcpy(&acc[k * elem], &h, elem);
          break;
        }
        case Dtype::kInt32: {
          int32_t x = static_cast<int32_t>(iv);
          std::memcpy(&acc[k * elem], &x, elem);
          break;
        }
        case Dtype::kInt64:
          std::memcpy(&acc[k * elem], &iv, elem);
          break;
        case Dtype::kInt8: {
          int8_t x = static_cast<int8_t>(iv);
          std::memcpy(&acc[k * elem], &x, elem);
          break;
        }
        case Dtype::kUint8: {
          uint8_t x = static_cast<uint8_t>(iv);
          std::memcpy(&acc[k * elem], &x, elem);
          break;
        }
        default:
          ADD_FAILURE() << "not a collective dtype: " << DtypeName(dtype);
      }
    }
  }
  return acc;
}

TEST(CollectiveCheckTest, CorrectOutputsPassForEveryCollectiveDtypeAndOp) {
  for (CollectiveKind kind :
       {CollectiveKind::kAllReduce, CollectiveKind::kAllGather, CollectiveKind::kReduceScatter}) {
    for (Dtype dtype : kCommDtypes) {
      for (CommOp op : kAllOps) {
        if (kind == CollectiveKind::kAllGather && op != CommOp::kSum) continue;
        for (int64_t ranks : {1, 3, 16}) {
          const ValuePattern p = ChooseValuePattern(kind, dtype, op, ranks);
          const int64_t count = 37, rank = ranks - 1;
          const std::vector<char> out = SimulateOutput(kind, dtype, op, ranks, rank, count, p);
          const CheckSpec s{kind, op, dtype, p, rank, count};
          const int64_t n = static_cast<int64_t>(out.size() / DtypeBytes(dtype));
          const WrongElements w = CountWrongElements(s, out.data(), n);
          EXPECT_EQ(w.wrong, 0) << CollectiveName(kind) << " " << DtypeName(dtype) << " "
                                << CommOpName(op) << " n=" << ranks << ": first at "
                                << w.first_wrong << " got " << w.got << " expected " << w.expected;
          EXPECT_EQ(w.checked, n);
        }
      }
    }
  }
}

TEST(CollectiveCheckTest, OneCorruptedElementIsFoundAndFailsTheCheck) {
  const ValuePattern p =
      ChooseValuePattern(CollectiveKind::kAllReduce, Dtype::kBf16, CommOp::kSum, 8);
  std::vector<char> out =
      SimulateOutput(CollectiveKind::kAllReduce, Dtype::kBf16, CommOp::kSum, 8, 3, 4096, p);
  const CheckSpec s{CollectiveKind::kAllReduce, CommOp::kSum, Dtype::kBf16, p, 3, 4096};
  ASSERT_EQ(CountWrongElements(s, out.data(), 4096).wrong, 0);
  EXPECT_TRUE(ToVerifyResult(CountWrongElements(s, out.data(), 4096), "rank 3's output").passed);

  const double right = DecodeElement(Dtype::kBf16, out.data(), 1234);
  const uint16_t bad = FloatToBf16Bits(static_cast<float>(right + 2));
  std::memcpy(&out[1234 * 2], &bad, 2);
  const WrongElements w = CountWrongElements(s, out.data(), 4096);
  EXPECT_EQ(w.wrong, 1);
  EXPECT_EQ(w.first_wrong, 1234);
  EXPECT_EQ(w.got, right + 2);
  EXPECT_EQ(w.expected, right);
  EXPECT_DOUBLE_EQ(w.max_rel_err, ElementRelError(right + 2, right));
  const VerifyResult v = ToVerifyResult(w, "rank 3's output");
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.tolerance, 0.0);
  EXPECT_NE(
      v.detail.find("exact check of all 4096 elements of rank 3's output: 1 wrong, first at 1234"),
      std::string::npos)
      << v.detail;
}

TEST(CollectiveCheckTest, UnwrittenOutputAndNaNAreWrong) {
  const ValuePattern p =
      ChooseValuePattern(CollectiveKind::kAllGather, Dtype::kFp16, CommOp::kSum, 2);
  std::vector<char> out(2 * 64 * 2, 0x7f);  // the sentinel: NaN in fp16
  const CheckSpec s{CollectiveKind::kAllGather, CommOp::kSum, Dtype::kFp16, p, 0, 64};
  const WrongElements w = CountWrongElements(s, out.data(), 128);
  EXPECT_EQ(w.wrong, 128);
  EXPECT_EQ(w.first_wrong, 0);
  EXPECT_TRUE(std::isinf(w.max_rel_err));
  WrongElements merged;
  MergeWrongElements(merged, WrongElements{10, 0, -1, 0, 0, 0});
  MergeWrongElements(merged, w);
  EXPECT_EQ(merged.checked, 138);
  EXPECT_EQ(merged.wrong, 128);
  EXPECT_EQ(merged.first_wrong, 10);
}

}  // namespace
}  // namespace gq
