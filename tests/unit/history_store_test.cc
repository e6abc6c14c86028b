// harness/record/history_store: adding is idempotent on the run id and all-or-nothing, the
// filters, the series a trend is drawn from, WAL mode, concurrent writers from several
// processes, and the one-line errors for a corrupt, foreign or misplaced database file.
#include "harness/record/history_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "harness/errors.h"
#include "harness/record/sqlite_db.h"
#include "tests/unit/history_fixture.h"

namespace gq {
namespace {

namespace fs = std::filesystem;
using testing::AddRun;
using testing::GemmCase;
using testing::MakeRun;
using testing::StartedAt;

class HistoryStoreTest : public testing::HistoryDirTest {};

int64_t Count(const std::string& path, const std::string& table) {
  SqliteDb db(path, SqliteDb::Mode::kReadWrite, 1000);
  return std::stoll(*db.QueryText("SELECT COUNT(*) FROM " + table));
}

TEST_F(HistoryStoreTest, AddIsIdempotentOnTheRunId) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  ResultsDoc d = MakeRun("r1", StartedAt(1), {{"branch", "main"}}, {GemmCase("cpu", 1e-3)});
  EXPECT_EQ(AddRun(store, d), AddOutcome::kAdded);
  EXPECT_EQ(AddRun(store, d), AddOutcome::kUnchanged);
  d.run.labels["commit"] = "c1";  // the same run id with other content
  EXPECT_EQ(AddRun(store, d), AddOutcome::kKept);
  EXPECT_TRUE(store.Runs({}).front().labels.count("commit") == 0);
  EXPECT_EQ(AddRun(store, d, true), AddOutcome::kReplaced);
  const auto runs = store.Runs({});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].labels.at("commit"), "c1");
  EXPECT_EQ(Count(Db(), "cases"), 1);  // the replaced run's rows went with it
  EXPECT_EQ(Count(Db(), "metrics"), 2);
}

TEST_F(HistoryStoreTest, EveryPartOfARunIsQueryable) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  ResultsDoc d = MakeRun("r1", StartedAt(1), {{"branch", "main"}, {"commit", "c1"}},
                         {GemmCase("cpu", 1e-3, 3), GemmCase("cuda:0", 1e-5)});
  QualifyVerdict v;
  v.overall = QualifyStatus::kWarn;
  v.checks.push_back({"gemm/dtype=fp32/m=256", "performance", QualifyStatus::kWarn, "slow", 0.8, 0.7, "TFLOP/s"});
  d.verdict = v;
  AddRun(store, d);
  SqliteDb db(Db(), SqliteDb::Mode::kReadWrite, 1000);
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM replicates"), "4");  // 3 rounds + 1
  EXPECT_EQ(*db.QueryText("SELECT sku FROM cases WHERE device = 'cuda:0'"), "h100-sxm-80gb");
  EXPECT_EQ(*db.QueryText("SELECT value FROM params WHERE axis = 'm' LIMIT 1"), "256");
  EXPECT_EQ(*db.QueryText("SELECT overall FROM verdicts"), "WARN");
  EXPECT_EQ(*db.QueryText("SELECT reason FROM checks"), "slow");
  EXPECT_EQ(*db.QueryText("SELECT name FROM devices"), "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(*db.QueryText("SELECT hostname FROM runs"), "node-1");
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM labels"), "2");
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM metrics WHERE name = 'tflops' AND median > 0"), "2");
  // The results JSON is kept as given: it reads back to the same document.
  const std::string json = *db.QueryText("SELECT json FROM run_json");
  EXPECT_EQ(json, ResultsToJson(d).dump(1) + "\n");
  EXPECT_EQ(store.Runs({})[0].verdict, "WARN");
}

TEST_F(HistoryStoreTest, FiltersBySkuLabelsAndStartTime) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  AddRun(store, MakeRun("a", StartedAt(1), {{"branch", "main"}}, {GemmCase("cpu", 1e-3)}));
  AddRun(store, MakeRun("b", StartedAt(2), {{"branch", "dev"}}, {GemmCase("cpu", 1e-3)}));
  AddRun(store, MakeRun("c", StartedAt(3), {{"branch", "main"}}, {GemmCase("cuda:0", 1e-5)}));
  auto ids = [&](const HistoryFilter& f, int last = 0) {
    std::string out;
    for (const HistoryRun& r : store.Runs(f, last)) out += r.run_id;
    return out;
  };
  EXPECT_EQ(ids({}), "abc");
  EXPECT_EQ(ids({"cpu", {}, ""}), "ab");
  EXPECT_EQ(ids({"", {{"branch", "main"}}, ""}), "ac");
  EXPECT_EQ(ids({"cpu", {{"branch", "main"}}, ""}), "a");
  EXPECT_EQ(ids({"", {}, StartedAt(2)}), "bc");
  EXPECT_EQ(ids({}, 2), "bc");  // the newest 2, oldest first
  EXPECT_EQ(ids({"", {{"branch", "main"}, {"commit", "x"}}, ""}), "");
  EXPECT_EQ(store.Runs({"h100-sxm-80gb", {}, ""})[0].skus, "h100-sxm-80gb");
}

// A run's machine is its "machine" label, else its instance type (label, else cloud), else none;
// --machine picks the runs of one, "" those of none.
TEST_F(HistoryStoreTest, FiltersByMachine) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  ResultsDoc p5 = MakeRun("a", StartedAt(1), {}, {GemmCase("cpu", 1e-3)});
  p5.system.cloud.instance_type = "p5.48xlarge";
  AddRun(store, p5);
  ResultsDoc labelled = p5;
  labelled.run.id = "b";
  labelled.run.labels = {{"machine", "rack-7"}, {"instance_type", "p5e.48xlarge"}};
  AddRun(store, labelled);
  ResultsDoc typed = MakeRun("c", StartedAt(3), {{"instance_type", "p5e.48xlarge"}}, {GemmCase("cpu", 1e-3)});
  AddRun(store, typed);
  AddRun(store, MakeRun("d", StartedAt(4), {{"machine", ""}}, {GemmCase("cpu", 1e-3)}));
  auto ids = [&](const std::optional<std::string>& machine) {
    std::string out;
    HistoryFilter f;
    f.machine = machine;
    for (const HistoryRun& r : store.Runs(f)) out += r.run_id + "=" + r.machine + " ";
    return out;
  };
  EXPECT_EQ(ids(std::nullopt), "a=p5.48xlarge b=rack-7 c=p5e.48xlarge d= ");
  EXPECT_EQ(ids("p5.48xlarge"), "a=p5.48xlarge ");
  EXPECT_EQ(ids("p5e.48xlarge"), "c=p5e.48xlarge ");
  EXPECT_EQ(ids(""), "d= ");
  EXPECT_EQ(store.Series({}, "gemm/dtype=fp32/m=256")[1].machine, "rack-7");
  HistoryFilter rack;
  rack.machine = "rack-7";
  ASSERT_EQ(store.RecentRuns(rack, 0, true).size(), 1u);
  EXPECT_EQ(store.RecentRuns(rack, 0, true)[0].machine, "rack-7");
}

TEST_F(HistoryStoreTest, SeriesInStartOrderWithReplicates) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  // Added out of order: the series follows started_at.
  AddRun(store, MakeRun("late", StartedAt(5), {{"commit", "c5"}}, {GemmCase("cpu", 2e-3, 2)}));
  AddRun(store, MakeRun("early", StartedAt(1), {{"commit", "c1"}}, {GemmCase("cpu", 1e-3, 2)}));
  const auto points = store.Series({}, "gemm/dtype=fp32/m=256");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].run_id, "early");
  EXPECT_EQ(points[0].labels.at("commit"), "c1");
  EXPECT_EQ(points[0].metric, "tflops");
  EXPECT_EQ(points[0].unit, "TFLOP/s");
  EXPECT_GT(points[0].median, points[1].median);  // twice as fast
  EXPECT_EQ(points[0].replicate_medians_s.size(), 2u);
  EXPECT_DOUBLE_EQ(points[0].replicate_medians_s[0], 1e-3);
  const auto time = store.Series({}, "gemm/dtype=fp32/m=256", "time_ms");
  EXPECT_EQ(time[0].metric, "time_ms");
  EXPECT_FALSE(time[0].higher_is_better);
  EXPECT_TRUE(store.Series({}, "no/such/case").empty());
  EXPECT_EQ(store.CaseIds({}), std::vector<std::string>{"gemm/dtype=fp32/m=256"});
}

TEST_F(HistoryStoreTest, AFailedAddLeavesNoTrace) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  AddRun(store, MakeRun("good", StartedAt(1), {}, {GemmCase("cpu", 1e-3)}));
  // The same case twice breaks a constraint after the run, its labels and first case were
  // written: the transaction takes all of them back.
  ResultsDoc bad = MakeRun("bad", StartedAt(2), {{"k", "v"}}, {GemmCase("cpu", 1e-3), GemmCase("cpu", 1e-3)});
  EXPECT_THROW(AddRun(store, bad), std::runtime_error);
  EXPECT_EQ(store.Runs({}).size(), 1u);
  EXPECT_EQ(Count(Db(), "runs"), 1);
  EXPECT_EQ(Count(Db(), "labels"), 0);
  EXPECT_EQ(Count(Db(), "cases"), 1);
  EXPECT_EQ(Count(Db(), "run_json"), 1);
  EXPECT_EQ(AddRun(store, MakeRun("next", StartedAt(3), {}, {GemmCase("cpu", 1e-3)})), AddOutcome::kAdded);
}

TEST_F(HistoryStoreTest, RunsInWalModeWithForeignKeys) {
  { HistoryStore store(Db(), HistoryStore::Open::kCreate); }
  SqliteDb db(Db(), SqliteDb::Mode::kReadWrite, 1000);
  EXPECT_EQ(*db.QueryText("PRAGMA journal_mode"), "wal");  // persistent in the file
}

// Several processes add different runs at once; every run lands, none is lost or doubled.
TEST_F(HistoryStoreTest, ConcurrentWritersFromSeveralProcessesAllLand) {
  { HistoryStore store(Db(), HistoryStore::Open::kCreate); }
  constexpr int kWriters = 4, kRunsEach = 8;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        HistoryStore store(Db(), HistoryStore::Open::kExisting);
        for (int i = 0; i < kRunsEach; ++i) {
          const std::string id = "w" + std::to_string(w) + "-" + std::to_string(i);
          if (AddRun(store, MakeRun(id, StartedAt(w * kRunsEach + i), {{"writer", std::to_string(w)}},
                                    {GemmCase("cpu", 1e-3, 2)})) != AddOutcome::kAdded) {
            code = 3;
          }
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", w, e.what());
        code = 4;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer status " << status;
  }
  HistoryStore store(Db(), HistoryStore::Open::kExisting);
  EXPECT_EQ(store.Runs({}).size(), static_cast<std::size_t>(kWriters * kRunsEach));
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_EQ(store.Runs({"", {{"writer", std::to_string(w)}}, ""}).size(), static_cast<std::size_t>(kRunsEach));
  }
  EXPECT_EQ(Count(Db(), "replicates"), kWriters * kRunsEach * 2);
}

// Several processes make one new database at the same moment (CI jobs sharing a history that does
// not exist yet): every one opens it. Its switch to WAL needs an exclusive lock that SQLite does
// not wait for, and its schema is half-made while another process creates it; before both were
// handled about one round in ten lost a process ("database is locked", "not a gpuqual history").
TEST_F(HistoryStoreTest, SeveralProcessesMakingOneNewDatabaseAllOpenIt) {
  constexpr int kRounds = 40, kProcesses = 6;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = (dir_ / ("new" + std::to_string(round) + ".db")).string();
    int gate[2];
    ASSERT_EQ(pipe(gate), 0);
    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
      const pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        close(gate[1]);
        char c;
        static_cast<void>(read(gate[0], &c, 1));  // released together when the parent closes the pipe
        try {
          HistoryStore store(path, HistoryStore::Open::kCreate);
          _exit(store.SchemaVersion() > 0 ? 0 : 3);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "round %d process %d: %s\n", round, p, e.what());
          _exit(4);
        }
      }
      children.push_back(pid);
    }
    close(gate[0]);
    close(gate[1]);
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round << ": status " << status;
    }
  }
}

// The message of the UsageError `open` throws ("" when it throws none or another kind).
template <typename F>
std::string UsageMessage(F open) {
  try {
    open();
  } catch (const UsageError& e) {
    return e.what();
  } catch (...) {
    return "(another error)";
  }
  return "";
}

TEST_F(HistoryStoreTest, CorruptForeignOrMisplacedFilesAreUsageErrors) {
  const std::string garbage = (dir_ / "garbage.db").string();
  std::ofstream(garbage) << std::string(8192, 'x');
  std::string m = UsageMessage([&] { HistoryStore s(garbage, HistoryStore::Open::kCreate); });
  EXPECT_NE(m.find(garbage + ": not an SQLite database"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);

  // A gpuqual history whose pages were overwritten past the header.
  {
    HistoryStore s(Db(), HistoryStore::Open::kCreate);
    AddRun(s, MakeRun("r", StartedAt(1), {}, {GemmCase("cpu", 1e-3)}));
  }
  {
    SqliteDb db(Db(), SqliteDb::Mode::kReadWrite, 1000);
    db.Exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE");
  }
  {
    std::fstream f(Db(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 + 16);
    f << std::string(4000, '\x5a');
  }
  m = UsageMessage([&] {
    HistoryStore s(Db(), HistoryStore::Open::kExisting);
    s.Runs({});
    s.Series({}, "gemm/dtype=fp32/m=256");
  });
  EXPECT_NE(m.find(Db() + ": "), std::string::npos) << m;

  const std::string foreign = (dir_ / "foreign.db").string();
  { SqliteDb db(foreign, SqliteDb::Mode::kReadWriteCreate, 1000); db.Exec("CREATE TABLE orders (id INTEGER)"); }
  m = UsageMessage([&] { HistoryStore s(foreign, HistoryStore::Open::kExisting); });
  EXPECT_NE(m.find("not a gpuqual history (tables orders"), std::string::npos) << m;

  m = UsageMessage([&] { HistoryStore s(dir_.string(), HistoryStore::Open::kCreate); });
  EXPECT_NE(m.find("not a regular file"), std::string::npos) << m;
  m = UsageMessage([&] { HistoryStore s((dir_ / "absent.db").string(), HistoryStore::Open::kExisting); });
  EXPECT_NE(m.find("no history database here"), std::string::npos) << m;
  EXPECT_FALSE(fs::exists(dir_ / "absent.db"));
}

TEST(HistoryDefaultPathTest, HonoursXdgDataHomeThenHome) {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved_xdg = xdg ? xdg : "";
  const char* home = std::getenv("HOME");
  const std::string saved_home = home ? home : "";
  setenv("XDG_DATA_HOME", "/data/x", 1);
  EXPECT_EQ(DefaultHistoryPath(), "/data/x/gpuqual/history.db");
  setenv("XDG_DATA_HOME", "relative", 1);  // the spec says to ignore a relative one
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DefaultHistoryPath(), "/home/u/.local/share/gpuqual/history.db");
  unsetenv("XDG_DATA_HOME");
  unsetenv("HOME");
  EXPECT_THROW(DefaultHistoryPath(), UsageError);
  if (xdg) setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
  if (home) setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace gq
