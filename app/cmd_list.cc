// `gpuqual list [--json]`: every workload with its axes (kind, defaults on GPUs and on the cpu
// where they differ, choices, the automatic value a case id leaves out) and metrics with units,
// then the suites found and where they were found. --json writes the same as one document
// (schema "gpuqual.list/1", described in README.md) for tools.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/suite.h"
#include "harness/case_id.h"
#include "workloads/registry.h"

namespace gq::cli {
namespace {

using Defaults = std::map<std::string, std::vector<std::string>>;

std::string Join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ",") + x;
  return out;
}

const char* KindName(AxisKind k) {
  switch (k) {
    case AxisKind::kInt: return "int";
    case AxisKind::kBool: return "bool";
    case AxisKind::kString: return "string";
  }
  return "string";
}

const char* DeviceName(DeviceFilter d) {
  switch (d) {
    case DeviceFilter::kCpu: return "cpu";
    case DeviceFilter::kCuda: return "cuda";
    case DeviceFilter::kAny: break;
  }
  return "any";
}

// An axis's defaults on one device kind: the workload's per-kind value, else the axis's own.
std::vector<std::string> DefaultOn(const Defaults& per_kind, const AxisSpec& a) {
  auto it = per_kind.find(a.name);
  return it != per_kind.end() ? it->second : a.defaults;
}

void PrintText(const WorkloadRegistry& registry) {
  std::cout << "workloads (defaults on GPUs; [cpu: ...] where the cpu's differ):\n";
  for (Workload* w : registry.All()) {
    std::cout << "  " << w->Name() << ": " << w->Summary() << "\n";
    const Defaults cuda = w->DefaultsFor(DeviceRef::Kind::kCuda), cpu = w->DefaultsFor(DeviceRef::Kind::kCpu);
    for (const AxisSpec& a : w->Axes()) {
      const std::vector<std::string> on_cuda = DefaultOn(cuda, a), on_cpu = DefaultOn(cpu, a);
      std::cout << "    -a " << a.name << "=" << Join(on_cuda);
      if (on_cpu != on_cuda) std::cout << "  [cpu: " << Join(on_cpu) << "]";
      std::cout << "  (" << KindName(a.kind);
      if (!a.choices.empty()) std::cout << "; one of " << Join(a.choices);
      if (const char* automatic = AutomaticAxisValue(w->Name(), a.name)) {
        std::cout << "; " << automatic << " = automatic, left out of case ids";
      }
      std::cout << ")" << (a.help.empty() ? "" : "  " + a.help) << "\n";
    }
    std::cout << "    metrics:";
    for (const MetricSpec& m : w->Metrics()) std::cout << " " << m.name << " [" << m.unit << "]";
    std::cout << "\n";
  }
  std::cout << "suites:\n";
  const auto dirs = SuiteSearchDirs();
  for (const std::string& name : ListSuites(dirs)) {
    try {
      Suite s = LoadSuite(name, dirs);
      std::cout << "  " << name << ": " << s.description << " (" << s.origin << ")\n";
    } catch (const std::exception& e) {
      std::cout << "  " << name << ": unreadable: " << e.what() << "\n";
    }
  }
}

nlohmann::ordered_json WorkloadJson(const Workload& w) {
  using nlohmann::ordered_json;
  const Defaults cuda = w.DefaultsFor(DeviceRef::Kind::kCuda), cpu = w.DefaultsFor(DeviceRef::Kind::kCpu);
  ordered_json axes = ordered_json::array();
  for (const AxisSpec& a : w.Axes()) {
    const char* automatic = AutomaticAxisValue(w.Name(), a.name);
    axes.push_back({{"name", a.name},
                    {"kind", KindName(a.kind)},
                    {"defaults", {{"cuda", DefaultOn(cuda, a)}, {"cpu", DefaultOn(cpu, a)}}},
                    {"choices", a.choices},
                    {"automatic", automatic != nullptr ? ordered_json(automatic) : ordered_json(nullptr)},
                    {"help", a.help}});
  }
  ordered_json metrics = ordered_json::array();
  for (const MetricSpec& m : w.Metrics()) {
    metrics.push_back({{"name", m.name}, {"unit", m.unit}, {"higher_is_better", m.higher_is_better},
                       {"primary", metrics.empty()}});
  }
  return {{"name", w.Name()}, {"summary", w.Summary()}, {"axes", axes}, {"metrics", metrics}};
}

void PrintJson(const WorkloadRegistry& registry) {
  using nlohmann::ordered_json;
  ordered_json workloads = ordered_json::array();
  for (Workload* w : registry.All()) workloads.push_back(WorkloadJson(*w));
  ordered_json suites = ordered_json::array();
  const auto dirs = SuiteSearchDirs();
  for (const std::string& name : ListSuites(dirs)) {
    try {
      const Suite s = LoadSuite(name, dirs);
      ordered_json entries = ordered_json::array();
      for (const SuiteEntry& e : s.entries) {
        entries.push_back({{"workload", e.workload}, {"device", DeviceName(e.device)}, {"axes", e.axes}});
      }
      suites.push_back({{"name", name}, {"description", s.description}, {"origin", s.origin},
                        {"entries", entries}});
    } catch (const std::exception& e) {
      suites.push_back({{"name", name}, {"error", e.what()}});
    }
  }
  const ordered_json doc = {{"schema", "gpuqual.list/1"}, {"workloads", workloads}, {"suites", suites}};
  std::cout << doc.dump(2) << "\n";
}

}  // namespace

Action AddListCommand(CLI::App& root) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = root.add_subcommand("list", "List workloads (axes, defaults per device, metrics) and suites");
  cmd->add_flag("--json", *json, "Write the listing as JSON (schema gpuqual.list/1)");
  cmd->footer("Examples:\n  gpuqual list\n  gpuqual list --json | jq '.workloads[].name'");
  return [json](const std::string&) {
    const WorkloadRegistry registry = BuildRegistry();
    if (*json) {
      PrintJson(registry);
    } else {
      PrintText(registry);
    }
    return 0;
  };
}

}  // namespace gq::cli
