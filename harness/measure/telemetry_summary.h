#pragma once
// Pure functions that turn telemetry readings into a TelemetrySummary (results.h); the sampler
// (telemetry.h) collects the readings.
//
// One GPU (SummariseTelemetry): clocks min/median, temperature and power max, mean power; energy_j
// = (energy_end - energy_begin) / 1000 when both counter reads exist and the counter advanced,
// otherwise mean power x elapsed_s (the counter is absent before Volta, may not have ticked within
// a short window, and restarts when the driver reloads). throttle_reasons is the union of the
// readings' reason bits without "gpu_idle": the device can report idle in the gaps between kernel
// launches (and at the first and last readings, right around the work), which says nothing about
// clocks being held down while the case runs.
//
// A group of G > 1 GPUs (SummariseGroupTelemetry), read together at each tick of the sampler:
//   gpus[g]            each GPU's own figures as above (series thinned)
//   energy_j           sum over GPUs (the group's energy: what joules_per_token divides)
//   power_w_mean       sum of the GPUs' mean power
//   power_w_max        max over ticks of the sum of the GPUs' power at that tick (ticks where
//                      every GPU was read; else the sum of the GPUs' maxima)
//   sm_mhz_min         min over GPUs; sm_mhz_median, memory_mhz_median over all readings
//   temperature_c_max  max over GPUs;   throttle_reasons: union over GPUs;  samples: all readings
//   series             per tick: sm and memory clocks the lowest GPU's, power the sum,
//                      temperature the highest (thinned)
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "harness/results.h"

namespace gq {

// Most readings kept in a series; longer windows are thinned evenly.
inline constexpr std::size_t kMaxTelemetrySeries = 64;

// Summary of one GPU's readings (reading, throttle mask) taken over `elapsed_s` seconds.
// `readings` must not be empty (std::invalid_argument).
TelemetrySummary SummariseTelemetry(
    const std::vector<std::pair<TelemetrySample, uint64_t>>& readings, double period_s,
    double elapsed_s, std::optional<uint64_t> energy_begin_mj,
    std::optional<uint64_t> energy_end_mj);

// One tick of the sampler over a group: readings[g] is GPU g's (absent when it gave none).
struct TelemetryTick {
  std::vector<std::optional<std::pair<TelemetrySample, uint64_t>>> readings;
};

// Per GPU g of `indices`: its energy counter at the start and end of the window.
struct GpuEnergyReads {
  std::optional<uint64_t> begin_mj, end_mj;
};

// Summary of a window over the GPUs `indices` (one or more). With one GPU it equals
// SummariseTelemetry of that GPU's readings (gpus empty). A GPU without a single reading is left
// out of gpus[] and the figures; none at all gives available = false with the reason.
TelemetrySummary SummariseGroupTelemetry(const std::vector<int>& indices,
                                         const std::vector<TelemetryTick>& ticks,
                                         const std::vector<GpuEnergyReads>& energy, double period_s,
                                         double elapsed_s);

// At most `max_points` elements of `series`, evenly spaced by index, first and last included.
std::vector<TelemetrySample> ThinSeries(const std::vector<TelemetrySample>& series,
                                        std::size_t max_points);

}  // namespace gq
