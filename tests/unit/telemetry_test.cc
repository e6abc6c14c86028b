#include "harness/measure/telemetry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/unit/fake_gpu_monitor.h"

namespace gq {
namespace {

using testing::FakeGpuMonitor;
using testing::Reading;
using testing::ScriptedReading;
using Readings = std::vector<std::pair<TelemetrySample, uint64_t>>;

constexpr double kLongPeriod = 3600;  // only the Begin and End readings happen

Readings Pairs(const std::vector<ScriptedReading>& script) {
  Readings out;
  for (const ScriptedReading& r : script) out.emplace_back(r.sample, r.throttle_mask);
  return out;
}

const std::vector<ScriptedReading> kScript = {
    Reading(1980, 2619, 600, 60, nvml::kReasonGpuIdle),
    Reading(1755, 2619, 700, 71, nvml::kReasonSwPowerCap),
    Reading(1830, 2619, 690, 74, nvml::kReasonSwPowerCap | nvml::kReasonHwThermalSlowdown),
    Reading(1905, 1593, 650, 69, 0),
    Reading(1980, 2619, 660, 65, nvml::kReasonGpuIdle),
};

TEST(SummariseTelemetryTest, StatisticsOverTheReadings) {
  TelemetrySummary t = SummariseTelemetry(Pairs(kScript), 0.05, 2.0, 1000, 6000);
  EXPECT_TRUE(t.available);
  EXPECT_EQ(t.samples, 5);
  EXPECT_DOUBLE_EQ(t.period_s, 0.05);
  EXPECT_DOUBLE_EQ(t.sm_mhz_min, 1755);
  EXPECT_DOUBLE_EQ(t.sm_mhz_median, 1905);
  EXPECT_DOUBLE_EQ(t.memory_mhz_median, 2619);
  EXPECT_DOUBLE_EQ(t.temperature_c_max, 74);
  EXPECT_DOUBLE_EQ(t.power_w_mean, 660);
  EXPECT_DOUBLE_EQ(t.power_w_max, 700);
  EXPECT_DOUBLE_EQ(t.energy_j, 5.0);  // (6000 - 1000) mJ
  // gpu_idle is left out of the union; the rest in bit order.
  EXPECT_EQ(t.throttle_reasons, (std::vector<std::string>{"sw_power_cap", "hw_thermal"}));
  ASSERT_EQ(t.series.size(), 5u);
  EXPECT_DOUBLE_EQ(t.series[1].sm_mhz, 1755);
}

TEST(SummariseTelemetryTest, EnergyFallsBackToMeanPowerTimesElapsed) {
  // No counter (pre-Volta), a counter that did not tick, and one that restarted (driver reload).
  EXPECT_DOUBLE_EQ(
      SummariseTelemetry(Pairs(kScript), 0.05, 2.0, std::nullopt, std::nullopt).energy_j, 1320.0);
  EXPECT_DOUBLE_EQ(SummariseTelemetry(Pairs(kScript), 0.05, 2.0, 5000, std::nullopt).energy_j,
                   1320.0);
  EXPECT_DOUBLE_EQ(SummariseTelemetry(Pairs(kScript), 0.05, 2.0, 5000, 5000).energy_j, 1320.0);
  EXPECT_DOUBLE_EQ(SummariseTelemetry(Pairs(kScript), 0.05, 2.0, 5000, 10).energy_j, 1320.0);
}

TEST(SummariseTelemetryTest, OnlyIdleMeansNoThrottleReasons) {
  Readings idle = {{TelemetrySample{0, 1980, 2619, 100, 40}, nvml::kReasonGpuIdle}};
  EXPECT_TRUE(
      SummariseTelemetry(idle, 0.05, 1, std::nullopt, std::nullopt).throttle_reasons.empty());
  EXPECT_THROW(SummariseTelemetry({}, 0.05, 1, std::nullopt, std::nullopt), std::invalid_argument);
}

TEST(ThinSeriesTest, KeepsAtMostTheLimitEvenlyWithBothEnds) {
  std::vector<TelemetrySample> series;
  for (int i = 0; i < 200; ++i)
    series.push_back(TelemetrySample{static_cast<double>(i), 0, 0, 0, 0});
  std::vector<TelemetrySample> thin = ThinSeries(series, 64);
  ASSERT_EQ(thin.size(), 64u);
  EXPECT_DOUBLE_EQ(thin.front().t_s, 0);
  EXPECT_DOUBLE_EQ(thin.back().t_s, 199);
  for (std::size_t i = 1; i < thin.size(); ++i) {
    const double step = thin[i].t_s - thin[i - 1].t_s;
    EXPECT_GE(step, 3);  // 199 / 63 = 3.16 on average
    EXPECT_LE(step, 4);
  }
  EXPECT_EQ(ThinSeries(std::vector<TelemetrySample>(10), 64).size(), 10u);
  EXPECT_EQ(ThinSeries(series, 1).size(), 1u);
}

TEST(TelemetrySamplerTest, SamplesTheDeviceOnABackgroundThread) {
  FakeGpuMonitor monitor;
  monitor.SetReadings(kScript);
  monitor.SetEnergy({1000, 6000});
  TelemetrySampler sampler(monitor, 0.001);
  sampler.Begin(3);
  EXPECT_TRUE(sampler.running());
  ASSERT_TRUE(monitor.WaitServed(kScript.size()));
  TelemetrySummary t = sampler.End();
  EXPECT_FALSE(sampler.running());
  ASSERT_TRUE(t.available) << t.reason;
  EXPECT_EQ(t.samples, 5);
  EXPECT_DOUBLE_EQ(t.period_s, 0.001);
  EXPECT_DOUBLE_EQ(t.sm_mhz_min, 1755);
  EXPECT_DOUBLE_EQ(t.sm_mhz_median, 1905);
  EXPECT_DOUBLE_EQ(t.temperature_c_max, 74);
  EXPECT_DOUBLE_EQ(t.power_w_mean, 660);
  EXPECT_DOUBLE_EQ(t.energy_j, 5.0);
  EXPECT_EQ(t.throttle_reasons, (std::vector<std::string>{"sw_power_cap", "hw_thermal"}));
  ASSERT_EQ(t.series.size(), 5u);
  for (std::size_t i = 1; i < t.series.size(); ++i) EXPECT_GE(t.series[i].t_s, t.series[i - 1].t_s);
  EXPECT_GE(t.series.front().t_s, 0);
  for (int index : monitor.indices_seen()) EXPECT_EQ(index, 3);
}

TEST(TelemetrySamplerTest, LongWindowsAreThinnedTo64Readings) {
  std::vector<ScriptedReading> script;
  for (int i = 0; i < 150; ++i) script.push_back(Reading(1000 + i, 2600, 500, 50));
  FakeGpuMonitor monitor;
  monitor.SetReadings(script);
  TelemetrySampler sampler(monitor, 0.0002);
  sampler.Begin(0);
  ASSERT_TRUE(monitor.WaitServed(script.size()));
  TelemetrySummary t = sampler.End();
  EXPECT_EQ(t.samples, 150);
  ASSERT_EQ(t.series.size(), kMaxTelemetrySeries);
  EXPECT_DOUBLE_EQ(t.series.front().sm_mhz, 1000);
  EXPECT_DOUBLE_EQ(t.series.back().sm_mhz, 1149);
  EXPECT_DOUBLE_EQ(t.sm_mhz_min, 1000);
}

TEST(TelemetrySamplerTest, WithoutACounterEnergyIsMeanPowerTimesTheWindow) {
  FakeGpuMonitor monitor;
  monitor.SetReadings({Reading(1980, 2619, 400, 60), Reading(1980, 2619, 400, 60)});
  TelemetrySampler sampler(monitor, kLongPeriod);
  const auto before = std::chrono::steady_clock::now();
  sampler.Begin(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  TelemetrySummary t = sampler.End();
  const auto after = std::chrono::steady_clock::now();
  EXPECT_EQ(t.samples, 2);  // the Begin and End readings
  // The window holds the whole sleep (Begin returned before it, End was called after it), and
  // lies within [before, after]: no bound depends on how promptly the thread was scheduled.
  const double lo = 0.020;
  const double hi = std::chrono::duration<double>(after - before).count();
  EXPECT_GE(t.energy_j, 400 * lo);
  EXPECT_LE(t.energy_j, 400 * hi);
}

TEST(TelemetrySamplerTest, UnavailableMonitorGivesTheReasonAndNeverReads) {
  FakeGpuMonitor monitor("unavailable: cannot load libnvidia-ml.so.1: not found");
  TelemetrySampler sampler(monitor, 0.001);
  sampler.Begin(0);
  TelemetrySummary t = sampler.End();
  EXPECT_FALSE(t.available);
  EXPECT_EQ(t.reason, "unavailable: cannot load libnvidia-ml.so.1: not found");
  EXPECT_EQ(monitor.read_calls(), 0);
}

TEST(TelemetrySamplerTest, NoReadingsIsUnavailableWithAReason) {
  FakeGpuMonitor monitor;  // available, but no scripted readings
  TelemetrySampler sampler(monitor, kLongPeriod);
  sampler.Begin(1);
  TelemetrySummary t = sampler.End();
  EXPECT_FALSE(t.available);
  EXPECT_NE(t.reason.find("no telemetry readings from cuda:1"), std::string::npos);
}

TEST(TelemetrySamplerTest, MisuseThrowsAndTheDestructorStopsTheThread) {
  FakeGpuMonitor monitor;
  EXPECT_THROW((TelemetrySampler{monitor, 0}), std::invalid_argument);
  EXPECT_THROW((TelemetrySampler{monitor, -1}), std::invalid_argument);
  {
    TelemetrySampler sampler(monitor, 0.001);
    EXPECT_THROW(sampler.End(), std::logic_error);
    sampler.Begin(0);
    EXPECT_THROW(sampler.Begin(0), std::logic_error);
  }  // destroyed while sampling: must stop and join without hanging
  TelemetrySampler again(monitor, 0.001);
  again.Begin(0);
  again.End();
  again.Begin(0);  // reusable after End
  EXPECT_TRUE(again.running());
}

TEST(TelemetryScopeTest, SamplesCudaDevicesOnlyAndClosesOnScopeExit) {
  FakeGpuMonitor monitor;
  monitor.SetReadings({Reading(1980, 2619, 400, 60), Reading(1980, 2619, 400, 60)});
  TelemetrySampler sampler(monitor, kLongPeriod);
  {
    TelemetryScope cpu(&sampler, DeviceRef{DeviceRef::Kind::kCpu, 0});
    EXPECT_FALSE(sampler.running());
    EXPECT_FALSE(cpu.End().has_value());
  }
  {
    TelemetryScope off(nullptr, DeviceRef{DeviceRef::Kind::kCuda, 0});
    EXPECT_FALSE(off.End().has_value());
  }
  {
    TelemetryScope gpu(&sampler, DeviceRef{DeviceRef::Kind::kCuda, 2});
    EXPECT_TRUE(sampler.running());
    std::optional<TelemetrySummary> t = gpu.End();
    ASSERT_TRUE(t.has_value());
    EXPECT_TRUE(t->available);
    EXPECT_FALSE(gpu.End().has_value());  // once only
  }
  {
    TelemetryScope abandoned(&sampler, DeviceRef{DeviceRef::Kind::kCuda, 0});
    EXPECT_TRUE(sampler.running());
  }
  EXPECT_FALSE(sampler.running());
}

// A group of GPUs: energy and power summed, clocks the lowest, temperature the highest, throttle
// reasons the union, each GPU's own figures kept (a hot GPU 1 is not hidden by GPU 0).
TEST(SummariseGroupTelemetryTest, GroupFiguresAndEveryGpusOwn) {
  using R = std::pair<TelemetrySample, uint64_t>;
  auto at = [](double t, double sm, double power, double temp, uint64_t mask = 0) {
    return R{TelemetrySample{t, sm, 2619, power, temp}, mask};
  };
  std::vector<TelemetryTick> ticks = {
      {{at(0.0, 1980, 500, 60), at(0.0, 1980, 400, 61)}},
      {{at(0.1, 1900, 700, 65), at(0.1, 1500, 650, 88, nvml::kReasonHwThermalSlowdown)}},
      {{at(0.2, 1950, 690, 66), std::nullopt}},  // GPU 1 not read at this tick
  };
  const std::vector<GpuEnergyReads> energy = {{1000, 61000}, {5000, 45000}};
  TelemetrySummary t = SummariseGroupTelemetry({2, 3}, ticks, energy, 0.1, 0.25);
  ASSERT_TRUE(t.available);
  ASSERT_EQ(t.gpus.size(), 2u);
  EXPECT_EQ(t.gpus[0].index, 2);
  EXPECT_EQ(t.gpus[1].index, 3);
  EXPECT_DOUBLE_EQ(t.gpus[0].energy_j, 60.0);
  EXPECT_DOUBLE_EQ(t.gpus[1].energy_j, 40.0);
  EXPECT_DOUBLE_EQ(t.energy_j, 100.0);  // the group's: what joules_per_token divides
  EXPECT_EQ(t.samples, 5);
  EXPECT_DOUBLE_EQ(t.gpus[0].power_w_mean, 630.0);
  EXPECT_DOUBLE_EQ(t.gpus[1].power_w_mean, 525.0);
  EXPECT_DOUBLE_EQ(t.power_w_mean, 1155.0);
  EXPECT_DOUBLE_EQ(t.power_w_max, 1350.0);  // tick 1, where both were read
  EXPECT_DOUBLE_EQ(t.sm_mhz_min, 1500.0);
  EXPECT_DOUBLE_EQ(t.temperature_c_max, 88.0);
  EXPECT_TRUE(t.gpus[0].throttle_reasons.empty());
  EXPECT_EQ(t.gpus[1].throttle_reasons, (std::vector<std::string>{"hw_thermal"}));
  EXPECT_EQ(t.throttle_reasons, (std::vector<std::string>{"hw_thermal"}));
  ASSERT_EQ(t.series.size(), 3u);
  EXPECT_DOUBLE_EQ(t.series[1].power_w, 1350.0);
  EXPECT_DOUBLE_EQ(t.series[1].sm_mhz, 1500.0);
  EXPECT_DOUBLE_EQ(t.series[1].temperature_c, 88.0);
  EXPECT_DOUBLE_EQ(t.series[2].power_w, 690.0);  // only GPU 0 read
}

TEST(SummariseGroupTelemetryTest, OneGpuIsThePlainSummaryAndNoReadingsSayWhich) {
  std::vector<TelemetryTick> ticks;
  for (const auto& r : Pairs(kScript)) ticks.push_back({{r}});
  const TelemetrySummary one = SummariseGroupTelemetry({0}, ticks, {{1000, 6000}}, 0.05, 2.0);
  const TelemetrySummary plain = SummariseTelemetry(Pairs(kScript), 0.05, 2.0, 1000, 6000);
  EXPECT_TRUE(one.gpus.empty());
  EXPECT_DOUBLE_EQ(one.energy_j, plain.energy_j);
  EXPECT_DOUBLE_EQ(one.sm_mhz_median, plain.sm_mhz_median);
  EXPECT_EQ(one.throttle_reasons, plain.throttle_reasons);
  const TelemetrySummary none = SummariseGroupTelemetry({4, 5}, {}, {}, 0.05, 1.0);
  EXPECT_FALSE(none.available);
  EXPECT_EQ(none.reason, "no telemetry readings from cuda:4, cuda:5");
}

TEST(TelemetrySamplerTest, AGroupIsSampledOnEveryGpu) {
  FakeGpuMonitor monitor;
  monitor.SetReadingsFor(0, {Reading(1980, 2619, 600, 60), Reading(1980, 2619, 610, 61)});
  monitor.SetReadingsFor(1, {Reading(1980, 2619, 500, 70), Reading(1600, 2619, 520, 90, nvml::kReasonHwPowerBrakeSlowdown)});
  monitor.SetEnergyFor(0, {1000, 11000});
  monitor.SetEnergyFor(1, {2000, 32000});
  TelemetrySampler sampler(monitor, kLongPeriod);
  TelemetryScope scope(&sampler, DeviceRef{DeviceRef::Kind::kCuda, 0, 2});  // cuda:0-1
  std::optional<TelemetrySummary> t = scope.End();
  ASSERT_TRUE(t && t->available);
  ASSERT_EQ(t->gpus.size(), 2u);
  EXPECT_DOUBLE_EQ(t->energy_j, 40.0);  // 10 J + 30 J
  EXPECT_EQ(t->gpus[1].throttle_reasons, (std::vector<std::string>{"hw_power_brake"}));
  EXPECT_DOUBLE_EQ(t->temperature_c_max, 90.0);
  std::vector<int> seen = monitor.indices_seen();
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 2);  // both ticks read GPU 1 too
}

TEST(EnergyMetricsTest, JoulesPerTflopAndPerTokenOverTheSampledIterations) {
  TelemetrySummary t;
  t.available = true;
  t.energy_j = 50;
  Work work;
  work.flops = 2e12;
  work.tokens = 100;
  std::vector<std::pair<std::string, MetricResult>> metrics;
  AppendEnergyMetrics(t, work, 10, metrics);
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].first, "joules_per_tflop");
  EXPECT_DOUBLE_EQ(metrics[0].second.median, 50.0 / 20.0);  // 20 TFLOP over 10 iterations
  EXPECT_EQ(metrics[0].second.unit, "J/TFLOP");
  EXPECT_FALSE(metrics[0].second.higher_is_better);
  EXPECT_EQ(metrics[0].second.n, 1);
  EXPECT_DOUBLE_EQ(metrics[0].second.ci95_low, metrics[0].second.median);
  EXPECT_DOUBLE_EQ(metrics[0].second.max, metrics[0].second.median);
  EXPECT_EQ(metrics[1].first, "joules_per_token");
  EXPECT_DOUBLE_EQ(metrics[1].second.mean, 50.0 / 1000.0);
  EXPECT_EQ(metrics[1].second.unit, "J/token");

  metrics.clear();
  t.energy_j = 0;
  AppendEnergyMetrics(t, work, 10, metrics);
  t.energy_j = 50;
  t.available = false;
  AppendEnergyMetrics(t, work, 10, metrics);
  t.available = true;
  AppendEnergyMetrics(t, Work{}, 10, metrics);  // no flops, no tokens
  EXPECT_TRUE(metrics.empty());
}

}  // namespace
}  // namespace gq
