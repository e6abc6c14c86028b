#include "app/history_flags.h"

#include <chrono>
#include <filesystem>
#include <regex>

#include "harness/decide/change_decision.h"
#include "harness/errors.h"
#include "harness/numbers.h"

namespace gq::cli {

void ParseLabel(const std::string& flag, const std::string& text,
                std::map<std::string, std::string>& labels) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw UsageError(flag + " '" + text + "' is not KEY=VALUE");
  const std::string key = text.substr(0, eq);
  if (auto it = labels.find(key); it != labels.end()) {
    throw UsageError(flag + " '" + text + "': " + key + " is given twice (also " + key + "=" + it->second + ")");
  }
  labels[key] = text.substr(eq + 1);
}

std::string HistoryFlags::DbPath() const { return db.empty() ? DefaultHistoryPath() : db; }

HistoryFilter HistoryFlags::Filter() const {
  HistoryFilter f;
  f.sku = sku;
  for (const std::string& l : labels) ParseLabel("--label", l, f.labels);
  f.machine = machine;
  if (!since.empty()) {
    // Groups: year, month, day, hour, minute, second (the last three optional).
    static const std::regex kDate(R"((\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?)");
    std::smatch g;
    const auto number = [&](int i) { return g[i].matched ? std::stoi(g[i].str()) : 0; };
    const bool in_calendar = std::regex_match(since, g, kDate) &&
                             std::chrono::year_month_day(std::chrono::year(number(1)),
                                                         std::chrono::month(static_cast<unsigned>(number(2))),
                                                         std::chrono::day(static_cast<unsigned>(number(3)))).ok() &&
                             number(4) < 24 && number(5) < 60 && number(6) < 60;
    if (!in_calendar) {
      throw UsageError("--since '" + since + "' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], UTC)");
    }
    f.since = since;
    if (f.since.size() > 10) f.since[10] = 'T';
  }
  return f;
}

TrendOptions HistoryFlags::Trend() const {
  TrendOptions t;
  t.metric = metric;
  t.rule.window = static_cast<int>(CheckInteger("--window", window, 2, 1000));
  t.rule.min_effect = CheckNumber("--min-effect (percent)", min_effect_pct, {0, 99.999}) / 100.0;
  t.rule.alpha = CheckNumber("--alpha", alpha, kAlphaRange);
  return t;
}

void AddDbFlag(CLI::App* cmd, HistoryFlags& f) {
  cmd->add_option("--db", f.db, "History database (default $XDG_DATA_HOME/gpuqual/history.db, "
                                "else ~/.local/share/gpuqual/history.db)");
}

void AddFilterFlags(CLI::App* cmd, HistoryFlags& f) {
  cmd->add_option("--sku", f.sku, "Only runs on this SKU (cpu, h100-sxm-80gb, ...) and their cases on it");
  cmd->add_option("--label", f.labels, "Only runs with this label KEY=VALUE (repeatable; all must match)");
  cmd->add_option("--since", f.since, "Only runs started at or after this UTC date (YYYY-MM-DD[THH:MM[:SS]])");
  cmd->add_option_function<std::string>(
      "--machine", [&f](const std::string& m) { f.machine = m; },
      "Only runs of this machine: its \"machine\" label, else its instance type (\"\" = runs that name none)");
}

void AddTrendFlags(CLI::App* cmd, HistoryFlags& f) {
  cmd->add_option("--metric", f.metric, "Metric to follow (default: each case's primary metric)");
  cmd->add_option("--window", f.window, "Change points: runs compared on each side of a point")
      ->capture_default_str();
  cmd->add_option("--min-effect", f.min_effect_pct, "Change points: smallest change that counts, in percent")
      ->capture_default_str();
  cmd->add_option("--alpha", f.alpha, "Change points: significance level of each point's Welch t test")
      ->capture_default_str();
}

void MarkHistoryOnly(CLI::App* cmd, const std::string& mode, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    CLI::Option* o = cmd->get_option(name);
    o->description(mode + ": " + o->get_description());
  }
}

void RefuseHistoryOnly(const CLI::App* cmd, const std::string& usage, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (cmd->count(name) > 0) throw UsageError(name + " applies to " + usage + " only");
  }
}

std::unique_ptr<HistoryStore> OpenHistory(const HistoryFlags& f, HistoryStore::Open how) {
  const std::string path = f.DbPath();
  if (f.db.empty() && how == HistoryStore::Open::kCreate) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) throw OutputError("cannot write " + path + ": cannot make its directory (" + ec.message() + ")");
  }
  return std::make_unique<HistoryStore>(path, how);
}

}  // namespace gq::cli
