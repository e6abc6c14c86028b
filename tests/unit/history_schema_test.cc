// harness/record/history_schema: a new database gets the latest version, a version 1 database is
// migrated (its v2 tables filled from the kept JSON), a newer one is refused, and a migration
// that fails part-way leaves the database at its old version.
#include "harness/record/history_schema.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "harness/errors.h"
#include "harness/record/history_rows.h"
#include "harness/record/history_store.h"
#include "tests/unit/history_fixture.h"

namespace gq {
namespace {

using testing::GemmCase;
using testing::MakeRun;
using testing::StartedAt;

class HistorySchemaTest : public testing::HistoryDirTest {};

bool HasTable(SqliteDb& db, const std::string& name) {
  return db.QueryText("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'").has_value();
}

TEST_F(HistorySchemaTest, NewDatabaseGetsTheLatestVersionWithItsLog) {
  HistoryStore store(Db(), HistoryStore::Open::kCreate);
  EXPECT_EQ(store.SchemaVersion(), kHistorySchemaVersion);
  SqliteDb db(Db(), SqliteDb::Mode::kReadWrite, 1000);
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM gpuqual_schema"), std::to_string(kHistorySchemaVersion));
  EXPECT_EQ(HistoryMigrations().back().version, kHistorySchemaVersion);
}

TEST_F(HistorySchemaTest, MigratesAVersionOneDatabaseAndFillsTheNewTables) {
  ResultsDoc d = MakeRun("old", StartedAt(1), {{"commit", "c1"}}, {GemmCase("cpu", 1e-3)});
  QualifyVerdict v;
  v.overall = QualifyStatus::kFail;
  v.checks.push_back({"gemm/dtype=fp32/m=256", "performance", QualifyStatus::kFail, "too slow", 0.5, 0.7, "TFLOP/s"});
  d.verdict = v;
  {  // A database as gpuqual with schema v1 wrote it.
    SqliteDb db(Db(), SqliteDb::Mode::kReadWriteCreate, 1000);
    EXPECT_EQ(MigrateHistory(db, {HistoryMigrations()[0]}), 0);
    EXPECT_EQ(HistorySchemaVersion(db), 1);
    SqliteTransaction t(db);
    InsertRunRowsV1(db, d, ResultsToJson(d).dump(1) + "\n", "test");
    t.Commit();
    EXPECT_FALSE(HasTable(db, "params"));
  }
  HistoryStore store(Db(), HistoryStore::Open::kExisting);  // migrates on open
  EXPECT_EQ(store.SchemaVersion(), kHistorySchemaVersion);
  EXPECT_EQ(store.Runs({})[0].verdict, "FAIL");
  SqliteDb db(Db(), SqliteDb::Mode::kReadWrite, 1000);
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM params"), "2");
  EXPECT_EQ(*db.QueryText("SELECT reason FROM checks"), "too slow");
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM gpuqual_schema"), std::to_string(kHistorySchemaVersion));
  // Runs added after the migration get every table at once.
  testing::AddRun(store, MakeRun("new", StartedAt(2), {}, {GemmCase("cpu", 1e-3)}));
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM params"), "4");
}

TEST_F(HistorySchemaTest, ANewerDatabaseIsRefused) {
  {
    SqliteDb db(Db(), SqliteDb::Mode::kReadWriteCreate, 1000);
    std::vector<HistoryMigration> steps = HistoryMigrations();
    steps.push_back({kHistorySchemaVersion + 1, "from the future", [](SqliteDb& d) { d.Exec("CREATE TABLE later (x)"); }});
    MigrateHistory(db, steps);
  }
  try {
    HistoryStore store(Db(), HistoryStore::Open::kExisting);
    FAIL() << "opened a newer database";
  } catch (const UsageError& e) {
    const std::string newer = "history schema version " + std::to_string(kHistorySchemaVersion + 1) +
                              " is newer than this gpuqual's " + std::to_string(kHistorySchemaVersion);
    EXPECT_NE(std::string(e.what()).find(newer), std::string::npos) << e.what();
  }
}

TEST_F(HistorySchemaTest, AMigrationThatFailsPartWayLeavesTheOldVersion) {
  SqliteDb db(Db(), SqliteDb::Mode::kReadWriteCreate, 1000);
  MigrateHistory(db, {HistoryMigrations()[0]});
  std::vector<HistoryMigration> steps = {
      HistoryMigrations()[0],
      {2, "breaks half-way", [](SqliteDb& d) {
         d.Exec("CREATE TABLE half (x)");
         throw std::runtime_error("killed");
       }}};
  EXPECT_THROW(MigrateHistory(db, steps), std::runtime_error);
  EXPECT_EQ(HistorySchemaVersion(db), 1);
  EXPECT_FALSE(HasTable(db, "half"));
  EXPECT_EQ(MigrateHistory(db, HistoryMigrations()), 1);  // the real steps still apply
  EXPECT_EQ(HistorySchemaVersion(db), kHistorySchemaVersion);
}

// A single-rank collective stored by a gpuqual before v3 named busbw (0 there) its metric; v3
// makes it algbw, so its series is algbw throughout. Other cases keep theirs.
TEST_F(HistorySchemaTest, VersionThreeFollowsSingleRankCollectivesByAlgbw) {
  CaseResult one = GemmCase("cpu", 1e-3);
  one.id = "allreduce/size=4096";
  one.workload = "allreduce";
  one.primary_metric = "busbw";
  one.metrics = {{"busbw", MetricResult{"GB/s", true, 0}}, {"algbw", MetricResult{"GB/s", true, 80}}};
  CaseResult many = one;
  many.id = "allreduce/size=8192";
  many.metrics = {{"busbw", MetricResult{"GB/s", true, 150}}, {"algbw", MetricResult{"GB/s", true, 80}}};
  many.work.busbw_factor = 1.75;
  const ResultsDoc d = MakeRun("old", StartedAt(1), {}, {one, many, GemmCase("cpu", 1e-3)});
  {  // as gpuqual with schema v2 stored it: busbw for both collectives
    SqliteDb db(Db(), SqliteDb::Mode::kReadWriteCreate, 1000);
    MigrateHistory(db, {HistoryMigrations()[0], HistoryMigrations()[1]});
    SqliteTransaction t(db);
    InsertRunRowsV1(db, d, ResultsToJson(d).dump(1) + "\n", "test");
    db.Exec("UPDATE cases SET primary_metric = 'busbw' WHERE workload = 'allreduce'");
    t.Commit();
  }
  HistoryStore store(Db(), HistoryStore::Open::kExisting);  // migrates on open
  SqliteDb db(Db(), SqliteDb::Mode::kReadWrite, 1000);
  EXPECT_EQ(*db.QueryText("SELECT primary_metric FROM cases WHERE case_id = 'allreduce/size=4096'"), "algbw");
  EXPECT_EQ(*db.QueryText("SELECT primary_metric FROM cases WHERE case_id = 'allreduce/size=8192'"), "busbw");
  EXPECT_EQ(*db.QueryText("SELECT COUNT(*) FROM cases WHERE primary_metric = 'tflops'"), "1");
}

// Runs stored before v4 get their machine from their run_json: the "machine" label, else the
// instance type; runs added after get it at once.
TEST_F(HistorySchemaTest, VersionFourGivesStoredRunsTheirMachine) {
  ResultsDoc labelled = MakeRun("labelled", StartedAt(1), {{"machine", "rack-7"}}, {GemmCase("cpu", 1e-3)});
  ResultsDoc typed = MakeRun("typed", StartedAt(2), {}, {GemmCase("cpu", 1e-3)});
  typed.system.cloud.instance_type = "p5.48xlarge";
  ResultsDoc bare = MakeRun("bare", StartedAt(3), {}, {GemmCase("cpu", 1e-3)});
  {  // as gpuqual with schema v3 stored them
    SqliteDb db(Db(), SqliteDb::Mode::kReadWriteCreate, 1000);
    MigrateHistory(db, {HistoryMigrations()[0], HistoryMigrations()[1], HistoryMigrations()[2]});
    SqliteTransaction t(db);
    for (const ResultsDoc* d : {&labelled, &typed, &bare}) {
      const int64_t pk = InsertRunRowsV1(db, *d, ResultsToJson(*d).dump(1) + "\n", "test");
      InsertRunRowsV2(db, pk, *d);
    }
    t.Commit();
  }
  HistoryStore store(Db(), HistoryStore::Open::kExisting);  // migrates on open
  std::string machines;
  for (const HistoryRun& r : store.Runs({})) machines += r.run_id + "=" + r.machine + " ";
  EXPECT_EQ(machines, "labelled=rack-7 typed=p5.48xlarge bare= ");
  ResultsDoc later = typed;
  later.run.id = "later";
  later.run.started_at = StartedAt(4);
  testing::AddRun(store, later);
  EXPECT_EQ(store.Runs({}).back().machine, "p5.48xlarge");
}

}  // namespace
}  // namespace gq
