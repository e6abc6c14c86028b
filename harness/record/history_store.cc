#include "harness/record/history_store.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "harness/errors.h"
#include "harness/record/history_rows.h"
#include "harness/record/history_schema.h"
#include "harness/record/sqlite_db.h"

namespace gq {
namespace {

namespace fs = std::filesystem;

// The SQL condition of a filter on runs `r` (and, with `case_alias`, the SKU on that case
// table's alias instead of "the run has a case on it"), with its text parameters in order.
struct Where {
  std::string sql = "1 = 1";
  std::vector<std::string> args;
};

Where RunFilter(const HistoryFilter& f, const char* case_alias = nullptr) {
  Where w;
  if (!f.since.empty()) {
    w.sql += " AND r.started_at >= ?";
    w.args.push_back(f.since);
  }
  for (const auto& [key, value] : f.labels) {
    w.sql += " AND EXISTS (SELECT 1 FROM labels l WHERE l.run_pk = r.run_pk AND l.key = ? AND "
             "l.value = ?)";
    w.args.insert(w.args.end(), {key, value});
  }
  if (f.machine) {
    w.sql += " AND r.machine = ?";
    w.args.push_back(*f.machine);
  }
  if (!f.sku.empty()) {
    w.sql += case_alias != nullptr
                 ? std::string(" AND ") + case_alias + ".sku = ?"
                 : " AND EXISTS (SELECT 1 FROM cases s WHERE s.run_pk = r.run_pk AND s.sku = ?)";
    w.args.push_back(f.sku);
  }
  return w;
}

// Binds the filter's parameters from index `first`; returns the next free index.
int BindWhere(SqliteStatement& s, const Where& w, int first) {
  for (const std::string& a : w.args) s.Bind(first++, a);
  return first;
}

std::map<std::string, std::string> LabelsOf(SqliteStatement& labels, int64_t run_pk) {
  std::map<std::string, std::string> out;
  labels.Reset();
  labels.Bind(1, run_pk);
  while (labels.Step()) out[labels.Text(0)] = labels.Text(1);
  return out;
}

}  // namespace

std::string HistoryFilterText(const HistoryFilter& filter) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (!filter.sku.empty()) add("sku " + filter.sku);
  for (const auto& [k, v] : filter.labels) add("label " + k + "=" + v);
  if (!filter.since.empty()) add("since " + filter.since);
  if (filter.machine) add("machine " + (filter.machine->empty() ? std::string("(none)") : *filter.machine));
  return out.empty() ? "none" : out;
}

std::string DefaultHistoryPath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/gpuqual/history.db";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.local/share/gpuqual/history.db";
  throw UsageError("no default history database (neither XDG_DATA_HOME nor HOME is set): use --db FILE");
}

HistoryStore::HistoryStore(const std::string& path, Open how, int busy_timeout_ms) : path_(path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (!fs::is_regular_file(st)) throw UsageError(path + ": not a regular file (a history database is one)");
  } else if (how == Open::kExisting) {
    throw UsageError(path + ": no history database here (gpuqual history add --db " + path +
                     " RESULTS... makes one)");
  }
  db_ = std::make_unique<SqliteDb>(
      path, how == Open::kCreate ? SqliteDb::Mode::kReadWriteCreate : SqliteDb::Mode::kReadWrite,
      busy_timeout_ms);
  db_->Exec("PRAGMA foreign_keys = ON");
  // The first statement that reads the file: a file that is not a database fails here (exit 2).
  // Switching a new file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once,
  // without its busy handler, while another process opening the same new file holds a shared
  // lock (several CI jobs making one database): retried, 10 ms apart, within the busy timeout.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (;;) {
    try {
      db_->QueryText("PRAGMA journal_mode = WAL");
      break;
    } catch (const OutputError&) {
      if (!db_->LastFailedOnALock() || std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  db_->Exec("PRAGMA synchronous = FULL");
  MigrateHistory(*db_, HistoryMigrations());
}

HistoryStore::~HistoryStore() = default;

int HistoryStore::SchemaVersion() const { return HistorySchemaVersion(*db_); }

AddOutcome HistoryStore::Add(const ResultsDoc& doc, const std::string& raw_json,
                             const std::string& source, bool replace) {
  SqliteTransaction t(*db_);
  SqliteStatement find(*db_,
                       "SELECT r.run_pk, j.json FROM runs r JOIN run_json j USING (run_pk) "
                       "WHERE r.run_id = ?");
  find.Bind(1, doc.run.id);
  AddOutcome outcome = AddOutcome::kAdded;
  if (find.Step()) {
    const int64_t run_pk = find.Int(0);
    const bool same = find.Text(1) == raw_json;
    find.Reset();
    if (same) return AddOutcome::kUnchanged;
    if (!replace) return AddOutcome::kKept;
    SqliteStatement drop(*db_, "DELETE FROM runs WHERE run_pk = ?");
    drop.Bind(1, run_pk).Run();
    outcome = AddOutcome::kReplaced;
  }
  InsertRunRows(*db_, doc, raw_json, source);
  t.Commit();
  return outcome;
}

std::vector<HistoryRun> HistoryStore::Runs(const HistoryFilter& f, int last) const {
  const Where w = RunFilter(f);
  SqliteStatement s(*db_,
                    "SELECT r.run_pk, r.run_id, r.started_at, COALESCE(r.finished_at, ''), "
                    "r.tool_version, r.tool_git, COALESCE(r.suite, ''), r.hostname, "
                    "COALESCE(r.instance_type, ''), r.interrupted, r.complete, "
                    "(SELECT COUNT(*) FROM cases c WHERE c.run_pk = r.run_pk), "
                    "(SELECT COUNT(*) FROM cases c WHERE c.run_pk = r.run_pk AND "
                    "c.status IN ('ok', 'noisy')), "
                    "(SELECT GROUP_CONCAT(DISTINCT c.sku) FROM cases c WHERE c.run_pk = r.run_pk), "
                    "COALESCE((SELECT v.overall FROM verdicts v WHERE v.run_pk = r.run_pk), ''), "
                    "r.machine FROM runs r WHERE " + w.sql +
                    " ORDER BY r.started_at DESC, r.run_pk DESC LIMIT ?");
  s.Bind(BindWhere(s, w, 1), int64_t{last > 0 ? last : -1});
  SqliteStatement labels(*db_, "SELECT key, value FROM labels WHERE run_pk = ? ORDER BY key");
  std::vector<HistoryRun> out;
  while (s.Step()) {
    HistoryRun r;
    r.run_id = s.Text(1);
    r.started_at = s.Text(2);
    r.finished_at = s.Text(3);
    r.tool_version = s.Text(4);
    r.tool_git = s.Text(5);
    r.suite = s.Text(6);
    r.hostname = s.Text(7);
    r.instance_type = s.Text(8);
    r.interrupted = s.Int(9) != 0;
    r.complete = s.Int(10) != 0;
    r.cases = static_cast<int>(s.Int(11));
    r.cases_ok = static_cast<int>(s.Int(12));
    r.skus = s.Text(13);
    r.verdict = s.Text(14);
    r.machine = s.Text(15);
    r.labels = LabelsOf(labels, s.Int(0));
    out.push_back(std::move(r));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::string> HistoryStore::CaseIds(const HistoryFilter& f) const {
  const Where w = RunFilter(f, "c");
  SqliteStatement s(*db_, "SELECT DISTINCT c.case_id FROM cases c JOIN runs r USING (run_pk) WHERE " +
                              w.sql + " ORDER BY c.case_id");
  BindWhere(s, w, 1);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::vector<HistoryPoint> HistoryStore::Series(const HistoryFilter& f, const std::string& case_id,
                                               const std::string& metric) const {
  const Where w = RunFilter(f, "c");
  SqliteStatement s(*db_,
                    "SELECT r.run_pk, r.run_id, r.started_at, r.tool_git, r.interrupted, "
                    "r.complete, c.case_pk, c.device, c.sku, c.status, COALESCE(c.reason, ''), "
                    "c.rounds_done, c.rounds_planned, m.name, m.unit, m.higher_is_better, "
                    "m.median, m.ci95_low, m.ci95_high, r.machine "
                    "FROM cases c JOIN runs r USING (run_pk) LEFT JOIN metrics m ON "
                    "m.case_pk = c.case_pk AND m.name = COALESCE(?, c.primary_metric) "
                    "WHERE c.case_id = ? AND " + w.sql +
                    " ORDER BY r.started_at, r.run_pk, c.device");
  s.BindOptional(1, metric).Bind(2, case_id);
  BindWhere(s, w, 3);
  SqliteStatement labels(*db_, "SELECT key, value FROM labels WHERE run_pk = ?");
  SqliteStatement reps(*db_, "SELECT median_s FROM replicates WHERE case_pk = ? ORDER BY round");
  std::vector<HistoryPoint> out;
  while (s.Step()) {
    HistoryPoint p;
    p.run_id = s.Text(1);
    p.started_at = s.Text(2);
    p.tool_git = s.Text(3);
    p.run_finished = s.Int(4) == 0 && s.Int(5) != 0;
    p.device = s.Text(7);
    p.sku = s.Text(8);
    p.status = s.Text(9);
    p.reason = s.Text(10);
    p.rounds_done = static_cast<int>(s.Int(11));
    p.rounds_planned = static_cast<int>(s.Int(12));
    p.has_metric = !s.IsNull(13);
    if (p.has_metric) {
      p.metric = s.Text(13);
      p.unit = s.Text(14);
      p.higher_is_better = s.Int(15) != 0;
      p.median = s.Real(16);
      p.ci95_low = s.Real(17);
      p.ci95_high = s.Real(18);
    }
    p.labels = LabelsOf(labels, s.Int(0));
    p.machine = s.Text(19);
    reps.Reset();
    reps.Bind(1, s.Int(6));
    while (reps.Step()) p.replicate_medians_s.push_back(reps.Real(0));
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<StoredRun> HistoryStore::RecentRuns(const HistoryFilter& f, int last, bool finished_only,
                                                const std::string& exclude_run_id) const {
  const Where w = RunFilter(f);
  SqliteStatement s(*db_,
                    "SELECT r.run_id, r.started_at, r.machine, j.json FROM runs r JOIN run_json j "
                    "USING (run_pk) WHERE " + w.sql +
                    (finished_only ? " AND r.complete = 1 AND r.interrupted = 0" : "") +
                    " AND r.run_id <> ? ORDER BY r.started_at DESC, r.run_pk DESC LIMIT ?");
  const int next = BindWhere(s, w, 1);
  s.Bind(next, exclude_run_id).Bind(next + 1, int64_t{last > 0 ? last : -1});
  std::vector<StoredRun> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3)});
  return out;
}

}  // namespace gq
