// `mpirun -np 2 gpuqual run allreduce ... --device cpu` end to end (ctest label "mpi"): one
// results file written by rank 0 with world{ranks 2, nodes 1, backend mpi}, per-rank figures,
// busbw > 0 and passed verification for every case; the table printed once.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "harness/record/results_json.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string output;
};

Outcome Shell(const std::string& cmd) {
  Outcome o;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return o;
  std::array<char, 4096> buf;
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) o.output += buf.data();
  const int status = pclose(pipe);
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(MpiCliTest, TwoRanksOnTheCpuWriteOneValidResultsFile) {
  const fs::path dir = fs::temp_directory_path() / ("gq_mpi_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "mpi.json").string();
  const std::string cmd = std::string(GQ_MPIEXEC) + " -np 2 " + GQ_MPIEXEC_FLAGS + " " + GQ_BINARY +
                          " run allreduce all_gather reduce_scatter --device cpu -a size=64K,1M"
                          " --min-time 0.05 --max-time 1 --warmup 0.02 -o " +
                          path;
  const Outcome o = Shell(cmd);
  ASSERT_EQ(o.code, 0) << cmd << "\n" << o.output;
  EXPECT_EQ(Count(o.output, "results: " + path), 1) << o.output;  // rank 0 alone prints
  EXPECT_EQ(Count(o.output, "6 case(s) on 2xcpu (2 MPI ranks on 1 node(s))"), 1) << o.output;
  EXPECT_EQ(o.output.find("single rank"), std::string::npos) << o.output;

  const ResultsDoc doc = ReadResultsFile(path);
  EXPECT_EQ(doc.system.world.ranks, 2);
  EXPECT_EQ(doc.system.world.nodes, 1);
  EXPECT_EQ(doc.system.world.backend, "mpi");
  EXPECT_EQ(doc.system.world.skus, std::vector<std::string>{"cpu"});  // gathered from both ranks
  ASSERT_EQ(doc.cases.size(), 6u);
  for (const CaseResult& c : doc.cases) {
    ASSERT_TRUE(c.status == CaseStatus::kOk || c.status == CaseStatus::kNoisy)
        << c.id << ": " << c.reason;
    EXPECT_EQ(c.device, "2xcpu");
    EXPECT_EQ(c.primary_metric, "busbw");
    const MetricResult* busbw = c.FindMetric("busbw");
    ASSERT_NE(busbw, nullptr) << c.id;
    EXPECT_GT(busbw->median, 0) << c.id;
    EXPECT_GE(busbw->n, 10);
    EXPECT_DOUBLE_EQ(c.work.busbw_factor, c.workload == "allreduce" ? 1.0 : 0.5) << c.id;
    ASSERT_TRUE(c.verification.has_value()) << c.id;
    EXPECT_TRUE(c.verification->passed) << c.id << ": " << c.verification->detail;
    EXPECT_EQ(c.details.at("backend"), "mpi");
    EXPECT_EQ(c.details.at("ranks"), "2");
    ASSERT_EQ(c.ranks.size(), 2u) << c.id;
    for (int r = 0; r < 2; ++r) {
      EXPECT_EQ(c.ranks[r].rank, r);
      EXPECT_EQ(c.ranks[r].device, "cpu");
      EXPECT_EQ(c.ranks[r].host, doc.system.host.hostname);
      EXPECT_GT(c.ranks[r].median_s, 0);
    }
  }
  fs::remove_all(dir);
}

// Tensor parallel on the cpu: the two ranks each hold half the heads, ffn and vocabulary of the
// tiny model, all-reduce after the out and down projections and agree on the sampled token; each
// rank's logits slice is checked against the whole model on one rank (the reference).
TEST(MpiCliTest, TensorParallelE2eOnTwoRanksMatchesTheWholeModel) {
  const fs::path dir = fs::temp_directory_path() / ("gq_mpi_e2e_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "e2e.json").string();
  const std::string cmd = std::string(GQ_MPIEXEC) + " -np 2 " + GQ_MPIEXEC_FLAGS + " " + GQ_BINARY +
                          " run e2e --device cpu -a model=tiny -a tp=1,2 -a batch=2 -a input_len=16"
                          " -a output_len=4 --min-time 0.05 --max-time 1 --warmup 0.02 -o " + path;
  const Outcome o = Shell(cmd);
  ASSERT_EQ(o.code, 0) << cmd << "\n" << o.output;
  const ResultsDoc doc = ReadResultsFile(path);
  ASSERT_EQ(doc.cases.size(), 2u);
  for (const CaseResult& c : doc.cases) {
    ASSERT_TRUE(c.status == CaseStatus::kOk || c.status == CaseStatus::kNoisy) << c.id << ": " << c.reason;
    ASSERT_TRUE(c.verification.has_value()) << c.id;
    EXPECT_TRUE(c.verification->passed) << c.id << ": " << c.verification->detail;
    EXPECT_GT(c.FindMetric("output_tok_s")->median, 0);
  }
  const CaseResult& tp2 = doc.cases[1];
  // The shape overrides are at their automatic value 0 and stay out of the id (harness/case_id.h).
  EXPECT_EQ(tp2.id.substr(tp2.id.size() - 5), "/tp=2") << tp2.id;
  EXPECT_NE(tp2.verification->detail.find("cpu fp32 reference"), std::string::npos) << tp2.verification->detail;
  EXPECT_DOUBLE_EQ(tp2.work.gpus, 2);
  EXPECT_NEAR(tp2.FindMetric("tok_s_per_gpu")->median * 2, tp2.FindMetric("output_tok_s")->median,
              1e-6 * tp2.FindMetric("output_tok_s")->median);
  fs::remove_all(dir);
}

TEST(MpiCliTest, BadArgumentsExitTwoWithOneMessage) {
  const std::string cmd = std::string(GQ_MPIEXEC) + " -np 2 " + GQ_MPIEXEC_FLAGS + " " + GQ_BINARY +
                          " run allreduce --device cpu -a size=abc -o /tmp/gq-mpi-never.json";
  const Outcome o = Shell(cmd);
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_EQ(Count(o.output, "gpuqual: error:"), 1) << o.output;  // rank 0 speaks for both
  EXPECT_NE(o.output.find("'abc' is not an integer"), std::string::npos) << o.output;
}

// Ranks that planned different runs (suite files or command lines that differ between nodes)
// would wait in different collectives forever: refused, exit 2, rank 0 explaining.
TEST(MpiCliTest, RanksThatPlannedDifferentRunsAreRefused) {
  const std::string run = std::string(GQ_BINARY) + " run allreduce --device cpu --min-time 0.05 --max-time 0.3 -q";
  const std::string cmd = "timeout 120 " + std::string(GQ_MPIEXEC) + " " + GQ_MPIEXEC_FLAGS + " -np 1 " + run +
                          " -a size=1K -o /tmp/gq-mpi-never.json : -np 1 " + run + " -a size=1K,4K -o /tmp/gq-mpi-never.json";
  const Outcome o = Shell(cmd);
  EXPECT_EQ(o.code, 2) << o.output;  // not 124: nobody hangs
  EXPECT_EQ(Count(o.output, "gpuqual: error:"), 1) << o.output;
  EXPECT_NE(o.output.find("the ranks planned different runs"), std::string::npos) << o.output;
}

// A command line that fails on one rank only (an MPMD launch) ends every rank, that rank
// explaining; the commands other than run are refused under a launcher.
TEST(MpiCliTest, ABadCommandLineOnOneRankEndsEveryRank) {
  const std::string run = std::string(GQ_BINARY) + " run allreduce --device cpu -a size=1K -q -o /tmp/gq-mpi-never.json";
  const Outcome o = Shell("timeout 120 " + std::string(GQ_MPIEXEC) + " " + GQ_MPIEXEC_FLAGS + " -np 1 " + run +
                          " : -np 1 " + run + " --bogus");
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_EQ(Count(o.output, "gpuqual: error:"), 1) << o.output;
  EXPECT_NE(o.output.find("gpuqual: error: rank 1: unexpected argument --bogus (see gpuqual run --help)"), std::string::npos)
      << o.output;
  const Outcome q = Shell(std::string(GQ_MPIEXEC) + " -np 2 " + GQ_MPIEXEC_FLAGS + " " + GQ_BINARY + " qualify --device cpu");
  EXPECT_EQ(q.code, 2) << q.output;
  EXPECT_EQ(Count(q.output, "gpuqual: error:"), 1) << q.output;
  EXPECT_NE(q.output.find("only `gpuqual run` runs under mpirun or srun"), std::string::npos) << q.output;
}

// --list names the device as the run records it; --hang-timeout, which cannot act across ranks,
// is refused when given.
TEST(MpiCliTest, ListLabelsTheDeviceAsTheRunAndHangTimeoutIsRefused) {
  const std::string launch = std::string(GQ_MPIEXEC) + " -np 2 " + GQ_MPIEXEC_FLAGS + " " + GQ_BINARY +
                             " run allreduce --device cpu -a size=1K";
  const Outcome listed = Shell(launch + " --list");
  EXPECT_EQ(listed.code, 0) << listed.output;
  EXPECT_NE(listed.output.find("2xcpu  allreduce/size=1024/"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("1 case(s) on 2xcpu x 1 round(s)"), std::string::npos) << listed.output;
  const Outcome hang = Shell(launch + " --hang-timeout 60 -o /tmp/gq-mpi-never.json");
  EXPECT_EQ(hang.code, 2) << hang.output;
  EXPECT_EQ(Count(hang.output, "gpuqual: error:"), 1) << hang.output;
  EXPECT_NE(hang.output.find("--hang-timeout works in one process only"), std::string::npos) << hang.output;
}

// A launcher whose ranks each see an MPI world of 1 (another MPI's mpiexec, srun without PMI)
// would start separate runs writing over one file: refused, exit 2, before anything runs.
TEST(MpiCliTest, ALauncherThatDisagreesWithMpiIsRefused) {
  const std::string path = (fs::temp_directory_path() / ("gq_mpi_pmi_" + std::to_string(::getpid()) + ".json")).string();
  const Outcome o = Shell("env -u OMPI_COMM_WORLD_SIZE PMI_SIZE=2 PMI_RANK=0 " + std::string(GQ_BINARY) +
                          " run allreduce --device cpu -a size=1K -o " + path);
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("gpuqual: error: launched as one of 2 ranks, but MPI sees a world of 1"), std::string::npos)
      << o.output;
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace gq
