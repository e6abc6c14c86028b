#pragma once
// The flags the history commands share (`gpuqual history ...`, `baseline create --from-history`,
// `compare --history`, `report --history`; `run --db FILE` takes its own, with no default) and their
// checks: the database, the run filters and the change-point rule. Bad values are UsageError
// naming the flag (exit 2).
//
//   --db FILE         the history database (default: DefaultHistoryPath(), whose directory is
//                     made when a command creates the database)
//   --sku S           runs with cases on this SKU ("cpu", "h100-sxm-80gb"), and only those cases
//   --label K=V       runs with this label (repeatable; all must match)
//   --since DATE      runs started at or after DATE: YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z], UTC
//   --machine M       runs of machine M (MachineTypeOf: the "machine" label, else the instance
//                     type); --machine "" the runs that name none
//   --window K, --min-effect PCT, --alpha A, --metric NAME
//                     the change-point rule (harness/decide/change_points.h) and its metric
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "harness/decide/history_trend.h"
#include "harness/record/history_store.h"

namespace gq::cli {

struct HistoryFlags {
  std::string db;
  std::string sku, since;
  std::vector<std::string> labels;
  std::optional<std::string> machine;  // set only when --machine is given
  // The rule's flags (AddTrendFlags).
  std::string metric;
  int window = ChangePointOptions{}.window;
  double min_effect_pct = 100 * ChangePointOptions{}.min_effect;
  double alpha = ChangePointOptions{}.alpha;

  std::string DbPath() const;
  HistoryFilter Filter() const;
  TrendOptions Trend() const;
};

void AddDbFlag(CLI::App* cmd, HistoryFlags& f);
void AddFilterFlags(CLI::App* cmd, HistoryFlags& f);
void AddTrendFlags(CLI::App* cmd, HistoryFlags& f);

// Commands with a history mode (`compare --history`, `baseline create --from-history`, `report
// --history`): `names` are the flags that mode alone reads. MarkHistoryOnly starts their help with
// "MODE: "; RefuseHistoryOnly throws UsageError "FLAG applies to USAGE only" for any of them given
// without the mode (a filter silently ignored would answer another question than the one asked).
inline const std::vector<std::string> kHistoryFilterFlags = {"--db", "--sku", "--label", "--since", "--machine"};
void MarkHistoryOnly(CLI::App* cmd, const std::string& mode, const std::vector<std::string>& names);
void RefuseHistoryOnly(const CLI::App* cmd, const std::string& usage, const std::vector<std::string>& names);

// Opens the database of `f` (kCreate makes the default database's directory first).
std::unique_ptr<HistoryStore> OpenHistory(const HistoryFlags& f, HistoryStore::Open how);

// "KEY=VALUE" into `labels`; UsageError "FLAG 'TEXT' is not KEY=VALUE", or when KEY is already
// there (a second value would silently replace the first).
void ParseLabel(const std::string& flag, const std::string& text,
                std::map<std::string, std::string>& labels);

}  // namespace gq::cli
