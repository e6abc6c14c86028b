#include "harness/decide/qualify_health.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace gq {
namespace {

using enum QualifyStatus;  // kPass, kWarn, kFail

const DeviceHealth* Find(const std::optional<HealthSnapshot>& s, int index) {
  if (!s) return nullptr;
  for (const DeviceHealth& h : s->devices) {
    if (h.index == index && h.available) return &h;
  }
  return nullptr;
}

std::string N(int64_t v) { return std::to_string(v); }

// Appends one check per rule that fired, or one PASS naming what was checked.
void DeviceChecks(const std::string& dev, const DeviceHealth& h, const DeviceHealth* before,
                  std::vector<QualifyCheck>& out) {
  std::vector<std::pair<std::string, std::string>> fails, warns;
  if (h.ecc_volatile_uncorrected > 0) fails.push_back({"ecc", N(h.ecc_volatile_uncorrected) + " uncorrectable ECC error(s) since the last driver load"});
  if (before != nullptr && before->ecc_aggregate_uncorrected >= 0 && h.ecc_aggregate_uncorrected > before->ecc_aggregate_uncorrected) {
    fails.push_back({"ecc", "uncorrectable ECC errors grew during the run (" + N(before->ecc_aggregate_uncorrected) + " -> " +
                                N(h.ecc_aggregate_uncorrected) + ")"});
  }
  if (h.retired_pages_pending == 1) fails.push_back({"retired pages", "a page retirement is pending: reset or reboot the GPU"});
  if (h.remapped_rows_pending == 1) fails.push_back({"row remap", "a row remap is pending: reset the GPU"});
  if (h.remapped_rows_failure == 1) fails.push_back({"row remap", "row remapping failed: the GPU needs service"});
  if (h.pcie.width > 0 && h.pcie.width_max > 0 && h.pcie.width < h.pcie.width_max) {
    fails.push_back({"pcie", "PCIe link x" + N(h.pcie.width) + " below its maximum x" + N(h.pcie.width_max)});
  }
  if (h.retired_pages_dbe > 0 || h.retired_pages_sbe > 0) {
    warns.push_back({"retired pages", N(h.retired_pages_sbe) + " single-bit and " + N(h.retired_pages_dbe) + " double-bit retired page(s) on record"});
  }
  if (h.remapped_rows_uncorrectable > 0) warns.push_back({"row remap", N(h.remapped_rows_uncorrectable) + " row(s) remapped for uncorrectable errors"});
  if (h.pcie.gen > 0 && h.pcie.gen_max > 0 && h.pcie.gen < h.pcie.gen_max) {
    warns.push_back({"pcie", "PCIe gen " + N(h.pcie.gen) + " below its maximum gen " + N(h.pcie.gen_max) + " (links downshift when idle: check under load)"});
  }
  if (h.power_limit_w > 0 && h.power_default_limit_w > 0 && h.power_limit_w < h.power_default_limit_w - 0.5) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "power limit %.0f W below the default %.0f W", h.power_limit_w, h.power_default_limit_w);
    warns.push_back({"power limit", buf});
  }
  for (const auto& [rule, why] : fails) out.push_back({dev + " " + rule, "health", kFail, why, 0, 0, ""});
  for (const auto& [rule, why] : warns) out.push_back({dev + " " + rule, "health", kWarn, why, 0, 0, ""});
  if (fails.empty() && warns.empty()) {
    out.push_back({dev + " health", "health", kPass,
                   "no uncorrectable ECC errors, no pending retirement or remap, PCIe x" + N(h.pcie.width) + " gen " +
                       N(h.pcie.gen) + ", power limit at default",
                   0, 0, ""});
  }
}

void ThrottleChecks(const ResultsDoc& doc, std::vector<QualifyCheck>& out) {
  std::map<std::string, std::map<std::string, std::set<std::string>>> seen;  // device -> reason -> case ids
  std::set<std::string> sampled;
  for (const CaseResult& c : doc.cases) {
    if (!c.telemetry || !c.telemetry->available) continue;
    if (c.telemetry->gpus.empty()) {
      // An MPI case ("16xcuda") is sampled on rank 0's GPU alone (app/cmd_run.cc).
      const bool ranks = ParseCaseDevice(c.device).RanksOfGpus();
      const std::string dev = ranks ? c.device + " (rank 0's GPU)" : c.device;
      sampled.insert(dev);
      for (const std::string& r : c.telemetry->throttle_reasons) seen[dev][r].insert(c.id);
    }
    for (const GpuTelemetry& g : c.telemetry->gpus) {  // a group: each GPU is judged on its own
      const std::string dev = "cuda:" + std::to_string(g.index);
      sampled.insert(dev);
      for (const std::string& r : g.throttle_reasons) seen[dev][r].insert(c.id);
    }
  }
  for (const std::string& dev : sampled) {
    bool flagged = false;
    std::string notes;
    for (const auto& [reason, ids] : seen[dev]) {
      const std::string where = " during " + std::to_string(ids.size()) + " case(s), e.g. " + *ids.begin();
      if (reason == "hw_slowdown" || reason == "hw_thermal" || reason == "hw_power_brake") {
        out.push_back({dev + " throttling", "health", kFail, reason + where, 0, 0, ""});
        flagged = true;
      } else if (reason == "sw_thermal") {
        out.push_back({dev + " throttling", "health", kWarn, reason + where, 0, 0, ""});
        flagged = true;
      } else {
        notes += (notes.empty() ? "" : ", ") + reason;
      }
    }
    if (!flagged) {
      out.push_back({dev + " throttling", "health", kPass,
                     "no thermal or hardware throttling" + (notes.empty() ? std::string() : " (seen: " + notes + ")"), 0, 0, ""});
    }
  }
}

}  // namespace

void HealthChecks(const ResultsDoc& doc, std::vector<QualifyCheck>& out) {
  // An MPI run reads the health of rank 0's GPU alone (app/cmd_run.cc): the other GPUs rank 0's
  // host lists belong to other ranks, unread, and other nodes' GPUs are not listed. One WARN says
  // so, instead of a false "unavailable" per GPU.
  const bool mpi = doc.system.world.backend == "mpi" && doc.system.world.ranks > 1 &&
                   std::any_of(doc.cases.begin(), doc.cases.end(),
                               [](const CaseResult& c) { return ParseCaseDevice(c.device).RanksOfGpus(); });
  auto listed = [&](int index) {
    for (const auto* snap : {&doc.health.before, &doc.health.after}) {
      if (!*snap) continue;
      for (const DeviceHealth& d : (*snap)->devices) {
        if (d.index == index) return true;
      }
    }
    return false;
  };
  if (mpi) {
    out.push_back({"health of the ranks' GPUs", "health", kWarn,
                   "an MPI run reads rank 0's GPU only: the GPUs of the other " +
                       std::to_string(doc.system.world.ranks - 1) + " rank(s), on " +
                       std::to_string(doc.system.world.nodes) +
                       " node(s), were not read; qualify each node's own single-process run for their health",
                   0, 0, ""});
  }
  for (const GpuInfo& g : doc.system.devices) {
    const std::string dev = "cuda:" + std::to_string(g.index);
    if (mpi && !listed(g.index)) continue;  // another rank's GPU (the WARN above)
    const DeviceHealth* after = Find(doc.health.after, g.index);
    const DeviceHealth* before = Find(doc.health.before, g.index);
    const DeviceHealth* h = after != nullptr ? after : before;
    if (h == nullptr) {
      std::string why = "no health snapshot";
      const auto& snap = doc.health.after ? doc.health.after : doc.health.before;
      if (snap) {
        for (const DeviceHealth& d : snap->devices) {
          if (d.index == g.index && !d.reason.empty()) why = d.reason;
        }
      }
      out.push_back({dev + " health", "health", kWarn, "health unavailable: " + why, 0, 0, ""});
      continue;
    }
    DeviceChecks(dev, *h, after != nullptr ? before : nullptr, out);
  }
  ThrottleChecks(doc, out);
}

}  // namespace gq
