// `gpuqual list`: every workload with its axes (kind, defaults, choices) and metrics, then the
// suites found and where they were found.
#include <iostream>

#include "app/commands.h"
#include "app/suite.h"
#include "workloads/registry.h"

namespace gq::cli {
namespace {

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

}  // namespace

Action AddListCommand(CLI::App& root) {
  root.add_subcommand("list", "List workloads (axes, defaults, metrics) and suites");
  return [](const std::string&) {
    const WorkloadRegistry registry = BuildRegistry();
    std::cout << "workloads:\n";
    for (Workload* w : registry.All()) {
      std::cout << "  " << w->Name() << ": " << w->Summary() << "\n";
      for (const AxisSpec& a : w->Axes()) {
        std::cout << "    -a " << a.name << "=" << Join(a.defaults) << "  (" << KindName(a.kind);
        if (!a.choices.empty()) std::cout << "; one of " << Join(a.choices);
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
    return 0;
  };
}

}  // namespace gq::cli
