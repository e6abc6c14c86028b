// The SKU a case ran on, from its device label (harness/results.h CaseSku): one GPU, a group of
// GPUs driven by one process ("cuda:0-7", the single-process collectives), MPI ranks ("8xcuda",
// from system.world.skus), and the cpu.
#include <gtest/gtest.h>

#include <string>

#include "harness/results.h"

namespace gq {
namespace {

ResultsDoc EightGpus(const std::string& sku_of_7) {
  ResultsDoc doc;
  for (int i = 0; i < 8; ++i) {
    GpuInfo g;
    g.index = i;
    g.sku = i == 7 ? sku_of_7 : "h100-sxm-80gb";
    doc.system.devices.push_back(g);
  }
  return doc;
}

std::string SkuOf(const ResultsDoc& doc, const std::string& device) {
  CaseResult c;
  c.device = device;
  return CaseSku(doc, c);
}

// The one reading of a case's device label (RankSync::DeviceLabel) every reader uses.
TEST(ParseCaseDeviceTest, EveryLabelTheRunnerWrites) {
  const CaseDevice one = ParseCaseDevice("cuda:3");
  EXPECT_TRUE(one.valid && one.cuda && one.SingleGpu());
  EXPECT_EQ(one.first, 3);
  const CaseDevice group = ParseCaseDevice("cuda:0-7");
  EXPECT_TRUE(group.valid && !group.SingleGpu() && !group.RanksOfGpus());
  EXPECT_EQ(group.last, 7);
  const CaseDevice ranks = ParseCaseDevice("16xcuda");
  EXPECT_TRUE(ranks.valid && ranks.RanksOfGpus());
  EXPECT_EQ(ranks.ranks, 16);
  const CaseDevice cpus = ParseCaseDevice("2xcpu");
  EXPECT_TRUE(cpus.valid && !cpus.cuda);
  EXPECT_EQ(cpus.ranks, 2);
  EXPECT_TRUE(ParseCaseDevice("cpu").valid);
  for (const char* bad : {"", "gpu0", "cuda:", "0xcuda", "16xcudax", "16xgpu", "x16cuda", "16xcuda ", "cuda:3-1"}) {
    EXPECT_FALSE(ParseCaseDevice(bad).valid) << bad;
  }
}

TEST(CaseSkuTest, OneGpuAndTheCpu) {
  const ResultsDoc doc = EightGpus("h100-sxm-80gb");
  EXPECT_EQ(SkuOf(doc, "cuda:3"), "h100-sxm-80gb");
  EXPECT_EQ(SkuOf(doc, "cpu"), "cpu");
  EXPECT_EQ(SkuOf(doc, "2xcpu"), "cpu");
  EXPECT_EQ(SkuOf(doc, "cuda:8"), "unknown");  // not listed
}

TEST(CaseSkuTest, AGroupOfGpusHasTheSkuTheyShare) {
  EXPECT_EQ(SkuOf(EightGpus("h100-sxm-80gb"), "cuda:0-7"), "h100-sxm-80gb");
  EXPECT_EQ(SkuOf(EightGpus("h100-sxm-80gb"), "cuda:2-5"), "h100-sxm-80gb");
  EXPECT_EQ(SkuOf(EightGpus("a100-sxm-80gb"), "cuda:0-7"), "unknown");  // mixed
  EXPECT_EQ(SkuOf(EightGpus("a100-sxm-80gb"), "cuda:0-6"), "h100-sxm-80gb");
  EXPECT_EQ(SkuOf(EightGpus(""), "cuda:0-7"), "unknown");  // one SKU not known
  EXPECT_EQ(SkuOf(EightGpus("h100-sxm-80gb"), "cuda:4-9"), "unknown");  // beyond the devices
}

TEST(CaseSkuTest, MalformedLabelsAreUnknown) {
  const ResultsDoc doc = EightGpus("h100-sxm-80gb");
  for (const char* label : {"cuda:", "cuda:x", "cuda:1x", "cuda:3-1", "cuda:0-7x", "cuda:-1", "gpu0", ""}) {
    EXPECT_EQ(SkuOf(doc, label), "unknown") << label;
  }
}

TEST(CaseSkuTest, RanksHaveTheOneSkuTheyGathered) {
  ResultsDoc doc;  // rank 0's host lists no GPU of the ranks: the gathered SKUs decide
  doc.system.world = WorldInfo{8, 2, "mpi", {"h200-sxm-141gb"}};
  EXPECT_EQ(SkuOf(doc, "8xcuda"), "h200-sxm-141gb");
  doc.system.world.skus = {"h100-sxm-80gb", "h200-sxm-141gb"};
  EXPECT_EQ(SkuOf(doc, "8xcuda"), "unknown");
  doc.system.world.skus = {};  // a file from before the field
  EXPECT_EQ(SkuOf(doc, "8xcuda"), "unknown");
}

}  // namespace
}  // namespace gq
