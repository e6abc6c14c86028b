#include "harness/byte_text.h"

#include <gtest/gtest.h>

namespace gq {
namespace {

TEST(ByteTextTest, GiBWithTwoDecimals) {
  EXPECT_EQ(GiBText(0), "0.00 GiB");
  EXPECT_EQ(GiBText(1.5 * (1ull << 30)), "1.50 GiB");
  EXPECT_EQ(GiBText(85031714816.0), "79.19 GiB");  // an H100 80GB's memory
}

}  // namespace
}  // namespace gq
