// A test that hangs on purpose, for the GPU kit's dry run (scripts/gpu-check.sh --dry-run): it
// proves that gpu_test_main.cc's watchdog ends a stuck test and that the kit reruns the tests
// that were left. Skipped unless GQ_WATCHDOG_SELF_TEST is set, so ctest and real runs skip it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace gq {
namespace {

TEST(WatchdogSelfTest, HangsWhenAsked) {
  if (std::getenv("GQ_WATCHDOG_SELF_TEST") == nullptr) GTEST_SKIP() << "only for the GPU kit's dry run";
  std::this_thread::sleep_for(std::chrono::seconds(600));
  FAIL() << "the watchdog did not end this test";
}

}  // namespace
}  // namespace gq
