#include "app/run_world.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>

#include "harness/errors.h"

namespace gq::cli {

int AgreeOnSetup(Communicator& world, const std::exception_ptr& error,
                 const std::vector<DeviceRef>& devices) {
  if (world.size() == 1) {
    if (error) std::rethrow_exception(error);
    return 0;
  }
  const bool root = world.rank() == 0;
  bool cuda = false, cpu = false;
  for (const DeviceRef& d : devices) (d.IsCuda() ? cuda : cpu) = true;
  std::vector<double> flags{error ? 1.0 : 0.0, root && error ? 1.0 : 0.0, cuda ? 1.0 : 0.0,
                            cpu ? 1.0 : 0.0};
  world.AllReduceMax(flags);
  if (flags[0] > 0) {
    if (!error || (!root && flags[1] > 0)) return 2;  // someone else explains
    if (root) std::rethrow_exception(error);
    try {
      std::rethrow_exception(error);
    } catch (const UsageError& e) {
      std::cerr << "gpuqual: error: rank " << world.rank() << ": " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "gpuqual: failed: rank " << world.rank() << ": " << e.what() << "\n";
      return 1;
    }
  }
  if (flags[2] > 0 && flags[3] > 0) {
    if (!root) return 2;
    throw UsageError(
        "the ranks resolved --device to both the cpu and GPUs (GPUs are not visible "
        "to every rank): pass --device cpu or make GPUs visible everywhere");
  }
  return 0;
}

namespace {

// FNV-1a over the plan's text: the same on every rank that planned the same run.
uint64_t PlanFingerprint(const std::vector<PlannedCase>& plan, const MeasureOptions& m) {
  std::ostringstream text;
  text.precision(17);
  text << m.min_samples << ' ' << m.min_time_s << ' ' << m.max_time_s << ' ' << m.max_noise << ' ' << m.warmup_time_s
       << ' ' << m.min_sample_time_s << ' ' << m.max_samples << ' ' << m.verify << ' ' << m.repetitions << '\n';
  for (const PlannedCase& c : plan) {
    text << c.workload->Name() << ' ' << c.spec.Id() << ' ' << static_cast<int>(c.device) << '\n';
  }
  uint64_t hash = 14695981039346656037ull;
  for (const char ch : text.str()) {
    hash ^= static_cast<unsigned char>(ch);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

int AgreeOnPlan(Communicator& world, const std::vector<PlannedCase>& plan, const MeasureOptions& measure) {
  if (world.size() == 1) return 0;
  const uint64_t hash = PlanFingerprint(plan, measure);
  // Two 32-bit halves (exact in a double); max and -min over the ranks agree when all are equal.
  const double high = static_cast<double>(hash >> 32), low = static_cast<double>(hash & 0xffffffffull);
  std::vector<double> v{high, -high, low, -low};
  world.AllReduceMax(v);
  if (v[0] == -v[1] && v[2] == -v[3]) return 0;
  if (world.rank() != 0) return 2;
  throw UsageError("the ranks planned different runs (" + std::to_string(plan.size()) +
                   " case(s) here): their command lines or suite files differ, and every rank must run the same "
                   "cases with the same options");
}

std::vector<std::string> GatherRankSkus(Communicator& world, const std::string& own_sku) {
  if (world.size() == 1) return {};
  std::vector<std::string> all = world.GatherStrings(own_sku, 0);
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

void PrintSingleRankNote(const ResultsDoc& doc, std::ostream& out) {
  int single = 0;
  for (const CaseResult& c : doc.cases) {
    auto it = c.details.find("single_rank");
    if (it != c.details.end() && it->second == "true") ++single;
  }
  if (single == 0) return;
  out << "note: " << single << " collective case(s) ran on a single rank: bus bandwidth "
      << "undefined (busbw 0), so the table shows algbw, and compare and qualify judge that (against "
      << "a baseline of one rank too); run one rank per GPU with mpirun / srun, or several GPUs in one "
      << "process, to measure the collective\n";
}

}  // namespace gq::cli
