// Tests of the membw cpu backend (workloads/membw/membw_cpu.*, membw_host_workers.*): every op
// runs and verifies through Prepare/Run/Verify and through the runner, for any thread count and
// chunk split, and the worker pool runs each worker exactly once per round.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/measure/runner.h"
#include "workloads/membw/membw_host_workers.h"
#include "workloads/membw/membw_workload.h"

namespace gq {
namespace {

CaseSpec MembwCase(const std::string& op, const std::string& size, const std::string& threads) {
  return {"membw", {{"op", op}, {"size", size}, {"threads", threads}}};
}

TEST(HostWorkersTest, EachWorkerRunsOncePerRound) {
  HostWorkers workers(3, AllowedCpus());
  ASSERT_EQ(workers.count(), 3);
  std::vector<std::atomic<int>> hits(3);
  for (int round = 0; round < 200; ++round) {
    workers.Run([&](int i) { hits[static_cast<size_t>(i)].fetch_add(1); });
  }
  for (auto& h : hits) EXPECT_EQ(h.load(), 200);
  HostWorkers unbound(1, {});
  int ran = 0;
  unbound.Run([&](int i) { ran += i + 1; });
  EXPECT_EQ(ran, 1);
}

TEST(HostWorkersTest, RunOnCpusBindsWhereAllowed) {
  const std::vector<int> allowed = AllowedCpus();
  ASSERT_FALSE(allowed.empty());
  bool ran = false;
  EXPECT_TRUE(RunOnCpus({allowed.front()}, [&] { ran = true; }));
  EXPECT_TRUE(ran);
  ran = false;
  EXPECT_FALSE(RunOnCpus({1 << 19}, [&] { ran = true; }));  // not a CPU here: runs unbound
  EXPECT_TRUE(ran);
  EXPECT_FALSE(RunOnCpus({}, [] {}));
}

TEST(MembwCpuTest, EveryOpRunsAndVerifiesForAnyThreadCount) {
  MembwWorkload w;
  auto ctx = MakeCpuContext();
  // 16 bytes (one vector: fewer elements than workers), an odd number of vectors, 1 MiB.
  for (const char* size : {"16", "1040", "1M"}) {
    for (const char* threads : {"0", "1", "3"}) {
      for (const char* op : {"copy", "read", "write", "triad"}) {
        const CaseSpec spec = MembwCase(op, size, threads);
        auto prepared = w.Prepare(spec, *ctx);
        prepared->Run(ctx->stream());
        prepared->Run(ctx->stream());
        const VerifyResult v = prepared->Verify();
        EXPECT_TRUE(v.passed) << spec.Id() << ": " << v.detail;
        EXPECT_EQ(v.tolerance, 0);
        const auto details = prepared->Details();
        EXPECT_EQ(details.at("threads"), std::string(threads) == "0"
                                             ? std::to_string(AllowedCpus().size())
                                             : std::string(threads));
        EXPECT_EQ(prepared->GetWork().bandwidth_domain, "device");
      }
    }
  }
}

TEST(MembwCpuTest, VerifyWithoutARunRunsOnce) {
  MembwWorkload w;
  auto ctx = MakeCpuContext();
  auto prepared = w.Prepare(MembwCase("copy", "4K", "2"), *ctx);
  EXPECT_TRUE(prepared->Verify().passed);  // the destination starts as the sentinel
}

TEST(MembwCpuTest, RunnerMeasuresBandwidthEndToEnd) {
  MembwWorkload w;
  auto ctx = MakeCpuContext();
  RunnerEnv env;
  env.measure.min_samples = 3;
  env.measure.min_time_s = 0.01;
  env.measure.max_time_s = 0.2;
  env.measure.warmup_time_s = 0.01;
  env.measure.max_noise = 1.0;
  for (const char* op : {"copy", "triad"}) {
    auto r = RunCase(w, MembwCase(op, "4M", "0"), *ctx, env);
    ASSERT_TRUE(r.has_value());
    // Measured either way: a loaded machine (a sanitizer build, CI) may leave the 3 samples noisy.
    ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy) << r->reason;
    EXPECT_EQ(r->primary_metric, "bandwidth");
    const MetricResult* bw = r->FindMetric("bandwidth");
    ASSERT_NE(bw, nullptr);
    EXPECT_GT(bw->median, 0);
    EXPECT_EQ(bw->unit, "GB/s");
    ASSERT_TRUE(r->verification.has_value());
    EXPECT_TRUE(r->verification->passed);
    EXPECT_DOUBLE_EQ(r->work.bytes, (std::string(op) == "copy" ? 2 : 3) * 4.0 * (1 << 20));
    EXPECT_FALSE(r->roofline.has_value());  // no datasheet for the cpu
  }
  // An ok device-bandwidth case is remembered for later rooflines on the same device.
  ASSERT_EQ(env.measured_bandwidth->count("cpu"), 1u);
  EXPECT_GT(env.measured_bandwidth->at("cpu").gbs, 0);
}

}  // namespace
}  // namespace gq
