// The single-process communicator, launcher detection, the agreement helper, and the host
// fp16/bf16 conversions the MPI reductions and the checks use.
#include "harness/system/communicator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>

#include "harness/float16.h"
#include "tests/unit/fake_communicator.h"

namespace gq {
namespace {

// LauncherWorldSize with an environment made of `vars`.
int WorldSizeWith(const std::map<std::string, std::string>& vars) {
  return LauncherWorldSize([&vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

TEST(CommunicatorTest, LauncherWorldSizeFromTheEnvironment) {
  EXPECT_EQ(WorldSizeWith({}), 1);
  EXPECT_EQ(WorldSizeWith({{"OMPI_COMM_WORLD_SIZE", "4"}}), 4);
  EXPECT_EQ(WorldSizeWith({{"PMI_SIZE", "16"}}), 16);
  EXPECT_EQ(WorldSizeWith({{"SLURM_STEP_NUM_TASKS", "8"}, {"SLURM_NTASKS", "64"}}), 8);  // the step
  EXPECT_EQ(WorldSizeWith({{"SLURM_NTASKS", "64"}}), 1);  // a batch script itself is one process
  EXPECT_EQ(WorldSizeWith({{"OMPI_COMM_WORLD_SIZE", "x2"}}), 1);
}

TEST(CommunicatorTest, SingleProcessCollectivesAreTheIdentity) {
  auto c = MakeSingleProcessCommunicator("host-a");
  EXPECT_EQ(c->rank(), 0);
  EXPECT_EQ(c->size(), 1);
  EXPECT_EQ(c->nodes(), 1);
  EXPECT_EQ(c->local_size(), 1);
  EXPECT_EQ(c->backend(), "single");
  EXPECT_EQ(c->hostnames(), std::vector<std::string>{"host-a"});
  std::vector<double> v{1, 2};
  c->AllReduceMax(v);
  EXPECT_EQ(v, (std::vector<double>{1, 2}));
  EXPECT_EQ(c->GatherDoubles({3, 4}, 0), (std::vector<double>{3, 4}));
  EXPECT_EQ(c->GatherStrings("x", 0), std::vector<std::string>{"x"});
  EXPECT_THROW(c->GatherStrings("x", 1), std::invalid_argument);
  float in[3] = {1, 2, 3}, out[3] = {0, 0, 0};
  c->AllReduce(in, out, 3, Dtype::kFp32, CommOp::kSum);
  EXPECT_EQ(std::memcmp(in, out, sizeof(in)), 0);
  c->AllReduce(nullptr, out, 3, Dtype::kFp32, CommOp::kMax);  // in place: unchanged
  EXPECT_EQ(out[2], 3.0f);
  int8_t bytes_in[2] = {5, 6}, bytes_out[2] = {0, 0};
  c->ReduceScatter(bytes_in, bytes_out, 2, Dtype::kInt8, CommOp::kMin);
  EXPECT_EQ(bytes_out[1], 6);
}

TEST(CommunicatorTest, AgreeToContinueInOneProcessRethrowsOnlyItsOwnError) {
  auto c = MakeSingleProcessCommunicator("h");
  EXPECT_NO_THROW(AgreeToContinue(*c, nullptr));
  EXPECT_THROW(AgreeToContinue(*c, std::make_exception_ptr(CaseSkipped("oom"))), CaseSkipped);
}

// Four ranks where rank 2 failed: together, rank 0 (no error of its own) learns it; apart, rank 0
// goes on and calls no collective.
TEST(CommunicatorTest, AgreeToContinueTogetherOrApart) {
  testing::FakeCommunicator world(4, [](int, int rank, const std::vector<double>& own) {
    return rank == 2 ? std::vector<double>{1.0} : own;
  });
  EXPECT_THROW(AgreeToContinue(world, true, nullptr), PeerCouldNotContinue);
  EXPECT_EQ(world.calls(), 1);
  EXPECT_NO_THROW(AgreeToContinue(world, false, nullptr));
  EXPECT_THROW(AgreeToContinue(world, false, std::make_exception_ptr(CaseSkipped("oom"))), CaseSkipped);
  EXPECT_EQ(world.calls(), 1);
}

TEST(Float16Test, HalfConversions) {
  EXPECT_EQ(FloatToHalfBits(1.0f), 0x3c00);
  EXPECT_EQ(FloatToHalfBits(-2.0f), 0xc000);
  EXPECT_EQ(FloatToHalfBits(65504.0f), 0x7bff);
  EXPECT_EQ(FloatToHalfBits(65519.0f), 0x7bff);  // below the halfway point
  EXPECT_EQ(FloatToHalfBits(65520.0f), 0x7c00);  // ties to even: infinity
  EXPECT_EQ(FloatToHalfBits(0x1p-24f), 0x0001);  // smallest subnormal
  EXPECT_EQ(FloatToHalfBits(0x1p-25f), 0x0000);  // halfway to it: ties to even (0)
  EXPECT_EQ(FloatToHalfBits(0x1.8p-25f), 0x0001);
  EXPECT_EQ(FloatToHalfBits(1.0f + 0x1p-11f), 0x3c00);  // tie, even mantissa stays
  EXPECT_EQ(FloatToHalfBits(1.0f + 0x3p-11f), 0x3c02);  // tie, odd mantissa rounds up
  EXPECT_EQ(FloatToHalfBits(std::nanf("")) & 0x7e00, 0x7e00);
  EXPECT_EQ(HalfBitsToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfBitsToFloat(0x0001), 0x1p-24f);
  EXPECT_EQ(HalfBitsToFloat(0x7c00), INFINITY);
  EXPECT_TRUE(std::isnan(HalfBitsToFloat(0x7f7f)));
  for (int i = -2048; i <= 2048; ++i) {  // every integer up to 2^11 is exact
    ASSERT_EQ(HalfBitsToFloat(FloatToHalfBits(static_cast<float>(i))), static_cast<float>(i));
  }
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {  // round trip of every finite half
    const auto h = static_cast<uint16_t>(bits);
    if ((h & 0x7c00) == 0x7c00) continue;
    ASSERT_EQ(FloatToHalfBits(HalfBitsToFloat(h)), h) << bits;
  }
}

TEST(Float16Test, Bf16Conversions) {
  EXPECT_EQ(FloatToBf16Bits(1.0f), 0x3f80);
  EXPECT_EQ(FloatToBf16Bits(257.0f), 0x4380);  // 257 rounds to 256 (ties to even)
  EXPECT_EQ(FloatToBf16Bits(259.0f), 0x4382);  // 259 rounds to 260
  EXPECT_EQ(Bf16BitsToFloat(0x4380), 256.0f);
  for (int i = -256; i <= 256; ++i) {
    ASSERT_EQ(Bf16BitsToFloat(FloatToBf16Bits(static_cast<float>(i))), static_cast<float>(i));
  }
  EXPECT_TRUE(std::isnan(Bf16BitsToFloat(FloatToBf16Bits(std::nanf("")))));
}

}  // namespace
}  // namespace gq
