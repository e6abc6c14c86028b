#pragma once
// A thin owner of one SQLite connection and its prepared statements (the history store's only
// door to sqlite3; harness/record/history_store.h). No SQL of gpuqual's own lives here.
//
// Errors name the database file and say what is wrong, in gpuqual's exit-code terms:
//   - the file is not a database, or is corrupt (SQLITE_NOTADB, SQLITE_CORRUPT), or cannot be
//     opened for reading: UsageError "FILE: ..." (exit 2);
//   - the database cannot be written (read-only file or directory, disk full, I/O error, still
//     locked by another writer after the busy timeout): OutputError "cannot write FILE: ..." (2);
//   - anything else (an SQL error in gpuqual's own statements, a constraint it broke):
//     std::runtime_error "FILE: sqlite: ..." (exit 3, an internal error).
// Open() sets the busy timeout, so a writer waits for another instead of failing at once.
#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace gq {

class SqliteDb;

// One prepared statement; parameters are 1-based, columns 0-based.
class SqliteStatement {
 public:
  SqliteStatement(SqliteDb& db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, const std::string& text);
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, double value);
  SqliteStatement& BindNull(int index);
  // Binds text, or NULL when empty.
  SqliteStatement& BindOptional(int index, const std::string& text);

  // Steps once: true while a row is available, false when done.
  bool Step();
  // Steps to the end (statements that return no rows).
  void Run();
  // Ready to run again with new bindings.
  void Reset();

  bool IsNull(int column) const;
  std::string Text(int column) const;  // "" for NULL
  int64_t Int(int column) const;
  double Real(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  enum class Mode { kReadWriteCreate, kReadWrite };
  // Opens (and for kReadWriteCreate creates) `path`; sets the busy timeout.
  SqliteDb(const std::string& path, Mode mode, int busy_timeout_ms);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows.
  void Exec(const std::string& sql);
  // The first column of the first row of a query, or nullopt when it returns no row.
  std::optional<std::string> QueryText(const std::string& sql);
  int64_t LastInsertRowId() const;
  // Whether the last failed call failed because another connection held a lock (SQLITE_BUSY or
  // SQLITE_LOCKED), as opposed to a read-only, full or broken file.
  bool LastFailedOnALock() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

  // Throws the error for result code `rc` (rules above); `what` says what was being done.
  [[noreturn]] void Fail(int rc, const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE (the write lock at once, so two writers queue on the busy timeout instead of
// one failing when it upgrades a read lock), COMMIT on Commit(), ROLLBACK when destroyed
// without it: a failure or an exception between the two leaves the database as it was.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void Commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace gq
