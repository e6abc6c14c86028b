// harness/record/results_recorder: the results file is written after every case with
// complete = false and finished with complete = true; an existing file survives until a case
// replaces it; a failed write mid-run warns once and the run goes on.
#include "harness/record/results_recorder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/errors.h"
#include "harness/record/file_io.h"
#include "harness/record/results_json.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

ResultsDoc Doc() {
  ResultsDoc d;
  d.run.id = "r1";
  d.run.started_at = "2026-11-29T00:00:00Z";
  return d;
}

CaseResult Case(const std::string& id) {
  CaseResult c;
  c.id = id;
  c.workload = "gemm";
  c.device = "cpu";
  c.status = CaseStatus::kSkipped;
  c.reason = "test";
  return c;
}

class ResultsRecorderTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gq_recorder_" + std::to_string(getpid()) + "_" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ResultsRecorderTest, IncompleteWhileRunningCompleteAtTheEnd) {
  const std::string path = (dir_ / "r.json").string();
  std::ofstream(path) << "previous run";
  std::ostringstream warnings;
  ResultsRecorder rec(path, Doc(), &warnings);
  EXPECT_EQ(ReadTextFile(path), "previous run");  // untouched until a case replaces it
  rec.OnCaseDone(Case("gemm/a"));
  ResultsDoc mid = ReadResultsFile(path);
  EXPECT_FALSE(mid.run.complete);
  EXPECT_EQ(mid.cases.size(), 1u);
  rec.Finish(false);
  ResultsDoc done = ReadResultsFile(path);
  EXPECT_TRUE(done.run.complete);
  EXPECT_FALSE(done.run.finished_at.empty());
  EXPECT_TRUE(warnings.str().empty());
}

// The health snapshot taken after the run reaches the file at once (still incomplete) and stays
// through Finish.
TEST_F(ResultsRecorderTest, TheHealthAfterTheRunIsWrittenAndKept) {
  const std::string path = (dir_ / "r.json").string();
  ResultsRecorder rec(path, Doc(), nullptr);
  rec.OnCaseDone(Case("gemm/a"));
  DeviceHealth gpu;
  gpu.index = 0;
  gpu.available = true;
  gpu.ecc_volatile_uncorrected = 2;
  HealthReport health;
  health.before = HealthSnapshot{"2026-11-29T00:00:00Z", {}};
  health.after = HealthSnapshot{"2026-11-29T00:10:00Z", {gpu}};
  rec.SetHealth(health);
  ResultsDoc mid = ReadResultsFile(path);
  EXPECT_FALSE(mid.run.complete);
  ASSERT_TRUE(mid.health.after.has_value());
  EXPECT_EQ(mid.health.after->taken_at, "2026-11-29T00:10:00Z");
  rec.Finish(false);
  ResultsDoc done = ReadResultsFile(path);
  EXPECT_TRUE(done.run.complete);
  ASSERT_TRUE(done.health.after.has_value());
  ASSERT_EQ(done.health.after->devices.size(), 1u);
  EXPECT_EQ(done.health.after->devices[0].ecc_volatile_uncorrected, 2);
  EXPECT_EQ(done.cases.size(), 1u);
}

TEST_F(ResultsRecorderTest, AFailedWriteWarnsOnceAndTheRunGoesOn) {
  const std::string path = (dir_ / "r.json").string();
  std::ostringstream warnings;
  ResultsRecorder rec(path, Doc(), &warnings);
  rec.OnCaseDone(Case("gemm/a"));
  fs::remove(path);
  fs::create_directory(path);  // the target can no longer be written
  rec.OnCaseDone(Case("gemm/b"));
  rec.OnCaseDone(Case("gemm/c"));
  EXPECT_EQ(warnings.str(), "gpuqual: warning: cannot write " + path +
                                ": is a directory (the run goes on; the file keeps its last good content)\n");
  EXPECT_EQ(rec.doc().cases.size(), 3u);  // kept in memory
  EXPECT_THROW(rec.Finish(false), OutputError);
  fs::remove(path);
  rec.Finish(false);  // writable again: everything is there
  EXPECT_EQ(ReadResultsFile(path).cases.size(), 3u);
}

TEST_F(ResultsRecorderTest, ABadPathFailsBeforeAnyCase) {
  EXPECT_THROW(ResultsRecorder(dir_.string(), Doc(), nullptr), OutputError);
  EXPECT_THROW(ResultsRecorder("/proc/gq_no_such_dir/r.json", Doc(), nullptr), OutputError);
}

TEST(ResultsJsonCompleteTest, OldFilesWithoutTheFieldReadAsComplete) {
  nlohmann::ordered_json j = ResultsToJson(Doc());
  j["run"].erase("complete");
  EXPECT_TRUE(ResultsFromJson(j, "old.json").run.complete);
  j["run"]["complete"] = false;
  EXPECT_FALSE(ResultsFromJson(j, "cut.json").run.complete);
}

}  // namespace
}  // namespace gq
