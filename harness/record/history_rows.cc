#include "harness/record/history_rows.h"

#include "harness/case_figure.h"
#include "harness/clock.h"

namespace gq {
namespace {

int64_t InsertRun(SqliteDb& db, const ResultsDoc& doc, const std::string& source) {
  const RunInfo& r = doc.run;
  const SystemInfo& s = doc.system;
  SqliteStatement st(db,
                     "INSERT INTO runs (run_id, started_at, finished_at, tool_version, tool_git, "
                     "command, suite, interrupted, complete, hostname, os, kernel, cpu, cores, "
                     "memory_bytes, cloud_provider, instance_type, region, world_ranks, "
                     "world_nodes, world_backend, source, added_at) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.Bind(1, r.id).Bind(2, r.started_at).BindOptional(3, r.finished_at);
  st.Bind(4, r.tool_version).Bind(5, r.tool_git).Bind(6, r.command).BindOptional(7, r.suite);
  st.Bind(8, int64_t{r.interrupted}).Bind(9, int64_t{r.complete});
  st.Bind(10, s.host.hostname).Bind(11, s.host.os).Bind(12, s.host.kernel).Bind(13, s.host.cpu);
  st.Bind(14, int64_t{s.host.cores}).Bind(15, static_cast<int64_t>(s.host.memory_bytes));
  st.Bind(16, s.cloud.provider).BindOptional(17, s.cloud.instance_type);
  st.BindOptional(18, s.cloud.region);
  st.Bind(19, int64_t{s.world.ranks}).Bind(20, int64_t{s.world.nodes}).Bind(21, s.world.backend);
  st.Bind(22, source).Bind(23, UtcTimestamp());
  st.Run();
  return db.LastInsertRowId();
}

void InsertLabelsAndDevices(SqliteDb& db, int64_t run_pk, const ResultsDoc& doc) {
  SqliteStatement label(db, "INSERT INTO labels (run_pk, key, value) VALUES (?, ?, ?)");
  for (const auto& [key, value] : doc.run.labels) {
    label.Reset();
    label.Bind(1, run_pk).Bind(2, key).Bind(3, value).Run();
  }
  SqliteStatement dev(db,
                      "INSERT INTO devices (run_pk, idx, name, sku, uuid, pci_bus_id, "
                      "compute_capability, sm_count, memory_bytes, driver, cuda_runtime) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const GpuInfo& g : doc.system.devices) {
    dev.Reset();
    dev.Bind(1, run_pk).Bind(2, int64_t{g.index}).Bind(3, g.name).Bind(4, g.sku).Bind(5, g.uuid);
    dev.Bind(6, g.pci_bus_id).Bind(7, g.compute_capability).Bind(8, int64_t{g.sm_count});
    dev.Bind(9, static_cast<int64_t>(g.memory_bytes)).Bind(10, g.driver).Bind(11, g.cuda_runtime);
    dev.Run();
  }
}

void InsertCases(SqliteDb& db, int64_t run_pk, const ResultsDoc& doc) {
  SqliteStatement kase(db,
                       "INSERT INTO cases (run_pk, case_id, workload, device, sku, status, "
                       "reason, primary_metric, iterations_per_sample, rounds_planned, "
                       "rounds_done, wall_time_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SqliteStatement metric(db,
                         "INSERT INTO metrics (case_pk, name, unit, higher_is_better, median, "
                         "mean, stddev, cv, p10, p90, min, max, ci95_low, ci95_high, n) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SqliteStatement replicate(db,
                            "INSERT INTO replicates (case_pk, round, median_s) VALUES (?, ?, ?)");
  for (const CaseResult& c : doc.cases) {
    kase.Reset();
    kase.Bind(1, run_pk).Bind(2, c.id).Bind(3, c.workload).Bind(4, c.device);
    kase.Bind(5, CaseSku(doc, c)).Bind(6, std::string(CaseStatusName(c.status)));
    kase.BindOptional(7, c.reason).BindOptional(8, FigureMetric(c));
    kase.Bind(9, c.iterations_per_sample).Bind(10, int64_t{c.rounds_planned});
    kase.Bind(11, int64_t{c.rounds_done}).Bind(12, c.wall_time_s).Run();
    const int64_t case_pk = db.LastInsertRowId();
    for (const auto& [name, m] : c.metrics) {
      metric.Reset();
      metric.Bind(1, case_pk).Bind(2, name).Bind(3, m.unit).Bind(4, int64_t{m.higher_is_better});
      metric.Bind(5, m.median).Bind(6, m.mean).Bind(7, m.stddev).Bind(8, m.cv).Bind(9, m.p10);
      metric.Bind(10, m.p90).Bind(11, m.min).Bind(12, m.max).Bind(13, m.ci95_low);
      metric.Bind(14, m.ci95_high).Bind(15, m.n).Run();
    }
    const std::vector<double> medians = c.ReplicateMediansS();
    for (std::size_t i = 0; i < medians.size(); ++i) {
      replicate.Reset();
      replicate.Bind(1, case_pk).Bind(2, static_cast<int64_t>(i + 1)).Bind(3, medians[i]).Run();
    }
  }
}

}  // namespace

int64_t InsertRunRowsV1(SqliteDb& db, const ResultsDoc& doc, const std::string& raw_json,
                        const std::string& source) {
  const int64_t run_pk = InsertRun(db, doc, source);
  SqliteStatement json(db, "INSERT INTO run_json (run_pk, json) VALUES (?, ?)");
  json.Bind(1, run_pk).Bind(2, raw_json).Run();
  InsertLabelsAndDevices(db, run_pk, doc);
  InsertCases(db, run_pk, doc);
  return run_pk;
}

void InsertRunRowsV2(SqliteDb& db, int64_t run_pk, const ResultsDoc& doc) {
  SqliteStatement find(db, "SELECT case_pk FROM cases WHERE run_pk = ? AND case_id = ? AND device = ?");
  SqliteStatement param(db, "INSERT INTO params (case_pk, axis, value) VALUES (?, ?, ?)");
  for (const CaseResult& c : doc.cases) {
    find.Reset();
    find.Bind(1, run_pk).Bind(2, c.id).Bind(3, c.device);
    if (!find.Step()) continue;  // a case the v1 rows lack (cannot happen for rows gpuqual wrote)
    const int64_t case_pk = find.Int(0);
    for (const auto& [axis, value] : c.params) {
      param.Reset();
      param.Bind(1, case_pk).Bind(2, axis).Bind(3, value).Run();
    }
  }
  if (!doc.verdict) return;
  const QualifyVerdict& v = *doc.verdict;
  SqliteStatement verdict(db,
                          "INSERT INTO verdicts (run_pk, overall, baseline, instance_type, "
                          "evaluated_at) VALUES (?, ?, ?, ?, ?)");
  verdict.Bind(1, run_pk).Bind(2, std::string(QualifyStatusName(v.overall)));
  verdict.BindOptional(3, v.baseline).BindOptional(4, v.instance_type);
  verdict.BindOptional(5, v.evaluated_at).Run();
  SqliteStatement check(db,
                        "INSERT INTO checks (run_pk, seq, name, kind, status, reason, value, "
                        "threshold, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < v.checks.size(); ++i) {
    const QualifyCheck& k = v.checks[i];
    check.Reset();
    check.Bind(1, run_pk).Bind(2, static_cast<int64_t>(i + 1)).Bind(3, k.name).Bind(4, k.kind);
    check.Bind(5, std::string(QualifyStatusName(k.status))).Bind(6, k.reason).Bind(7, k.value);
    check.Bind(8, k.threshold).BindOptional(9, k.unit).Run();
  }
}

void SetRunMachine(SqliteDb& db, int64_t run_pk, const ResultsDoc& doc) {
  SqliteStatement st(db, "UPDATE runs SET machine = ? WHERE run_pk = ?");
  st.Bind(1, MachineTypeOf(doc)).Bind(2, run_pk).Run();
}

int64_t InsertRunRows(SqliteDb& db, const ResultsDoc& doc, const std::string& raw_json,
                      const std::string& source) {
  const int64_t run_pk = InsertRunRowsV1(db, doc, raw_json, source);
  InsertRunRowsV2(db, run_pk, doc);
  SetRunMachine(db, run_pk, doc);
  return run_pk;
}

}  // namespace gq
