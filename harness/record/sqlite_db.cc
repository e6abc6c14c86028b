#include "harness/record/sqlite_db.h"

#include <sqlite3.h>

#include <stdexcept>

#include "harness/errors.h"

namespace gq {
namespace {

std::string Message(sqlite3* db, int rc) {
  const char* text = db != nullptr && sqlite3_errcode(db) == rc ? sqlite3_errmsg(db) : nullptr;
  return text != nullptr ? text : sqlite3_errstr(rc);
}

}  // namespace

void SqliteDb::Fail(int rc, const std::string& what) const {
  const std::string reason = Message(db_, rc);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      throw UsageError(path_ + ": not an SQLite database (" + reason + ")");
    case SQLITE_CORRUPT:
      throw UsageError(path_ + ": the database is corrupt (" + reason + "; while " + what + ")");
    case SQLITE_CANTOPEN:
      throw UsageError(path_ + ": cannot open the database (" + reason + ")");
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw OutputError("cannot write " + path_ + ": " + reason + " (while " + what + ")");
    default:
      throw std::runtime_error(path_ + ": sqlite: " + reason + " (while " + what + ")");
  }
}

SqliteDb::SqliteDb(const std::string& path, Mode mode, int busy_timeout_ms) : path_(path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (mode == Mode::kReadWriteCreate ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string reason = Message(db_, rc);
    sqlite3_close(db_);
    db_ = nullptr;
    if ((rc & 0xff) == SQLITE_CANTOPEN && mode == Mode::kReadWriteCreate) {
      throw OutputError("cannot write " + path + ": cannot create the database (" + reason + ")");
    }
    Fail(rc, "opening it");
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::Exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) Fail(rc, "running " + sql.substr(0, sql.find_first_of("(;\n")));
}

std::optional<std::string> SqliteDb::QueryText(const std::string& sql) {
  SqliteStatement s(*this, sql);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

bool SqliteDb::LastFailedOnALock() const {
  const int rc = sqlite3_errcode(db_) & 0xff;
  return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

SqliteStatement::SqliteStatement(SqliteDb& db, const std::string& sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.Fail(rc, "preparing " + sql.substr(0, sql.find_first_of("(\n")));
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::Bind(int index, const std::string& text) {
  const int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_.Fail(rc, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_.Fail(rc, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_.Fail(rc, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_.Fail(rc, "binding a value");
  return *this;
}

SqliteStatement& SqliteStatement::BindOptional(int index, const std::string& text) {
  return text.empty() ? BindNull(index) : Bind(index, text);
}

bool SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.Fail(rc, std::string("running ") + sqlite3_sql(stmt_));
}

void SqliteStatement::Run() {
  while (Step()) {
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteStatement::Real(int column) const { return sqlite3_column_double(stmt_, column); }

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  // ROLLBACK may fail only when SQLite already rolled back (e.g. after SQLITE_FULL); either way
  // nothing of the transaction is kept. Never throw from a destructor.
  char* error = nullptr;
  sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, &error);
  sqlite3_free(error);
}

void SqliteTransaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace gq
