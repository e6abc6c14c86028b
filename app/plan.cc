#include "app/plan.h"

#include <algorithm>
#include <set>

#include "harness/errors.h"

namespace gq {
namespace {

bool HasAxis(const Workload& w, const std::string& axis) {
  auto axes = w.Axes();
  return std::any_of(axes.begin(), axes.end(), [&](const AxisSpec& a) { return a.name == axis; });
}

// The workload's defaults for the entry's device kind, then the entry's axes, then the CLI
// overrides that apply to this workload.
std::map<std::string, std::vector<std::string>> Overlay(
    const Workload& w, DeviceFilter device, const std::map<std::string, std::vector<std::string>>& entry,
    const std::map<std::string, std::vector<std::string>>& overrides) {
  std::map<std::string, std::vector<std::string>> axes;
  if (device == DeviceFilter::kCpu) axes = w.DefaultsFor(DeviceRef::Kind::kCpu);
  if (device == DeviceFilter::kCuda) axes = w.DefaultsFor(DeviceRef::Kind::kCuda);
  for (const auto& [axis, values] : entry) axes[axis] = values;
  for (const auto& [axis, values] : overrides) {
    if (HasAxis(w, axis)) axes[axis] = values;
  }
  return axes;
}

// Cases an entry expands into (the product of its axes' value counts), at most `cap` + 1 so the
// product cannot overflow; `shape` gets the factors, e.g. "size 1000 x dtype 4".
int64_t CountCases(const Workload& w, const std::map<std::string, std::vector<std::string>>& axes, int64_t cap,
                   std::string* shape) {
  int64_t n = 1;
  for (const AxisSpec& a : w.Axes()) {
    auto it = axes.find(a.name);
    const int64_t values = static_cast<int64_t>(it != axes.end() ? it->second.size() : a.defaults.size());
    if (values > 1) *shape += (shape->empty() ? "" : " x ") + a.name + " " + std::to_string(values);
    n = values == 0 ? 0 : std::min(cap + 1, n * std::min(values, cap + 1));
  }
  return n;
}

bool HasDeviceDefaults(const Workload& w) {
  return !w.DefaultsFor(DeviceRef::Kind::kCpu).empty() || !w.DefaultsFor(DeviceRef::Kind::kCuda).empty();
}

}  // namespace

std::vector<PlannedCase> BuildPlan(const WorkloadRegistry& registry, const RunOptions& options,
                                   const Suite* suite) {
  struct Entry {
    Workload* workload;
    DeviceFilter device;
    std::map<std::string, std::vector<std::string>> axes;
    std::string where;  // "SUITE-FILE: entries[i]" for a suite entry, "" for the command line
  };
  std::vector<Entry> entries;
  for (const std::string& name : options.workloads) registry.Get(name);  // unknown -> UsageError
  if (suite != nullptr) {
    for (std::size_t i = 0; i < suite->entries.size(); ++i) {
      const SuiteEntry& e = suite->entries[i];
      Workload& w = registry.Get(e.workload);
      if (!options.workloads.empty() &&
          std::find(options.workloads.begin(), options.workloads.end(), e.workload) == options.workloads.end()) {
        continue;
      }
      const std::string where = suite->origin + ": entries[" + std::to_string(i) + "]";
      if (e.device == DeviceFilter::kAny && HasDeviceDefaults(w)) {  // as on the command line: each
        entries.push_back({&w, DeviceFilter::kCuda, e.axes, where});  // kind its own defaults under
        entries.push_back({&w, DeviceFilter::kCpu, e.axes, where});   // the entry's axes
      } else {
        entries.push_back({&w, e.device, e.axes, where});
      }
    }
    if (entries.empty()) {
      throw UsageError("suite '" + suite->name + "' has no entries for the named workloads");
    }
  } else {
    for (const std::string& name : options.workloads) {
      Workload& w = registry.Get(name);
      if (HasDeviceDefaults(w)) {  // one entry per device kind, each with its own defaults
        entries.push_back({&w, DeviceFilter::kCuda, {}, ""});
        entries.push_back({&w, DeviceFilter::kCpu, {}, ""});
      } else {
        entries.push_back({&w, DeviceFilter::kAny, {}, ""});
      }
    }
  }
  if (entries.empty()) throw UsageError("nothing to run: name one or more workloads or a --suite");

  for (const auto& entry : options.axes) {
    const std::string& axis = entry.first;  // captured below: not a structured binding (clang < 16)
    bool used = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return HasAxis(*e.workload, axis); });
    if (!used) {
      std::string known;
      for (const Entry& e : entries) {
        std::string names;
        for (const AxisSpec& a : e.workload->Axes()) names += (names.empty() ? "" : ", ") + a.name;
        const std::string line = "'" + e.workload->Name() + "' has no axis '" + axis + "' (axes: " + names + ")";
        if (known.find(line) == std::string::npos) known += (known.empty() ? "" : "; ") + line;
      }
      throw UsageError("-a " + axis + ": " + known);
    }
  }

  // The plan's size before any case is made: a typo like -a size=1..1000000 must not allocate
  // gigabytes of case specs. A run measures the cuda entries or the cpu ones (with those for any
  // device), never both: the size is that of the larger set, or of the one --device names.
  const bool cpu_only = options.device == "cpu", cuda_only = options.device.rfind("cuda", 0) == 0;
  int64_t any = 0, cuda = 0, cpu = 0, biggest = -1;
  std::string largest;
  for (const Entry& e : entries) {
    if ((cpu_only && e.device == DeviceFilter::kCuda) || (cuda_only && e.device == DeviceFilter::kCpu)) continue;
    std::string shape;
    const int64_t n = CountCases(*e.workload, Overlay(*e.workload, e.device, e.axes, options.axes), options.max_cases, &shape);
    if (n > biggest) {
      biggest = n;
      largest = e.workload->Name() + (shape.empty() ? "" : ": " + shape);
    }
    int64_t& kind = e.device == DeviceFilter::kCuda ? cuda : e.device == DeviceFilter::kCpu ? cpu : any;
    kind = std::min(options.max_cases + 1, kind + n);
  }
  const int64_t total = std::min(options.max_cases + 1, any + std::max(cuda, cpu));
  if (total > options.max_cases) {
    throw UsageError("the plan has more than " + std::to_string(options.max_cases) + " cases (largest entry: " + largest +
                     "); narrow the axes or raise the limit with --max-cases");
  }

  std::vector<PlannedCase> plan;
  std::set<std::pair<std::string, int>> seen;
  for (const Entry& e : entries) {
    if ((cpu_only && e.device == DeviceFilter::kCuda) || (cuda_only && e.device == DeviceFilter::kCpu)) continue;
    try {  // a bad value from a suite file names the file and the entry
      for (CaseSpec& spec : ExpandCases(e.workload->Name(), e.workload->Axes(), Overlay(*e.workload, e.device, e.axes, options.axes))) {
        if (!seen.insert({spec.Id(), static_cast<int>(e.device)}).second) continue;
        e.workload->Validate(spec);
        plan.push_back({e.workload, std::move(spec), e.device});
      }
    } catch (const UsageError& error) {
      if (e.where.empty()) throw;
      throw UsageError(e.where + ": " + error.what());
    }
  }
  return plan;
}

}  // namespace gq
