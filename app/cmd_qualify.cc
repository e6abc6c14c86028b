// `gpuqual qualify [RESULTS...] [--baseline FILE] [--spec FILE] [--instance TYPE]
//  [--price-per-hour USD] [--catalog FILE] [--device D] [-o FILE]`
// Judges a machine (rules in harness/decide/qualify.h). With no RESULTS it first runs the quick suite
// (`gpuqual run --suite quick`) and judges that run. The verdict is printed and written into a
// results file: -o FILE, else the file of the run it made (given files are never modified).
// Exit 0 PASS or WARN, 1 FAIL, 2 bad input.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/commands.h"
#include "harness/decide/qualify.h"
#include "harness/errors.h"
#include "harness/json_fields.h"
#include "harness/record/results_json.h"
#include "harness/record/results_recorder.h"
#include "harness/system/host_info.h"

namespace gq::cli {
namespace {

struct QualifyArgs {
  std::vector<std::string> results;
  std::string baseline, spec, instance, catalog, output, device = "auto";
  double price = 0;
  CLI::Option* price_option = nullptr;
};

// Runs `gpuqual run --suite quick` as a child process; returns its exit code.
int RunQuickSuite(const std::string& device, const std::string& path) {
  std::cout << "qualify: no results given, running the quick suite -> " << path << "\n" << std::flush;
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    execl(exe.c_str(), exe.c_str(), "run", "--suite", "quick", "--device", device.c_str(), "-o", path.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ResultsDoc Merge(const std::vector<std::string>& files) {
  ResultsDoc doc = ReadResultsFile(files.front());
  for (std::size_t i = 1; i < files.size(); ++i) {
    ResultsDoc next = ReadResultsFile(files[i]);
    for (CaseResult& c : next.cases) doc.cases.push_back(std::move(c));
    if (!doc.health.before) doc.health.before = next.health.before;
    if (next.health.after) doc.health.after = next.health.after;
  }
  return doc;
}

void ReadSpec(const std::string& path, QualifyOptions& opt) {
  const auto j = ReadJsonFile(path);
  JsonFields root(j, path, "");
  if (root.Str("schema") != "gpuqual.qualify-spec/1") root.Fail("schema", "'" + root.Str("schema") + "' is not gpuqual.qualify-spec/1");
  auto threshold = [](const JsonFields& f) {
    QualifyThreshold t{f.Num("warn_below"), f.Num("fail_below")};
    if (!(t.fail_below > 0 && t.fail_below <= t.warn_below && t.warn_below <= 1.5)) f.Fail("", "needs 0 < fail_below <= warn_below <= 1.5");
    return t;
  };
  if (root.Has("default")) opt.default_threshold = threshold(root.Obj("default"));
  if (root.Has("workloads")) {
    JsonFields w = root.Obj("workloads");
    for (const auto& [name, _] : w.value().items()) opt.thresholds[name] = threshold(w.Obj(name));
  }
}

std::unique_ptr<Baseline> FindBaseline(const QualifyArgs& a, const ResultsDoc& doc) {
  if (!a.baseline.empty()) return std::make_unique<Baseline>(ReadBaselineFile(a.baseline));
  if (doc.system.devices.empty()) return nullptr;
  const std::string sku = doc.system.devices.front().sku;
  for (const GpuInfo& g : doc.system.devices) {
    if (g.sku != sku) return nullptr;
  }
  const std::string path = BaselinesDir() + "/" + sku + ".json";
  if (!std::filesystem::exists(path)) return nullptr;
  return std::make_unique<Baseline>(ReadBaselineFile(path));
}

void Print(const QualifyVerdict& v) {
  std::size_t w = 5;
  for (const QualifyCheck& c : v.checks) w = std::max(w, c.name.size());
  for (const QualifyCheck& c : v.checks) {
    std::printf("%-5s %-12s %-*s %s\n", c.status.c_str(), c.kind.c_str(), static_cast<int>(w), c.name.c_str(), c.reason.c_str());
  }
  if (v.cost) {
    std::printf("cost: $%.2f/hour", v.cost->price_per_hour_usd);
    if (v.cost->tflops_per_usd_hour > 0) std::printf(", %.3g TFLOP/s per $/hour (gemm geomean x GPUs)", v.cost->tflops_per_usd_hour);
    if (v.cost->usd_per_mtok > 0) std::printf(", $%.3f per million output tokens", v.cost->usd_per_mtok);
    std::printf("\n");
  }
  std::printf("\nqualify: %s (baseline: %s, instance: %s)\n", v.overall.c_str(), v.baseline.empty() ? "none" : v.baseline.c_str(),
              v.instance_type.empty() ? "unknown" : v.instance_type.c_str());
}

int Run(QualifyArgs& a) {
  QualifyOptions opt;
  opt.instance_type = a.instance;
  if (a.price_option->count() > 0) {
    if (!(a.price > 0)) throw UsageError("--price-per-hour must be > 0");
    opt.price_per_hour_usd = a.price;
  }
  if (!a.spec.empty()) ReadSpec(a.spec, opt);
  const InstanceCatalog catalog = ReadInstanceCatalog(a.catalog.empty() ? BaselinesDir() + "/instances.json" : a.catalog);
  std::string write_to = a.output;
  if (a.results.empty()) {
    const std::string path = !a.output.empty() ? a.output : DefaultResultsPath(DiscoverHost().hostname);
    const int rc = RunQuickSuite(a.device, path);
    if (rc != 0 && rc != 1) return rc;  // bad usage or interrupted: nothing to judge
    a.results = {path};
    write_to = path;
  }
  ResultsDoc doc = Merge(a.results);
  std::unique_ptr<Baseline> baseline = FindBaseline(a, doc);
  doc.verdict = Qualify(doc, baseline.get(), &catalog, opt);
  Print(*doc.verdict);
  if (!write_to.empty()) {
    WriteResultsFile(write_to, doc);
    std::cout << "results with verdict: " << write_to << "\n";
  }
  return doc.verdict->overall == "FAIL" ? 1 : 0;
}

}  // namespace

Action AddQualifyCommand(CLI::App& root) {
  auto a = std::make_shared<QualifyArgs>();
  CLI::App* cmd = root.add_subcommand("qualify", "PASS / WARN / FAIL verdict for this machine (runs the quick suite without RESULTS)");
  cmd->add_option("results", a->results, "Results files of this machine (default: run the quick suite now)");
  cmd->add_option("--baseline", a->baseline, "Baseline file (default baselines/<sku>.json)");
  cmd->add_option("--spec", a->spec, "Threshold overrides (gpuqual.qualify-spec/1)");
  cmd->add_option("--instance", a->instance, "Instance type to check against the catalog (default: from DMI)");
  a->price_option = cmd->add_option("--price-per-hour", a->price, "Instance price in USD per hour, for cost figures");
  cmd->add_option("--catalog", a->catalog, "Instance catalog (default baselines/instances.json)");
  cmd->add_option("--device", a->device, "Devices for the quick suite run")->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Write the results with the verdict here");
  return [a](const std::string&) { return Run(*a); };
}

}  // namespace gq::cli
