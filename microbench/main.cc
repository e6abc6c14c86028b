// gpuqual_microbench: Google Benchmark over the same workload code as `gpuqual run`.
//
// Registers one benchmark per case of a suite (default "quick"; --gq_suite=NAME|FILE) on one
// device (--gq_device=auto|cpu|cuda:N; auto = cuda:0 if visible, else cpu), named by the case id
// plus "/<device>", so --benchmark_filter and --benchmark_format=json work as usual (a suite's
// cases differ per device: gemm is bf16 and others on GPUs, fp32 and fp64 on the cpu). Time is
// manual: CUDA events on the case's stream (steady_clock on the cpu), one iteration per timed
// region, one timer per case (its first, unheld batch is a warm-up run). Each case is prepared
// once, verified once after timing (a failed check reports an
// error), and released before the next case is prepared. Collective cases (allreduce,
// all_gather, reduce_scatter from the suite) run on the one device in one process: a single rank,
// so their busbw (0 by definition) is left out and algbw is their figure. Counters are the
// workload's metrics named "<metric> <unit>" ("tflops TFLOP/s", "bandwidth GB/s",
// "output_tok_s tok/s", ...), computed by the same MetricSpec formulas as `gpuqual run`; the
// quick suite's e2e decode and prefill scenarios are the one-decode-step and one-prefill
// benchmarks. The JSON context (benchmark::AddCustomContext) records gpuqual's version and git
// revision, the suite and device, the GPU (name, SKU, compute capability, NVIDIA driver from NVML,
// CUDA driver API and runtime versions) and the libraries (workloads/library_versions.h).
// --help prints gpuqual's flags and examples before Google Benchmark's own.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/plan.h"
#include "app/suite.h"
#include "harness/device.h"
#include "harness/errors.h"
#include "harness/system/cuda_devices.h"
#include "harness/system/gpu_monitor.h"
#include "harness/version.h"
#include "harness/work.h"
#include "workloads/library_versions.h"

namespace gq {
namespace {

// The case currently prepared, and its timer; held across the calls Google Benchmark makes for
// one benchmark (destroyed in reverse order: the timer before the case, the case before the
// context).
struct Held {
  std::string id;
  std::unique_ptr<DeviceContext> ctx;
  std::unique_ptr<PreparedCase> prepared;
  std::unique_ptr<Timer> timer;
  bool verified = false;
};

void RunBenchmark(benchmark::State& state, Workload* workload, CaseSpec spec, DeviceRef device, Held* held) {
  try {
    if (held->id != spec.Id() + device.Name()) {
      held->id.clear();  // nothing is held until the case is prepared and warmed up
      held->timer.reset();
      held->prepared.reset();
      held->ctx = MakeContext(device);
      held->prepared = workload->Prepare(spec, *held->ctx);
      held->verified = false;
      // Warm-up: one run inside the timer's first batch, which is never held (it may load
      // kernels; harness/gpu/cuda_event_timer.h), so every timed iteration below is held.
      held->timer = held->ctx->MakeTimer();
      held->timer->Start();
      held->prepared->Run(held->ctx->stream());
      held->timer->StopSeconds();
      for (int i = 0; i < 2; ++i) held->prepared->Run(held->ctx->stream());
      held->ctx->Synchronize();
      held->id = spec.Id() + device.Name();
    }
    Timer* timer = held->timer.get();
    double total = 0;
    std::map<std::string, double> phase_total;  // seconds per phase over the iterations
    for (auto _ : state) {
      timer->Start();
      held->prepared->Run(held->ctx->stream());
      const double t = timer->StopSeconds();
      state.SetIterationTime(t);
      total += t;
      // After the timed region, as the runner reads them (harness/workload.h PhaseSeconds).
      for (const auto& [phase, seconds] : held->prepared->PhaseSeconds()) phase_total[phase] += seconds;
    }
    // Counters: the workload's own metrics (the same MetricSpec formulas `gpuqual run` uses), from
    // the mean iteration time, or for a metric of a phase (e2e's prefill_tok_s) the mean time of
    // that phase; plain times are left to the benchmark's own time column, and a zero figure
    // (busbw on one rank) is left out.
    const Work work = held->prepared->GetWork();
    const double iterations = static_cast<double>(state.iterations());
    for (const MetricSpec& m : workload->Metrics()) {
      if (m.quantity == Quantity::kTime) continue;
      const auto phase = phase_total.find(m.phase);
      if (!m.phase.empty() && phase == phase_total.end()) continue;
      const double value = m.FromTime((m.phase.empty() ? total : phase->second) / iterations, work);
      if (value > 0) state.counters[m.name + " " + m.unit] = value;
    }
    if (!held->verified) {
      VerifyResult v = held->prepared->Verify();
      held->verified = true;
      if (!v.passed) state.SkipWithError(("verification failed: max_rel_err " + std::to_string(v.max_rel_err)).c_str());
    }
  } catch (const CaseSkipped& e) {
    state.SkipWithError((std::string("skipped: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

std::string TakeFlag(int& argc, char** argv, const char* name, std::string fallback) {
  const std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) {
      std::string value = argv[i] + prefix.size();
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      return value;
    }
  }
  return fallback;
}

constexpr const char* kHelp = R"(gpuqual_microbench: Google Benchmark over gpuqual's workloads, one benchmark per case of a
suite, named <case id>/<device>, timed manually (CUDA events on GPUs, steady_clock on the cpu),
with the workload's metrics as counters ("tflops TFLOP/s", "bandwidth GB/s", ...).

gpuqual flags:
  --gq_suite=NAME|FILE        suite whose cases become benchmarks: ci, anchors, quick (default), full, or
                              a suite file (see `gpuqual list`)
  --gq_device=auto|cpu|cuda:N device to run on (default auto: cuda:0 if visible, else the cpu);
                              a suite's cases differ per device (gemm: bf16, fp16, ... on GPUs,
                              fp32 and fp64 on the cpu)

Examples:
  gpuqual_microbench --benchmark_list_tests                      the benchmarks on this device
  gpuqual_microbench --gq_device=cuda:0 --benchmark_filter='gemm/dtype=bf16'
  gpuqual_microbench --gq_device=cpu --benchmark_filter='gemm/dtype=fp32'
  gpuqual_microbench --gq_suite=ci --benchmark_format=json --benchmark_out=run1.json
  /usr/share/benchmark/compare.py benchmarks run1.json run2.json   (Debian: libbenchmark-tools)

Google Benchmark flags:
)";

bool WantsHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h" || a == "-help") return true;
  }
  return false;
}

// Provenance in the JSON output's "context" (and the console's header).
void AddContext(const std::string& suite, const DeviceRef& device) {
  benchmark::AddCustomContext("gpuqual_version", ToolVersion());
  benchmark::AddCustomContext("gpuqual_git", ToolGitRevision());
  benchmark::AddCustomContext("gq_suite", suite);
  benchmark::AddCustomContext("gq_device", device.Name());
  for (const auto& [name, version] : LibraryVersions()) benchmark::AddCustomContext(name, version);
  if (!device.IsCuda()) return;
  const std::vector<GpuInfo> gpus = DiscoverCudaDevices();
  for (const GpuInfo& g : gpus) {
    if (g.index != device.index) continue;
    benchmark::AddCustomContext("gpu_name", g.name);
    benchmark::AddCustomContext("gpu_sku", g.sku.empty() ? "unknown SKU" : g.sku);
    benchmark::AddCustomContext("gpu_compute_capability", g.compute_capability);
    benchmark::AddCustomContext("cuda_driver_api", g.driver);
    benchmark::AddCustomContext("cuda_runtime", g.cuda_runtime);
    const DeviceHealth health = MakeNvmlMonitor(gpus)->Health(g.index);
    benchmark::AddCustomContext("nvidia_driver", health.available ? health.driver_version : "unknown (" + health.reason + ")");
  }
}

// What benchmark::Initialize left in argv: a --benchmark_ flag whose value it refused (it printed
// why), or a flag nobody knows. One line each on stderr; false when there was any.
bool RefuseLeftoverArguments(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::cerr << "gpuqual_microbench: error: " << arg
              << (arg.rfind("--benchmark_min_time=", 0) == 0
                      ? ": Google Benchmark refused its value (this libbenchmark takes seconds as a plain number, "
                        "e.g. --benchmark_min_time=0.2)"
                  : arg.rfind("--benchmark_", 0) == 0
                      ? ": Google Benchmark refused its value (its message is above)"
                      : ": unrecognized flag (gpuqual's: --gq_suite, --gq_device; Google Benchmark's: "
                        "--benchmark_*; see --help)")
              << "\n";
  }
  return argc <= 1;
}

}  // namespace
}  // namespace gq

int main(int argc, char** argv) {
  using namespace gq;
  if (WantsHelp(argc, argv)) std::cout << kHelp << std::flush;  // Google Benchmark's own follows
  const std::string suite_name = TakeFlag(argc, argv, "gq_suite", "quick");
  const std::string device_spec = TakeFlag(argc, argv, "gq_device", "auto");
  // Locals, not statics: the prepared case and the registry (which owns the NCCL communicators)
  // must go before main returns, while CUDA is still up.
  WorkloadRegistry registry = BuildRegistry();
  Held held;
  try {
    if (WantsHelp(argc, argv)) {  // Google Benchmark prints its flags and exits
      char help[] = "--help";
      char* args[] = {argv[0], help, nullptr};
      int n = 2;
      benchmark::Initialize(&n, args);
      return 0;
    }
    DeviceRef device;
    try {
      device = ResolveDevices(device_spec, CudaDeviceCount()).front();
    } catch (const UsageError& e) {  // the error names gpuqual's --device: here it is --gq_device
      const std::string text = e.what();
      throw UsageError(text.rfind("--device", 0) == 0 ? "--gq_device" + text.substr(8) : text);
    }
    const Suite suite = LoadSuite(suite_name, SuiteSearchDirs());
    AddContext(suite.name, device);
    for (const PlannedCase& c : BuildPlan(registry, RunOptions{}, &suite)) {
      if (!Accepts(c.device, device)) continue;
      benchmark::RegisterBenchmark((c.spec.Id() + "/" + device.Name()).c_str(), RunBenchmark, c.workload,
                                   c.spec, device, &held)
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);  // a 4 KiB collective takes microseconds
    }
  } catch (const UsageError& e) {
    std::cerr << "gpuqual_microbench: error: " << e.what() << "\n";
    return 2;
  }
  const bool filtered = std::any_of(argv + 1, argv + argc, [](const char* a) {  // before Initialize takes it
    return std::strncmp(a, "--benchmark_filter=", 19) == 0;
  });
  benchmark::Initialize(&argc, argv);
  if (!RefuseLeftoverArguments(argc, argv)) return 2;
  if (benchmark::RunSpecifiedBenchmarks() == 0 && filtered) {
    std::cerr << "gpuqual_microbench: error: --benchmark_filter matches no case of this suite on this device "
                 "(--benchmark_list_tests lists them)\n";
    return 2;
  }
  benchmark::Shutdown();
  held.prepared.reset();
  held.ctx.reset();
  return 0;
}
