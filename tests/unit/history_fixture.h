#pragma once
// Test runs for the results history tests (history_*_test.cc, change_points_test.cc): results
// documents made as the runner makes them (samples, metrics, round medians), a scratch database
// path, and a store filled with a series of runs.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/measure/case_metrics.h"
#include "harness/record/history_store.h"
#include "harness/record/results_json.h"
#include "harness/results.h"
#include "harness/work.h"

namespace gq::testing {

// An ok gemm case on `device` whose every iteration takes about `seconds` (3 rounds of 5
// samples, spread +-1%), with tflops and time_ms filled as the runner fills them.
inline CaseResult GemmCase(const std::string& device, double seconds, int rounds = 1) {
  CaseResult c;
  c.id = "gemm/dtype=fp32/m=256";
  c.workload = "gemm";
  c.params = {{"dtype", "fp32"}, {"m", "256"}};
  c.device = device;
  c.status = CaseStatus::kOk;
  c.primary_metric = "tflops";
  c.iterations_per_sample = 10;
  c.work.flops = 2.0 * 256 * 256 * 256;
  c.rounds_planned = c.rounds_done = rounds;
  for (int r = 0; r < rounds; ++r) {
    const double round_s = seconds * (1.0 + 0.004 * r);
    for (double f : {0.99, 1.0, 1.01, 0.995, 1.005}) c.samples_s.push_back(10 * round_s * f);
    c.round_medians_s.push_back(round_s);
  }
  FillMetrics(c, {TflopsMetric(), TimeMsMetric()});
  return c;
}

// A finished run `id` started at `started_at` with the given labels and cases (cpu unless a case
// says cuda:0, which is an H100 SXM here).
inline ResultsDoc MakeRun(const std::string& id, const std::string& started_at,
                          std::map<std::string, std::string> labels, std::vector<CaseResult> cases) {
  ResultsDoc d;
  d.run.id = id;
  d.run.started_at = started_at;
  d.run.finished_at = started_at;
  d.run.tool_version = "0.1.0";
  d.run.tool_git = "abc1234";
  d.run.command = "gpuqual run --suite ci";
  d.run.suite = "ci";
  d.run.labels = std::move(labels);
  d.system.host.hostname = "node-1";
  d.system.host.cores = 2;
  d.system.world.backend = "single";
  GpuInfo gpu;
  gpu.index = 0;
  gpu.name = "NVIDIA H100 80GB HBM3";
  gpu.sku = "h100-sxm-80gb";
  d.system.devices = {gpu};
  d.cases = std::move(cases);
  return d;
}

inline AddOutcome AddRun(HistoryStore& store, const ResultsDoc& d, bool replace = false) {
  return store.Add(d, ResultsToJson(d).dump(1) + "\n", "test:" + d.run.id, replace);
}

// "2026-11-01T10:MM:00Z" for run i (minutes apart, in order).
inline std::string StartedAt(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2026-11-01T%02d:%02d:00Z", 10 + i / 60, i % 60);
  return buf;
}

// A scratch directory per test (and process), removed by the caller's TearDown.
inline std::filesystem::path HistoryTempDir() {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("gq_history_" + std::to_string(::getpid()) + "_" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Adds runs r00..r{n-1}, each with one cpu gemm case whose iteration time is seconds[i], labels
// branch=main and commit=c<i>.
inline void AddSeries(HistoryStore& store, const std::vector<double>& seconds) {
  for (std::size_t i = 0; i < seconds.size(); ++i) {
    char id[16], commit[16];
    std::snprintf(id, sizeof id, "r%02zu", i);
    std::snprintf(commit, sizeof commit, "c%02zu", i);
    AddRun(store, MakeRun(id, StartedAt(static_cast<int>(i)), {{"branch", "main"}, {"commit", commit}},
                          {GemmCase("cpu", seconds[i])}));
  }
}

// A test with a scratch directory; Db() names a database in it (not created).
class HistoryDirTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = HistoryTempDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Db() const { return (dir_ / "history.db").string(); }
  std::filesystem::path dir_;
};

// A test with a store in its scratch directory, filled by Fill (AddSeries).
class HistorySeriesTest : public HistoryDirTest {
 protected:
  void Fill(const std::vector<double>& seconds) {
    store_ = std::make_unique<HistoryStore>(Db(), HistoryStore::Open::kCreate);
    AddSeries(*store_, seconds);
  }
  void TearDown() override {
    store_.reset();
    HistoryDirTest::TearDown();
  }
  std::unique_ptr<HistoryStore> store_;
};

}  // namespace gq::testing
