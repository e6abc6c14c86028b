// `gpuqual run [WORKLOAD...] [--suite NAME|FILE] [-a AXIS=V1,V2]... [--device D] [-o FILE] ...`
// Plans the cases, runs them on the chosen devices, writes the results file after every case and
// prints the table. With GPUs among the devices it also loads NVML (absent NVML is not an error):
// device health before and after the run, PCIe links in system.devices, and per-case telemetry
// sampled every --telemetry-period ms (0 turns the sampling off).
// Exit: 0 all cases ok/noisy/skipped, 1 any failed or invalid or all skipped (nothing measured),
// 2 bad input, 130 when interrupted by SIGINT, SIGTERM or SIGHUP (finished cases are kept in the
// file).
// A case run that shows no progress (no new phase or sample) for --hang-timeout seconds (default
// 900; 0 = off) is taken as hung: the run stops there, that case failed with the reason, exit 1
// (app/case_watchdog.h; one process only: under MPI the ranks stop together and no limit applies).
// With --list it plans and prints the cases and a bound on their sampling time (app/plan_listing.h)
// and runs nothing; where no GPU is visible, --device cuda[:N] lists as for GPUs 0..N.
// With --db FILE the finished run (or the interrupted one, marked so) is added to that results
// history once the results file is final (harness/record/history_store.h); the database is opened
// and checked before the first case, so a bad one fails at once (exit 2).
// Under MPI (mpirun / srun; DESIGN.md §8) every rank plans the same cases and runs them in
// lockstep on its own device (harness/measure/run_targets.h, harness/measure/rank_sync.h); only rank 0 discovers
// the system, writes the results file, prints the table and watches its GPUs with NVML. Setup
// errors are agreed first, so no rank starts the run alone; the ranks without the error exit 2
// quietly and the one(s) with it explain.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "app/case_watchdog.h"
#include "app/commands.h"
#include "app/history_flags.h"
#include "app/plan.h"
#include "app/plan_listing.h"
#include "app/progress_output.h"
#include "app/prompt_stop.h"
#include "app/run_outcome.h"
#include "app/run_world.h"
#include "harness/axis.h"
#include "harness/clock.h"
#include "harness/errors.h"
#include "harness/number_text.h"
#include "harness/numbers.h"
#include "harness/measure/interrupt.h"
#include "harness/measure/rank_sync.h"
#include "harness/measure/run_targets.h"
#include "harness/measure/telemetry.h"
#include "harness/record/console_reporter.h"
#include "harness/record/history_store.h"
#include "harness/record/file_io.h"
#include "harness/record/results_recorder.h"
#include "harness/system/gpu_monitor.h"
#include "harness/system/health.h"
#include "harness/system/system_info.h"
#include "harness/version.h"

namespace gq::cli {
namespace {

struct RunArgs {
  RunOptions options;
  std::vector<std::string> axis_assignments, label_assignments;
  MeasureOptions cli;  // values of the measure flags; applied over the suite's where given
  double max_noise_pct = 1.0;
  double telemetry_period_ms = 50;  // 0 = no per-case telemetry
  double straggler_pct = 10;        // multi-rank: name the slowest rank above this spread
  double hang_timeout_s = 900;      // a case run without progress for this long is hung; 0 = off
  bool quiet = false;               // no progress on stderr
  bool list = false;                // --list: print the plan, run nothing
  CLI::Option *min_samples = nullptr, *min_time = nullptr, *max_time = nullptr, *max_noise = nullptr,
              *warmup = nullptr, *repetitions = nullptr, *hang_timeout = nullptr;
  std::string command_line;
  std::string history_db;  // --db: add the run to this results history
  std::string run_id;      // --run-id: the run's id (empty: drawn, NewRunId)
};

// Adds the finished run to the history, with the results file's text as written (so a later
// `history add` of that file finds it stored); a failure names the results file, which is complete.
void AddToHistory(HistoryStore& history, const ResultsDoc& doc, const std::string& path, std::ostream& out) {
  try {
    history.Add(doc, ReadTextFile(path), std::filesystem::absolute(path).string(), false);
  } catch (const UsageError& e) {
    throw OutputError(std::string(e.what()) + "; the results are complete in " + path + " (gpuqual history add --db " +
                      history.path() + " " + path + " adds them)");
  }
  out << "history: run " << doc.run.id << " added to " << history.path() << "\n";
}

class NullSink : public CaseSink {
 public:
  void OnCaseDone(const CaseResult&) override {}
};

class TeeSink : public CaseSink {
 public:
  TeeSink(CaseSink& a, CaseSink& b) : a_(a), b_(b) {}
  void OnCaseDone(const CaseResult& r) override {
    a_.OnCaseDone(r);
    b_.OnCaseDone(r);
  }

 private:
  CaseSink& a_;
  CaseSink& b_;
};

void ParseAssignments(RunArgs& args) {
  for (const std::string& text : args.axis_assignments) {
    auto [axis, values] = ParseAxisAssignment(text);
    if (args.options.axes.count(axis) > 0) {  // a second -a would silently replace the first
      throw UsageError("-a '" + text + "': axis " + axis + " is given twice (list its values in one -a: " + axis +
                       "=V1,V2)");
    }
    args.options.axes[axis] = values;
  }
  for (const std::string& text : args.label_assignments) ParseLabel("--label", text, args.options.labels);
  // Standard output by another name is "-": written once at the end, never replaced as a file.
  std::string& out = args.options.output;
  if (out == "/dev/stdout" || out == "/dev/fd/1" || out == "/proc/self/fd/1") out = "-";
  if (out == "-" && !args.history_db.empty()) {  // the history keeps the results file's text
    throw UsageError("--db needs the results in a file: give -o FILE, not standard output");
  }
}

// The measure flags given, by the ranges of harness/options.h (suites are checked when loaded).
void CheckMeasureFlags(const RunArgs& a) {
  if (a.min_samples->count() > 0) CheckInteger("--min-samples", a.cli.min_samples, 1, kMaxMinSamples);
  if (a.min_time->count() > 0) CheckNumber("--min-time", a.cli.min_time_s, kSampleTimeRange);
  if (a.max_time->count() > 0) CheckNumber("--max-time", a.cli.max_time_s, kMaxTimeRange);
  if (a.warmup->count() > 0) CheckNumber("--warmup", a.cli.warmup_time_s, kSampleTimeRange);
  if (a.max_noise->count() > 0) CheckNumber("--max-noise (percent)", a.max_noise_pct, {0, 100, true});
  if (a.repetitions->count() > 0) CheckInteger("--repetitions", a.cli.repetitions, 1, kMaxRepetitions);
}

void CheckMeasure(const MeasureOptions& m) {
  if (m.max_time_s < m.min_time_s) {
    char text[160];
    std::snprintf(text, sizeof text, "--max-time %g s is below --min-time %g s (flags or the suite's measure)",
                  m.max_time_s, m.min_time_s);
    throw UsageError(text);
  }
}

// The NVML side of a run on GPUs: the monitor, and the sampler when telemetry is on.
struct GpuWatch {
  std::unique_ptr<GpuMonitor> monitor;
  std::unique_ptr<TelemetrySampler> sampler;
  std::vector<int> cuda_indices;
};

// Loads NVML when any device is a GPU, records the health-before snapshot in `doc` and copies each
// GPU's PCIe link into doc.system.devices. Returns an empty watch for cpu-only runs.
GpuWatch WatchGpus(const std::vector<DeviceRef>& devices, double period_ms, ResultsDoc& doc) {
  GpuWatch w;
  for (const DeviceRef& d : devices) {
    if (d.IsCuda()) w.cuda_indices.push_back(d.index);
  }
  if (w.cuda_indices.empty()) return w;
  w.monitor = MakeNvmlMonitor(doc.system.devices);
  doc.health.before = TakeHealthSnapshot(*w.monitor, w.cuda_indices);
  CopyPcieLinks(*w.monitor, doc.system.devices);
  if (period_ms > 0) w.sampler = std::make_unique<TelemetrySampler>(*w.monitor, period_ms / 1000.0);
  return w;
}

// Plans the run and resolves this rank's devices (every rank; may throw).
struct Setup {
  std::unique_ptr<Suite> suite;
  std::vector<PlannedCase> plan;
  std::vector<DeviceRef> devices;
  std::size_t runnable = 0, id_width = 0;
  int assumed_gpus = 0;  // --list without a visible GPU: the plan is for this many
};

// GPUs to plan a --list for when none is visible: 1 for --device cuda, N + 1 for cuda:N (0: the
// device is not a GPU one, or N is not a number, which ResolveDevices then explains).
int GpusToAssume(const std::string& device) {
  if (device == "cuda") return 1;
  if (device.rfind("cuda:", 0) != 0) return 0;
  try {
    const int64_t index = ParseIntValue("--device", device.substr(5));
    return index >= 0 && index < 4096 ? static_cast<int>(index) + 1 : 0;
  } catch (const UsageError&) {
    return 0;
  }
}

void PlanRun(RunArgs& args, const WorkloadRegistry& registry, const Communicator& world, Setup& s) {
  ParseAssignments(args);
  RunOptions& opt = args.options;
  if (!opt.suite.empty()) {
    s.suite = std::make_unique<Suite>(LoadSuite(opt.suite, SuiteSearchDirs()));
    s.suite->measure.ApplyTo(opt.measure);
  }
  // Precedence: defaults < suite "measure" < explicit flags.
  CheckMeasureFlags(args);
  if (args.min_samples->count() > 0) opt.measure.min_samples = args.cli.min_samples;
  if (args.min_time->count() > 0) opt.measure.min_time_s = args.cli.min_time_s;
  if (args.max_time->count() > 0) opt.measure.max_time_s = args.cli.max_time_s;
  if (args.warmup->count() > 0) opt.measure.warmup_time_s = args.cli.warmup_time_s;
  if (args.max_noise->count() > 0) opt.measure.max_noise = args.max_noise_pct / 100.0;
  if (args.repetitions->count() > 0) opt.measure.repetitions = args.cli.repetitions;
  CheckMeasure(opt.measure);
  // Below 1 ms the sampler would compete with the benchmark for the host CPU, and NVML's own
  // counters update far more slowly than that.
  if (args.telemetry_period_ms != 0 && !(args.telemetry_period_ms >= 1 && args.telemetry_period_ms <= 60000)) {
    throw UsageError("--telemetry-period: must be 0 (off) or a number of ms in [1, 60000] (got " +
                     NumberText("%g", args.telemetry_period_ms) + ")");
  }
  CheckNumber("--straggler-threshold (percent)", args.straggler_pct, {0, 1000});
  CheckNumber("--hang-timeout (seconds; 0 = off)", args.hang_timeout_s, {0, 7 * 24 * 3600});
  if (args.hang_timeout->count() > 0 && args.hang_timeout_s > 0 && world.size() > 1) {
    throw UsageError("--hang-timeout works in one process only (a rank cannot stop alone inside a collective): "
                     "under mpirun or srun give the job a time limit (srun --time, timeout)");
  }

  s.plan = BuildPlan(registry, opt, s.suite.get());
  int gpus = CudaDeviceCount();
  if (args.list && gpus == 0) gpus = s.assumed_gpus = GpusToAssume(opt.device);
  s.devices = ResolveDevices(opt.device, gpus);
  if (world.size() > 1) s.devices = {DeviceForRank(s.devices, world.local_rank())};
  for (const RunTarget& t : PlanTargets(s.plan, s.devices)) {
    for (const PlannedCase* c : t.cases) {
      ++s.runnable;
      s.id_width = std::max(s.id_width, c->spec.Id().size());
    }
  }
  if (s.runnable == 0) {
    throw UsageError("no cases to run on " + opt.device + (s.suite ? " in suite '" + s.suite->name + "'" : ""));
  }
}

std::string DeviceList(const std::vector<DeviceRef>& devices, const Communicator& world) {
  if (world.size() > 1) {
    return CaseDeviceLabel(devices.front(), world.size()) + " (" +
           std::to_string(world.size()) + " MPI ranks on " + std::to_string(world.nodes()) + " node(s))";
  }
  std::string out;
  for (const DeviceRef& d : devices) out += (out.empty() ? "" : " ") + d.Name();
  return out;
}

int Run(RunArgs& args, const std::shared_ptr<Communicator>& world_ptr) {
  Communicator& world = *world_ptr;
  const bool root = world.rank() == 0;
  RunOptions& opt = args.options;
  const WorkloadRegistry registry = BuildRegistry(world_ptr);
  Setup setup;
  std::exception_ptr error;
  try {
    PlanRun(args, registry, world, setup);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = AgreeOnSetup(world, error, setup.devices); code != 0) return code;
  if (const int code = AgreeOnPlan(world, setup.plan, opt.measure); code != 0) return code;
  if (args.list) {
    if (root) {
      if (setup.assumed_gpus > 0) {
        std::cerr << "gpuqual: no GPU is visible here; listed as for " << setup.assumed_gpus << " GPU(s)\n";
      }
      PrintPlanListing(PlanTargets(setup.plan, setup.devices), opt.measure, world.size(), std::cout, std::cerr);
    }
    return 0;
  }
  const std::vector<std::string> rank_skus =
      world.size() > 1 && !setup.devices.empty() ? GatherRankSkus(world, DeviceSku(setup.devices.front()))
                                                 : std::vector<std::string>{};

  // With the results on standard output (-o - or /dev/stdout) everything else a run prints goes to
  // standard error, so standard output is the one JSON document.
  std::ostream& text = opt.output == "-" ? std::cerr : std::cout;
  ResultsDoc doc;
  std::string path;
  GpuWatch gpus;
  std::unique_ptr<ResultsRecorder> recorder;
  std::unique_ptr<ConsoleReporter> console;
  std::unique_ptr<HistoryStore> history;
  try {
    if (root) {
      doc.system = DiscoverSystem();
      doc.system.world = WorldInfoOf(world);
      doc.system.world.skus = rank_skus;
      if (!args.run_id.empty()) {
        doc.run.id = args.run_id;
        path = opt.output.empty() ? ResultsPathOf(args.run_id) : opt.output;
        std::error_code ec;
        if (opt.output.empty() && std::filesystem::exists(path, ec)) {
          throw UsageError("--run-id '" + args.run_id + "': " + path +
                           " exists (an id names one run; give another, or -o)");
        }
      } else if (opt.output.empty()) {
        path = NewResultsPath(doc.system.host.hostname, &doc.run.id);
      } else {
        path = opt.output;
        doc.run.id = NewRunId(doc.system.host.hostname);
      }
      if (!opt.output.empty()) {
        RefuseOutputOverInput(path, {args.history_db, setup.suite ? setup.suite->origin : ""}, "-o");
      }
      doc.run.started_at = UtcTimestamp();
      doc.run.tool_version = ToolVersion();
      doc.run.tool_git = ToolGitRevision();
      doc.run.command = args.command_line;
      doc.run.suite = setup.suite ? setup.suite->name : "";
      doc.run.labels = opt.labels;
      // A bad database fails here, before the results file is made or a case runs (exit 2).
      if (!args.history_db.empty()) history = std::make_unique<HistoryStore>(args.history_db, HistoryStore::Open::kCreate);
      gpus = WatchGpus(setup.devices, args.telemetry_period_ms, doc);
      recorder = std::make_unique<ResultsRecorder>(path, doc, &std::cerr);  // OutputError: exit 2
      console = std::make_unique<ConsoleReporter>(text, setup.id_width);
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = AgreeOnSetup(world, error, setup.devices); code != 0) return code;

  NullSink quiet;
  std::unique_ptr<TeeSink> tee;
  if (root) tee = std::make_unique<TeeSink>(*recorder, *console);
  CaseSink& sink = root ? static_cast<CaseSink&>(*tee) : quiet;

  std::unique_ptr<ProgressPrinter> progress;  // rank 0, unless --quiet
  if (root && !args.quiet) progress = MakeStderrProgress();
  RunnerEnv env;
  env.measure = opt.measure;
  env.specs = SpecsByDevice(doc.system);
  env.stop = &InstallStopHandlers(root);
  env.progress = progress.get();
  env.telemetry = gpus.sampler.get();
  env.comm = world.size() > 1 ? &world : nullptr;
  env.straggler_threshold = args.straggler_pct / 100.0;
  if (root) {
    text << "gpuqual " << ToolVersion() << ": " << setup.runnable << " case(s) on "
              << DeviceList(setup.devices, world) << std::endl;  // before any progress on stderr
  }
  std::unique_ptr<CaseWatchdog> watchdog;  // in front of the progress printer
  if (args.hang_timeout_s > 0 && world.size() == 1) {
    watchdog = std::make_unique<CaseWatchdog>(env.progress, args.hang_timeout_s, setup.plan);
    env.progress = watchdog.get();
  }
  // A stop request ends the run within about a second, and a hung case at its limit
  // (app/prompt_stop.h); declared after all the run uses.
  PromptStop prompt_stop(*env.stop, world.size() > 1, 1.0, watchdog.get());
  const bool completed =
      prompt_stop.Run(sink, [&](CaseSink& gated) { return RunAll(setup.plan, setup.devices, env, gated); });
  if (progress) progress->Finish();
  if (prompt_stop.hung()) {
    std::cerr << "gpuqual: a case showed no progress for --hang-timeout " << NumberText("%g", args.hang_timeout_s)
              << " s; the run stopped there (the case is failed in the results, with its phase)" << std::endl;
  }
  if (!root) return completed ? 0 : kInterruptedExit;
  if (gpus.monitor) {
    HealthReport health = recorder->doc().health;
    health.after = TakeHealthSnapshot(*gpus.monitor, gpus.cuda_indices);
    recorder->SetHealth(std::move(health));
  }
  recorder->Finish(!completed);
  console->PrintSummary(recorder->doc(), path);
  PrintSingleRankNote(recorder->doc(), text);
  if (history) AddToHistory(*history, recorder->doc(), path, text);
  if (prompt_stop.hung()) return 1;  // (an abandoned worker: ~PromptStop ends the process with 1)
  if (!completed) return kInterruptedExit;
  const RunOutcome outcome = JudgeRunOutcome(recorder->doc().cases);
  if (!outcome.why.empty()) std::cerr << "gpuqual: " << outcome.why << std::endl;
  return outcome.exit_code;
}

}  // namespace

constexpr const char* kRunExamples = R"(Examples:
  gpuqual run gemm -a dtype=bf16 -a m=8192 -a n=8192 -a k=8192   one case on every GPU
  gpuqual run gemm --device cpu                                   fp32 and fp64 at 2048^3 on the cpu
  gpuqual run --suite ci --repetitions 3 -o candidate.json        the CI gate's run
  gpuqual run --suite quick --device cuda --list                  what the quick suite runs on GPUs
  mpirun -np 8 gpuqual run allreduce --device cuda                one rank per GPU
Progress goes to stderr; the table and the results file's path to stdout (to stderr with -o -,
which leaves stdout to the results JSON). Ctrl-C stops within
about a second and keeps the finished cases (exit 130); a second Ctrl-C aborts at once.)";

Action AddRunCommand(CLI::App& root, std::shared_ptr<Communicator> world) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = root.add_subcommand("run", "Run workloads or a suite and write a results file");
  RunOptions& o = args->options;
  cmd->add_option("workloads", o.workloads, "Workloads to run (see `gpuqual list`)");
  cmd->add_option("--suite", o.suite, "Suite name (ci, anchors, quick, full) or suite file");
  cmd->add_option("-a,--axis", args->axis_assignments, "Axis values AXIS=V1,V2 (repeatable)");
  cmd->add_option("--device", o.device, "auto | cpu | cuda | cuda:N")->capture_default_str();
  CLI::Option* output = cmd->add_option("-o,--output", o.output, "Results file (default results/<run id>.json: <utc>-<host>-<6 hex>)")
      ->check(CLI::Validator([](std::string& v) { return v.empty() ? std::string("is an empty file name") : std::string(); },
                             ""));
  args->max_noise = cmd->add_option("--max-noise", args->max_noise_pct,
                                    "Stop when the median's 95% CI is within this percent")->capture_default_str();
  args->min_samples = cmd->add_option("--min-samples", args->cli.min_samples, "Fewest samples per case")->capture_default_str();
  args->min_time = cmd->add_option("--min-time", args->cli.min_time_s, "Least sampled seconds per case")->capture_default_str();
  args->max_time = cmd->add_option("--max-time", args->cli.max_time_s, "Most sampled seconds per case (then noisy)")->capture_default_str();
  args->warmup = cmd->add_option("--warmup", args->cli.warmup_time_s, "Warm-up seconds per case")->capture_default_str();
  args->repetitions = cmd->add_option("--repetitions", args->cli.repetitions,
                                      "Measure each case in N independent rounds, interleaved across cases "
                                      "(the run-level replicates compare decides on)")
                          ->capture_default_str();
  cmd->add_flag_function(
      "--no-verify", [args](std::int64_t) { args->options.measure.verify = false; }, "Skip output verification");
  cmd->add_option("--label", args->label_assignments, "Run label KEY=VALUE (repeatable)");
  cmd->add_option("--run-id", args->run_id,
                  "The run's id (default drawn: <utc>-<host>-<6 hex>); names the default results file")
      ->check(CLI::Validator(
          [](std::string& v) {
            const std::string problem = RunIdProblem(v);
            return problem.empty() ? problem : "'" + v + "': " + problem;
          },
          "ID"));
  CLI::Option* db = cmd->add_option("--db", args->history_db, "Add the run to this results history database when it ends");
  cmd->add_option("--max-cases", o.max_cases, "Refuse a plan of more cases than this")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  cmd->add_option("--telemetry-period", args->telemetry_period_ms,
                  "GPU telemetry sampling period in ms (0 = off)")->capture_default_str();
  args->hang_timeout = cmd->add_option("--hang-timeout", args->hang_timeout_s,
                  "Seconds without progress (no new phase or sample) after which a case counts as hung: the run "
                  "stops there with that case failed (0 = no limit; one process only)")
      ->capture_default_str();
  cmd->add_option("--straggler-threshold", args->straggler_pct,
                  "MPI runs: name the slowest rank when its median is this percent above the fastest's")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet,
                "No progress on stderr (by default one updating line on a terminal, a line per case otherwise)");
  cmd->add_flag("--list", args->list,
                "Print the cases (DEVICE CASE-ID) and a bound on their sampling time; run nothing")
      ->excludes(output)
      ->excludes(db);
  cmd->footer(kRunExamples);
  return [args, world](const std::string& command_line) {
    args->command_line = command_line;
    return Run(*args, world);
  };
}

}  // namespace gq::cli
