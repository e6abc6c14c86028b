// End-to-end tests of the results history: `run --db`, `history add|list|show|trend`,
// `baseline create --from-history`, `compare --history`, `report --history`; concurrent writers
// from several processes; exit 2 with one line for a corrupt or foreign database.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "harness/record/file_io.h"
#include "harness/record/sqlite_db.h"
#include "tests/smoke/run_gpuqual.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using testing::Gpuqual;
using testing::Outcome;

constexpr const char* kCase = "gemm/dtype=fp32/m=128/n=128/k=128/layout=TN/algo=autotune";

class HistoryCliTest : public ::testing::Test {
 protected:
  // One short real cpu run (2 rounds of one GEMM case), added to db.db as it ends.
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("gq_history_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    run_ = Gpuqual("run gemm --device cpu -a dtype=fp32 -a m=128 -a n=128 -a k=128 --repetitions 2 "
                   "--min-time 0.05 --max-time 0.3 --warmup 0.02 --max-noise 50 --label branch=main "
                   "--label commit=c00 --db " + Path("run.db") + " -o " + Path("base.json"));
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static std::string Path(const std::string& name) { return (dir_ / name).string(); }
  static fs::path dir_;
  static Outcome run_;
};

fs::path HistoryCliTest::dir_;
Outcome HistoryCliTest::run_;

// A copy of the base run as another run: new id and start, commit label, every time x `factor`.
std::string Variant(const std::string& base, const std::string& out, int i, double factor,
                    const std::string& branch = "main") {
  auto j = ReadJsonFile(base);
  char id[32], started[32], commit[16];
  std::snprintf(id, sizeof id, "run-%03d", i);
  std::snprintf(started, sizeof started, "2026-11-01T%02d:%02d:00Z", 10 + i / 60, i % 60);
  std::snprintf(commit, sizeof commit, "c%02d", i);
  j["run"]["id"] = id;
  j["run"]["started_at"] = started;
  j["run"]["labels"] = {{"branch", branch}, {"commit", commit}};
  for (auto& c : j["cases"]) {
    for (auto& s : c["samples_s"]) s = s.get<double>() * factor;
    // The rounds at the first round's median +-0.5%, and the case ok: what the history commands
    // decide then rests on `factor`, not on how noisy this machine was during the base run.
    const double first = c["rounds"]["medians_s"][0].get<double>() * factor;
    double k = -0.005;
    for (auto& m : c["rounds"]["medians_s"]) {
      m = first * (1 + k);
      k += 0.005;
    }
    c["status"] = "ok";
    c["reason"] = "";
    for (auto& [name, m] : c["metrics"].items()) {
      const bool rate = m["higher_is_better"].get<bool>();
      for (const char* k : {"median", "mean", "p10", "p90", "min", "max", "ci95_low", "ci95_high"}) {
        m[k] = rate ? m[k].get<double>() / factor : m[k].get<double>() * factor;
      }
    }
  }
  std::ofstream(out) << j.dump(1);
  return out;
}

TEST_F(HistoryCliTest, RunAddsItselfAndAddIsIdempotent) {
  ASSERT_EQ(run_.code, 0) << run_.output;
  EXPECT_NE(run_.output.find("history: run "), std::string::npos) << run_.output;
  Outcome again = Gpuqual("history add --db " + Path("run.db") + " " + Path("base.json"));
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("already stored"), std::string::npos) << again.output;
  Outcome list = Gpuqual("history list --db " + Path("run.db") + " --label branch=main --sku cpu");
  EXPECT_EQ(list.code, 0) << list.output;
  EXPECT_NE(list.output.find("branch=main commit=c00"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("1 run(s) in"), std::string::npos) << list.output;
  Outcome none = Gpuqual("history list --db " + Path("run.db") + " --label branch=dev");
  EXPECT_NE(none.output.find("0 run(s) in"), std::string::npos) << none.output;
  Outcome json = Gpuqual("history list --db " + Path("run.db") + " --json -");
  EXPECT_EQ(json.code, 0) << json.output;
  EXPECT_NE(json.output.find("\"state\": \"finished\""), std::string::npos) << json.output;
}

// The H200's first-light runs: a SKU longer than the old fixed 6-character column shifted every
// column after it; each column is now as wide as its widest cell.
TEST_F(HistoryCliTest, ListColumnsLineUpWithTheH200Runs) {
  const std::string db = Path("h200.db");
  for (int i = 1; i <= 2; ++i) {
    const std::string run = std::string(GQ_SOURCE_DIR) + "/reports/tests/fixtures/h200/quick-" +
                            std::to_string(i) + ".json";
    ASSERT_EQ(Gpuqual("history add --db " + db + " " + run).code, 0);
  }
  Outcome list = Gpuqual("history list --db " + db);
  ASSERT_EQ(list.code, 0) << list.output;
  std::istringstream lines(list.output);
  std::string header, row;
  std::getline(lines, header);
  int rows = 0;
  while (std::getline(lines, row) && row.rfind("2026-", 0) == 0) {
    ++rows;
    EXPECT_EQ(row.find("h200-sxm-141gb"), header.find("sku")) << list.output;
    EXPECT_EQ(row.find("quick"), header.find("suite")) << list.output;
    EXPECT_EQ(row.find("35/35"), header.find("ok/cases")) << list.output;
  }
  EXPECT_EQ(rows, 2) << list.output;
}

TEST_F(HistoryCliTest, ConcurrentAddsFromSeveralProcessesAllLand) {
  ASSERT_EQ(run_.code, 0) << run_.output;
  // 4 processes at once, each adding 3 different runs to a database none has made yet.
  std::string script = "fail=0; ";
  for (int w = 0; w < 4; ++w) {
    std::string files;
    for (int k = 0; k < 3; ++k) {
      const int i = w * 3 + k;
      files += " " + Variant(Path("base.json"), Path("c" + std::to_string(i) + ".json"), i, 1.0 + 0.001 * i);
    }
    script += std::string(GQ_BINARY) + " history add --db " + Path("concurrent.db") + files + " > " +
              Path("w" + std::to_string(w) + ".log") + " 2>&1 & p" + std::to_string(w) + "=$!; ";
  }
  for (int w = 0; w < 4; ++w) script += "wait $p" + std::to_string(w) + " || fail=1; ";
  script += "exit $fail";
  std::ofstream(Path("writers.sh")) << script << "\n";
  const int rc = std::system(("sh " + Path("writers.sh")).c_str());
  std::string logs;
  for (int w = 0; w < 4; ++w) {
    std::ifstream log(Path("w" + std::to_string(w) + ".log"));
    logs += std::string((std::istreambuf_iterator<char>(log)), {});
  }
  EXPECT_EQ(rc, 0) << logs;
  EXPECT_EQ(std::count(logs.begin(), logs.end(), '\n'), 4 * 4) << logs;  // 3 "added" lines + 1 each
  Outcome list = Gpuqual("history list --db " + Path("concurrent.db"));
  EXPECT_NE(list.output.find("12 run(s) in"), std::string::npos) << list.output;
}

// `history add` killed (SIGKILL) part-way: the runs it committed are whole, the database is
// intact, and adding the same files again completes the set.
TEST_F(HistoryCliTest, AKilledAddLeavesTheDatabaseConsistent) {
  ASSERT_EQ(run_.code, 0) << run_.output;
  constexpr int kRuns = 240;
  std::string files;
  for (int i = 0; i < kRuns; ++i) {
    files += " " + Variant(Path("base.json"), Path("k" + std::to_string(i) + ".json"), 100 + i, 1.0);
  }
  const std::string add = std::string(GQ_BINARY) + " history add --db " + Path("killed.db") + files;
  // Killed as soon as it has begun writing (its WAL file exists), long before the last of the
  // runs, each its own transaction, is in.
  std::ofstream(Path("kill.sh")) << add << " > /dev/null 2>&1 & pid=$!; i=0; while [ ! -s " << Path("killed.db-wal")
                                 << " ] && [ $i -lt 2000 ]; do sleep 0.005; i=$((i + 1)); done; sleep 0.02; "
                                 << "kill -9 $pid; wait $pid; exit 0\n";
  ASSERT_EQ(std::system(("sh " + Path("kill.sh") + " 2> /dev/null").c_str()), 0);
  ASSERT_TRUE(fs::exists(Path("killed.db")));
  {
    SqliteDb db(Path("killed.db"), SqliteDb::Mode::kReadWrite, 5000);
    EXPECT_EQ(*db.QueryText("PRAGMA integrity_check"), "ok");
    ASSERT_TRUE(db.QueryText("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'runs'"));
    const int stored = std::stoi(*db.QueryText("SELECT COUNT(*) FROM runs"));
    EXPECT_LT(stored, kRuns) << "the add finished before the kill: nothing was tested";
    EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM runs r WHERE (SELECT COUNT(*) FROM cases c WHERE "
                            "c.run_pk = r.run_pk) <> 1 OR NOT EXISTS (SELECT 1 FROM run_json j WHERE "
                            "j.run_pk = r.run_pk)"),
              "0");
  }
  Outcome again = Gpuqual("history add --db " + Path("killed.db") + files);
  EXPECT_EQ(again.code, 0) << again.output;
  Outcome list = Gpuqual("history list --db " + Path("killed.db"));
  EXPECT_NE(list.output.find(std::to_string(kRuns) + " run(s) in"), std::string::npos) << list.output;
}

TEST_F(HistoryCliTest, ShowTrendBaselineCompareAndReport) {
  ASSERT_EQ(run_.code, 0) << run_.output;
  // 10 runs of main, the last 4 20% slower; one run of another branch.
  std::string files;
  for (int i = 0; i < 10; ++i) {
    const double f = (i < 6 ? 1.0 : 1.25) * (1 + 0.004 * (i % 3));
    files += " " + Variant(Path("base.json"), Path("t" + std::to_string(i) + ".json"), i, f);
  }
  files += " " + Variant(Path("base.json"), Path("dev.json"), 40, 3.0, "dev");
  const std::string db = " --db " + Path("trend.db");
  Outcome add = Gpuqual("history add" + db + files);
  ASSERT_EQ(add.code, 0) << add.output;

  Outcome show = Gpuqual(std::string("history show ") + kCase + db + " --label branch=main");
  EXPECT_EQ(show.code, 0) << show.output;
  EXPECT_NE(show.output.find("change point at c06"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("<< -"), std::string::npos) << show.output;

  Outcome trend = Gpuqual("history trend" + db + " --label branch=main --json " + Path("trend.json"));
  EXPECT_EQ(trend.code, 0) << trend.output;
  EXPECT_EQ(ReadJsonFile(Path("trend.json"))["series"][0]["change_points"][0]["commit"], "c06");

  // A baseline of the 4 slow runs: each run's median is a replicate.
  Outcome b = Gpuqual("baseline create --from-history --sku cpu --label branch=main --last 4" + db + " -o " +
                      Path("hb.json"));
  ASSERT_EQ(b.code, 0) << b.output;
  EXPECT_NE(b.output.find("from the newest 4 run(s)"), std::string::npos) << b.output;
  const auto baseline = ReadJsonFile(Path("hb.json"));
  EXPECT_EQ(baseline["name"], "cpu-history");
  EXPECT_EQ(baseline["cases"][0]["replicate_medians_s"].size(), 8u);  // 4 runs x 2 rounds

  // The 6 fast runs against the 4 slow ones before them would be an improvement; a candidate as
  // slow as the newest runs is unchanged against them, and one 30% slower still is a regression.
  Variant(Path("base.json"), Path("same.json"), 90, 1.25);
  Outcome same = Gpuqual("compare " + Path("same.json") + " --history --last 4 --label branch=main" + db);
  EXPECT_EQ(same.code, 0) << same.output;
  EXPECT_EQ(same.output.find("regressed"), std::string::npos) << same.output;
  Variant(Path("base.json"), Path("slow.json"), 91, 1.25 * 1.3);
  Outcome slow = Gpuqual("compare " + Path("slow.json") + " --history --last 4 --label branch=main" + db);
  EXPECT_EQ(slow.code, 1) << slow.output;
  EXPECT_NE(slow.output.find("regressed"), std::string::npos) << slow.output;

  Outcome report = Gpuqual("report --history --label branch=main" + db + " -o " + Path("rep"));
  EXPECT_EQ(report.code, 0) << report.output;
  EXPECT_TRUE(fs::exists(dir_ / "rep" / "trend.json"));
  EXPECT_TRUE(fs::exists(dir_ / "rep" / "trend_01.png"));
  std::ifstream md(dir_ / "rep" / "summary.md");
  std::string text((std::istreambuf_iterator<char>(md)), {});
  EXPECT_NE(text.find("c06"), std::string::npos) << text;
}

// Runs of another machine (a "machine" label, else another instance type) are not replicates of
// this one's: a baseline from the history refuses to mix them, --machine picks one, and compare
// --history takes the candidate's machine unless told otherwise.
TEST_F(HistoryCliTest, BaselinesFromTheHistoryAreOfOneMachine) {
  ASSERT_EQ(run_.code, 0) << run_.output;
  const auto on_rack = [&](const std::string& file) {
    auto j = ReadJsonFile(file);
    j["run"]["labels"]["machine"] = "rack-9";
    std::ofstream(file) << j.dump(1);
    return file;
  };
  std::string files;
  for (int i = 0; i < 3; ++i) files += " " + Variant(Path("base.json"), Path("m" + std::to_string(i) + ".json"), i, 1.0);
  for (int i = 3; i < 5; ++i) {
    files += " " + on_rack(Variant(Path("base.json"), Path("m" + std::to_string(i) + ".json"), i, 1.5 * (1 + 0.004 * i)));
  }
  const std::string db = " --db " + Path("machines.db");
  ASSERT_EQ(Gpuqual("history add" + db + files).code, 0);

  Outcome mixed = Gpuqual("baseline create --from-history --sku cpu --last 4" + db + " -o " + Path("mixed.json"));
  EXPECT_EQ(mixed.code, 2) << mixed.output;
  EXPECT_NE(mixed.output.find("are of 2 machines ((none): 2 run(s), rack-9: 2 run(s)); a baseline is of one: "
                              "give --machine M"), std::string::npos) << mixed.output;
  EXPECT_FALSE(fs::exists(Path("mixed.json")));
  Outcome rack = Gpuqual("baseline create --from-history --sku cpu --last 4 --machine rack-9" + db + " -o " +
                         Path("rack.json"));
  ASSERT_EQ(rack.code, 0) << rack.output;
  EXPECT_EQ(ReadJsonFile(Path("rack.json"))["sources"].size(), 2u);
  EXPECT_EQ(Gpuqual("baseline create --from-history --sku cpu --last 4 --machine ''" + db + " -o " +
                    Path("none.json")).code, 0);
  Outcome listed = Gpuqual("history list --machine rack-9" + db);
  EXPECT_EQ(listed.code, 0) << listed.output;
  EXPECT_NE(listed.output.find("2 run(s) in"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("machine rack-9"), std::string::npos) << listed.output;

  // A candidate on rack-9 as slow as rack-9's runs: unchanged against them (its machine), a
  // regression against the unnamed machine's when --machine '' says so.
  on_rack(Variant(Path("base.json"), Path("cand.json"), 90, 1.5));
  Outcome own = Gpuqual("compare " + Path("cand.json") + " --history --last 4" + db);
  EXPECT_EQ(own.code, 0) << own.output;
  EXPECT_NE(own.output.find("machine rack-9"), std::string::npos) << own.output;
  Outcome other = Gpuqual("compare " + Path("cand.json") + " --history --last 4 --machine ''" + db);
  EXPECT_EQ(other.code, 1) << other.output;
  EXPECT_NE(other.output.find("regressed"), std::string::npos) << other.output;
}

TEST_F(HistoryCliTest, BadDatabasesAndFlagsExitTwoWithOneLine) {
  std::ofstream(Path("garbage.db")) << std::string(4096, 'g');
  Outcome g = Gpuqual("history list --db " + Path("garbage.db"));
  EXPECT_EQ(g.code, 2) << g.output;
  EXPECT_NE(g.output.find(Path("garbage.db") + ": not an SQLite database"), std::string::npos) << g.output;
  EXPECT_EQ(std::count(g.output.begin(), g.output.end(), '\n'), 1) << g.output;
  {
    SqliteDb db(Path("foreign.db"), SqliteDb::Mode::kReadWriteCreate, 1000);
    db.Exec("CREATE TABLE invoices (id INTEGER)");
  }
  Outcome f = Gpuqual("history add --db " + Path("foreign.db") + " " + Path("base.json"));
  EXPECT_EQ(f.code, 2) << f.output;
  EXPECT_NE(f.output.find("not a gpuqual history"), std::string::npos) << f.output;
  Outcome missing = Gpuqual("history list --db " + Path("absent.db"));
  EXPECT_EQ(missing.code, 2) << missing.output;
  EXPECT_FALSE(fs::exists(Path("absent.db")));
  Outcome since = Gpuqual("history list --db " + Path("run.db") + " --since yesterday");
  EXPECT_EQ(since.code, 2) << since.output;
  EXPECT_NE(since.output.find("--since 'yesterday' is not a date"), std::string::npos) << since.output;
  for (const char* day : {"2026-13-45", "2026-02-30", "2026-11-01T25:00"}) {  // shaped like a date, not one
    Outcome d = Gpuqual("history list --db " + Path("run.db") + " --since " + day);
    EXPECT_EQ(d.code, 2) << d.output;
    EXPECT_NE(d.output.find("is not a date"), std::string::npos) << d.output;
  }
  EXPECT_EQ(Gpuqual("history list --db " + Path("run.db") + " --since 2024-02-29T23:59:59Z").code, 0);
  Outcome both = Gpuqual("compare " + Path("base.json") + " --baseline " + Path("base.json") + " --history --last 2");
  EXPECT_EQ(both.code, 2) << both.output;
  Outcome bad_run = Gpuqual("run gemm --device cpu --db " + Path("garbage.db") + " -o " + Path("never.json"));
  EXPECT_EQ(bad_run.code, 2) << bad_run.output;
  EXPECT_FALSE(fs::exists(Path("never.json")));
}

}  // namespace
}  // namespace gq
