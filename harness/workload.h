#pragma once
// The workload interface (DESIGN.md §3).
//
// A Workload declares axes and metrics and, for one case on one device, prepares inputs. The
// PreparedCase it returns is what the runner times and checks:
// - Run(stream): the timed region only; no allocation, no synchronisation, no printing, no files.
// - GetWork(): counts that rates are made of, each formula cited where it is computed.
// - Verify(): checks the output of the last Run against a higher-precision reference.
// - Details(): facts about how the case ran (e.g. the cuBLASLt algorithm picked), kept in results.
// - PhaseSeconds(): the seconds of named phases inside the last iteration (e2e: ttft, ...).
// Prepare throws CaseSkipped(reason) for a case that cannot run here, and any other exception for
// a failure; inputs are seeded random data, never zeros.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/axis.h"
#include "harness/device.h"
#include "harness/work.h"

namespace gq {

struct VerifyResult {
  bool passed = false;
  double max_rel_err = 0;
  double tolerance = 0;
  std::string detail;  // what was compared, e.g. "256 sampled elements vs float64 dot products"
};

class PreparedCase {
 public:
  virtual ~PreparedCase() = default;
  virtual void Run(void* stream) = 0;
  virtual Work GetWork() const = 0;
  virtual VerifyResult Verify() = 0;
  virtual std::map<std::string, std::string> Details() const { return {}; }
  // Seconds of each named phase (kPhase* in harness/work.h) of the LAST iteration the runner ran,
  // which the case measures itself (CUDA events on a GPU, steady_clock on the cpu). The runner
  // calls it after every timed sample, once the timer has stopped and the device is idle, so the
  // call is outside the timed region; it does not call it after warm-up batches (a case must not
  // rely on either). Every call of a case returns the same names (on every rank of a multi-rank
  // run), each with a finite value > 0; a case with no phases returns an empty map (the default).
  virtual std::map<std::string, double> PhaseSeconds() { return {}; }
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string Name() const = 0;
  virtual std::string Summary() const = 0;  // one line for `gpuqual list`
  virtual std::vector<AxisSpec> Axes() const = 0;
  virtual std::vector<MetricSpec> Metrics() const = 0;  // primary metric first
  // The case's figure, when it is not Metrics().front() for this case (one of Metrics(); e2e's
  // prefill scenario: prefill_tok_s). Empty: the first metric. The roofline stays the first's.
  virtual std::string PrimaryMetricFor(const CaseSpec& /*spec*/) const { return ""; }
  virtual std::unique_ptr<PreparedCase> Prepare(const CaseSpec& spec, DeviceContext& ctx) = 0;
  // Throws UsageError when the case's axis values do not fit together (e.g. kv_heads not
  // dividing heads). BuildPlan calls it for every planned case, so bad input ends the run with
  // exit code 2 before anything runs instead of failing cases one by one.
  virtual void Validate(const CaseSpec& /*spec*/) const {}

  // Axis defaults for one device kind where they differ from Axes() (e.g. smaller sizes on the
  // cpu); BuildPlan uses them for entries meant for that kind. Empty: Axes() defaults everywhere.
  virtual std::map<std::string, std::vector<std::string>> DefaultsFor(DeviceRef::Kind) const {
    return {};
  }
  // True for cases that span devices (the collectives; e2e with tp > 1): in a process that sees
  // several GPUs such a case drives all of them (a DeviceRef group, e.g. cuda:0-7) instead of
  // running once per GPU. Decided per case from its parameters.
  virtual bool SpansDevices(const CaseSpec& /*spec*/) const { return false; }
};

}  // namespace gq
