// GPU tests of the membw CUDA backend (workloads/membw/membw_cuda*.cu, membw_kernels.cu) on
// cuda:0: every op runs and verifies at a one-vector size, an odd size and a large one (or is
// skipped exactly where it must be: d2d with one GPU), small sizes rotate buffers past L2, host
// transfers carry their link and NUMA facts, and the runner judges each domain against its own
// peak. Each test skips itself when no CUDA device is visible.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness/device.h"
#include "harness/errors.h"
#include "harness/measure/runner.h"
#include "harness/system/system_info.h"
#include "workloads/membw/membw_problem.h"
#include "workloads/membw/membw_workload.h"

namespace gq {
namespace {

CaseSpec MembwCase(const std::string& op, const std::string& size,
                   const std::string& threads = "0") {
  return {"membw", {{"op", op}, {"size", size}, {"threads", threads}}};
}

bool ExpectSkip(MembwOp op) { return IsPeerOp(op) && CudaDeviceCount() < 2; }

// h2d, d2h, bidir with either engine.
bool IsHostTransferOp(MembwOp op) { return !IsDeviceMemoryOp(op) && !IsPeerOp(op); }

TEST(MembwCudaTest, EveryOpRunsAndVerifies) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  MembwWorkload w;
  auto ctx = MakeCudaContext(0);
  for (MembwOp op : AllMembwOps()) {
    for (const char* size : {"16", "1048592", "64M"}) {  // one vector, 65537 vectors, 64 MiB
      const CaseSpec spec = MembwCase(MembwOpName(op), size);
      if (ExpectSkip(op)) {
        EXPECT_THROW(w.Prepare(spec, *ctx), CaseSkipped) << spec.Id();
        continue;
      }
      std::unique_ptr<PreparedCase> prepared;
      try {
        prepared = w.Prepare(spec, *ctx);
      } catch (const CaseSkipped& e) {
        // d2d_sm without peer access between the two GPUs is the one other expected skip.
        EXPECT_EQ(op, MembwOp::kD2dSm) << spec.Id() << ": " << e.what();
        continue;
      }
      for (int i = 0; i < 3; ++i) prepared->Run(ctx->stream());
      const VerifyResult v = prepared->Verify();
      EXPECT_TRUE(v.passed) << spec.Id() << ": " << v.detail;
      const Work work = prepared->GetWork();
      EXPECT_GT(work.bytes, 0);
      EXPECT_EQ(work.bandwidth_domain, MembwBandwidthDomain(op));
      const auto details = prepared->Details();
      EXPECT_FALSE(details.at("engine").empty()) << spec.Id();
      if (IsHostTransferOp(op)) {
        for (const char* key : {"gpu_numa_node", "host_numa_nodes", "cpu_affinity", "numa_mismatch",
                                "pcie_link_max", "pcie_link_current", "host_placement"}) {
          EXPECT_EQ(details.count(key), 1u) << spec.Id() << " lacks " << key;
        }
      }
      if (IsPeerOp(op)) EXPECT_EQ(details.at("peer"), "cuda:1");
    }
  }
}

TEST(MembwCudaTest, VerifyWithoutRunAndRotationOfSmallBuffers) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  MembwWorkload w;
  auto ctx = MakeCudaContext(0);
  auto small = w.Prepare(MembwCase("read", "1M"), *ctx);
  EXPECT_TRUE(small->Verify().passed);                      // runs once itself
  EXPECT_GT(std::stoi(small->Details().at("buffers")), 1);  // 1 MiB is far below 3x L2
  auto large = w.Prepare(MembwCase("copy", "1G"), *ctx);
  EXPECT_EQ(large->Details().at("buffers"), "1");
  // The grid is one wave of resident blocks: a multiple of the SM count.
  const int sms = DiscoverSystem().devices.at(0).sm_count;
  const std::string grid = large->Details().at("grid");
  EXPECT_EQ(std::stoi(grid.substr(0, grid.find(' '))) % sms, 0) << grid;
}

TEST(MembwCudaTest, ThreadsOnAGpuAreSkipped) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  MembwWorkload w;
  auto ctx = MakeCudaContext(0);
  EXPECT_THROW(w.Prepare(MembwCase("copy", "1M", "4"), *ctx), CaseSkipped);
}

TEST(MembwCudaTest, RunnerJudgesEachDomainAgainstItsOwnPeak) {
  if (CudaDeviceCount() == 0) GTEST_SKIP() << "no CUDA device visible";
  MembwWorkload w;
  auto ctx = MakeCudaContext(0);
  RunnerEnv env;
  env.measure.min_time_s = 0.1;
  env.measure.max_time_s = 2;
  env.measure.warmup_time_s = 0.05;
  const SystemInfo system = DiscoverSystem();
  env.specs = SpecsByDevice(system);
  // A known SKU has a datasheet HBM peak: every device op must be judged against it.
  const bool known_sku = !system.devices.empty() && system.devices[0].sku != "unknown";
  for (const char* op : {"copy", "read", "write", "triad", "h2d_ce", "d2h_ce", "bidir_ce"}) {
    const bool host = IsHostTransferOp(ParseMembwOp(op));
    auto r = RunCase(w, MembwCase(op, host ? "256M" : "1G"), *ctx, env);
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->status == CaseStatus::kOk || r->status == CaseStatus::kNoisy)
        << r->id << ": " << r->reason;
    const MetricResult* bandwidth = r->FindMetric("bandwidth");
    ASSERT_NE(bandwidth, nullptr) << r->id << ": " << r->reason;  // a failed case keeps no metrics
    EXPECT_GT(bandwidth->median, 0) << r->id;
    ASSERT_TRUE(r->verification.has_value()) << r->id;
    EXPECT_TRUE(r->verification->passed) << r->id << ": " << r->verification->detail;
    if (!host && known_sku) ASSERT_TRUE(r->roofline.has_value()) << r->id << " on " << system.devices[0].sku;
    if (r->roofline) {
      EXPECT_EQ(r->roofline->peak_source.rfind(host ? "PCIe" : "datasheet bandwidth", 0), 0u)
          << r->id << ": " << r->roofline->peak_source;
      if (host) EXPECT_LT(r->roofline->peak, 300) << r->id;  // a link, never HBM
    }
  }
  // The device cases fed the measured bandwidth used by later rooflines.
  ASSERT_EQ(env.measured_bandwidth->count("cuda:0"), 1u);
  EXPECT_GT(env.measured_bandwidth->at("cuda:0").gbs, 100);
}

}  // namespace
}  // namespace gq
