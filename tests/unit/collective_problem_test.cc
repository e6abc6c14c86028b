// The collective workloads' nccl-tests conventions: bus bandwidth factors per collective and rank
// count, the bytes algbw is made of, size rounding, axes and defaults.
#include "workloads/allreduce/collective_problem.h"

#include <gtest/gtest.h>

#include "harness/errors.h"
#include "workloads/allreduce/collective_workload.h"

namespace gq {
namespace {

CollectiveProblem Problem(CollectiveKind kind, int64_t size, Dtype dtype = Dtype::kFp32) {
  CollectiveProblem p;
  p.kind = kind;
  p.size_bytes = size;
  p.dtype = dtype;
  return p;
}

TEST(CollectiveProblemTest, BusBandwidthFactorsFollowNcclTests) {
  // nccl-tests doc/PERFORMANCE.md: allreduce 2(n-1)/n, all_gather and reduce_scatter (n-1)/n.
  EXPECT_DOUBLE_EQ(BusBandwidthFactor(CollectiveKind::kAllReduce, 1), 0.0);
  EXPECT_DOUBLE_EQ(BusBandwidthFactor(CollectiveKind::kAllReduce, 2), 1.0);
  EXPECT_DOUBLE_EQ(BusBandwidthFactor(CollectiveKind::kAllReduce, 8), 1.75);
  EXPECT_DOUBLE_EQ(BusBandwidthFactor(CollectiveKind::kAllReduce, 16), 1.875);
  for (CollectiveKind k : {CollectiveKind::kAllGather, CollectiveKind::kReduceScatter}) {
    EXPECT_DOUBLE_EQ(BusBandwidthFactor(k, 1), 0.0);
    EXPECT_DOUBLE_EQ(BusBandwidthFactor(k, 2), 0.5);
    EXPECT_DOUBLE_EQ(BusBandwidthFactor(k, 8), 0.875);
  }
}

TEST(CollectiveProblemTest, LayoutAndWorkPerCollective) {
  // allreduce: count = size / elem in both buffers; S = count * elem.
  CollectiveLayout ar = CollectiveLayoutFor(Problem(CollectiveKind::kAllReduce, 1 << 20), 8);
  EXPECT_EQ(ar.count, 1 << 18);
  EXPECT_EQ(ar.send_elems, 1 << 18);
  EXPECT_EQ(ar.recv_elems, 1 << 18);
  EXPECT_EQ(ar.bytes, 1 << 20);
  EXPECT_FALSE(ar.rounded);
  // all_gather: count per rank = size / elem / n; recv holds n * count; S = n * count * elem.
  CollectiveLayout ag = CollectiveLayoutFor(Problem(CollectiveKind::kAllGather, 1 << 20), 8);
  EXPECT_EQ(ag.count, (1 << 20) / 4 / 8);
  EXPECT_EQ(ag.send_elems, ag.count);
  EXPECT_EQ(ag.recv_elems, 8 * ag.count);
  EXPECT_EQ(ag.bytes, 1 << 20);
  // reduce_scatter: the mirror image.
  CollectiveLayout rs = CollectiveLayoutFor(Problem(CollectiveKind::kReduceScatter, 1 << 20), 8);
  EXPECT_EQ(rs.send_elems, 8 * rs.count);
  EXPECT_EQ(rs.recv_elems, rs.count);

  const Work w = CollectiveWork(Problem(CollectiveKind::kAllReduce, 1 << 20), ar, 1);
  EXPECT_DOUBLE_EQ(w.bytes, 1 << 20);
  EXPECT_EQ(w.bandwidth_domain, "interconnect");  // one node: the GPUs' links
  EXPECT_EQ(CollectiveWork(Problem(CollectiveKind::kAllReduce, 1 << 20), ar, 2).bandwidth_domain, "network");
  EXPECT_DOUBLE_EQ(w.busbw_factor, 1.75);
  EXPECT_DOUBLE_EQ(w.flops, 0.0);
  // 1 MiB in 10 us: algbw 104.8576 GB/s, busbw x 1.75.
  EXPECT_NEAR(BandwidthMetric("algbw").FromTime(1e-5, w), 104.8576, 1e-9);
  EXPECT_NEAR(BusBandwidthMetric().FromTime(1e-5, w), 104.8576 * 1.75, 1e-9);
  EXPECT_NEAR(TimeUsMetric().FromTime(1e-5, w), 10.0, 1e-12);
}

TEST(CollectiveProblemTest, SizesRoundDownLikeNcclTests) {
  CollectiveLayout ar = CollectiveLayoutFor(Problem(CollectiveKind::kAllReduce, 1001), 2);
  EXPECT_EQ(ar.count, 250);
  EXPECT_EQ(ar.bytes, 1000);
  EXPECT_TRUE(ar.rounded);
  CollectiveLayout ag = CollectiveLayoutFor(Problem(CollectiveKind::kAllGather, 1000), 8);
  EXPECT_EQ(ag.count, 31);  // 1000 / 4 / 8
  EXPECT_EQ(ag.bytes, 992);
  EXPECT_TRUE(ag.rounded);
  auto d = CollectiveDetails(Problem(CollectiveKind::kAllGather, 1000), ag);
  EXPECT_EQ(d.at("size_note"),
            "size 1000 B rounded down to 992 B, a multiple of 4 B x 8 ranks, as nccl-tests does");
  EXPECT_EQ(d.at("count"), "31");
  EXPECT_EQ(d.count("single_rank"), 0u);
  // Below one element per rank: skipped with the reason.
  EXPECT_THROW(CollectiveLayoutFor(Problem(CollectiveKind::kAllReduce, 2), 2), CaseSkipped);
  try {
    CollectiveLayoutFor(Problem(CollectiveKind::kReduceScatter, 16), 8);
    FAIL();
  } catch (const CaseSkipped& e) {
    EXPECT_STREQ(e.what(), "size 16 B is below one fp32 element per rank (4 B x 8 ranks)");
  }
  EXPECT_EQ(CollectiveLayoutFor(Problem(CollectiveKind::kAllReduce, 2, Dtype::kBf16), 4).count,
            1);
}

TEST(CollectiveProblemTest, OneRankHasNoBusBandwidthAndSaysSo) {
  const CollectiveProblem p = Problem(CollectiveKind::kAllReduce, 4096);
  const CollectiveLayout l = CollectiveLayoutFor(p, 1);
  const Work w = CollectiveWork(p, l, 1);
  EXPECT_DOUBLE_EQ(w.busbw_factor, 0.0);
  EXPECT_DOUBLE_EQ(BusBandwidthMetric().FromTime(1e-6, w), 0.0);  // 0, not NaN
  EXPECT_GT(BandwidthMetric("algbw").FromTime(1e-6, w), 0.0);
  auto d = CollectiveDetails(p, l);
  EXPECT_EQ(d.at("single_rank"), "true");
  EXPECT_EQ(d.at("note"), "single rank: bus bandwidth undefined");
  EXPECT_EQ(d.at("ranks"), "1");
}

TEST(CollectiveProblemTest, ParsesTheCase) {
  CaseSpec spec{"reduce_scatter",
                {{"size", "65536"},
                 {"dtype", "bf16"},
                 {"op", "max"},
                 {"in_place", "true"},
                 {"graph", "false"}}};
  CollectiveProblem p = CollectiveProblemFromCase(CollectiveKind::kReduceScatter, spec);
  EXPECT_EQ(p.size_bytes, 65536);
  EXPECT_EQ(p.dtype, Dtype::kBf16);
  EXPECT_EQ(p.op, CommOp::kMax);
  EXPECT_TRUE(p.in_place);
  EXPECT_FALSE(p.graph);
  spec.params[0].second = "0";
  EXPECT_THROW(CollectiveProblemFromCase(CollectiveKind::kReduceScatter, spec), UsageError);
  CaseSpec ag{"all_gather",
              {{"size", "64"}, {"dtype", "int8"}, {"in_place", "false"}, {"graph", "true"}}};
  EXPECT_EQ(CollectiveProblemFromCase(CollectiveKind::kAllGather, ag).dtype, Dtype::kInt8);
}

TEST(CollectiveWorkloadTest, AxesMetricsAndDefaults) {
  auto runtime = std::make_shared<CollectiveRuntime>(MakeSingleProcessCommunicator("h"));
  CollectiveWorkload ar(CollectiveKind::kAllReduce, runtime);
  CollectiveWorkload ag(CollectiveKind::kAllGather, runtime);
  EXPECT_EQ(ar.Name(), "allreduce");
  EXPECT_EQ(ag.Name(), "all_gather");
  EXPECT_EQ(CollectiveWorkload(CollectiveKind::kReduceScatter, runtime).Name(), "reduce_scatter");
  EXPECT_TRUE(ar.SpansDevices(CaseSpec{"allreduce", {}}));
  std::vector<std::string> names;
  for (const AxisSpec& a : ar.Axes()) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"size", "dtype", "op", "in_place", "graph"}));
  names.clear();
  for (const AxisSpec& a : ag.Axes()) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"size", "dtype", "in_place", "graph"}));  // no op
  const auto metrics = ar.Metrics();
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[0].name, "busbw");
  EXPECT_EQ(metrics[1].name, "algbw");
  EXPECT_EQ(metrics[2].name, "time_us");
  // Defaults: fp32 sum, out of place, no graph; GPUs 1K..1G x4 then 8G; the cpu 1K..64M x4.
  const auto axes = ar.Axes();
  EXPECT_EQ(axes[0].defaults.front(), "1024");
  EXPECT_EQ(axes[0].defaults[10], std::to_string(int64_t{1} << 30));
  EXPECT_EQ(axes[0].defaults.back(), std::to_string(int64_t{8} << 30));
  EXPECT_EQ(axes[1].defaults, std::vector<std::string>{"fp32"});
  EXPECT_EQ(axes[2].defaults, std::vector<std::string>{"sum"});
  EXPECT_EQ(axes[3].defaults, std::vector<std::string>{"false"});
  const auto cpu = ar.DefaultsFor(DeviceRef::Kind::kCpu).at("size");
  EXPECT_EQ(cpu.size(), 9u);
  EXPECT_EQ(cpu.back(), std::to_string(64 << 20));
  EXPECT_TRUE(ar.DefaultsFor(DeviceRef::Kind::kCuda).empty());
}

}  // namespace
}  // namespace gq
