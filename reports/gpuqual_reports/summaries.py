"""Per-run tables as plain data (Table), rendered by html.py and markdown.py alike.

Tables show what the results files say: machine facts, the verdict and checks from `gpuqual
qualify` (never recomputed), device health (-1 shown as unknown), measured cases and the cases
that were not measured, with their reasons.
"""

from dataclasses import dataclass, field

from . import fmt, table


@dataclass
class Table:
    """A titled table of display strings; `status_cols` name columns holding a status word."""

    title: str
    headers: list
    rows: list
    note: str = ""
    status_cols: list = field(default_factory=list)


def _gpu_lines(devices):
    groups = {}
    for d in devices:
        key = (d.get("name") or "GPU", d.get("sku") or "unknown SKU", d.get("memory_bytes") or 0,
               d.get("compute_capability") or "")
        groups[key] = groups.get(key, 0) + 1
    return [f"{n} × {name} [{sku}], {fmt.gib(mem)}, cc {cc or fmt.UNKNOWN}"
            for (name, sku, mem, cc), n in groups.items()]


def _pcie(p):
    """"Gen5 x16", with the maximum in brackets when the link runs below it."""
    if not p or p.get("gen", -1) in (-1, None):
        return fmt.UNKNOWN
    now = f"Gen{p.get('gen')} x{p.get('width')}"
    top = f"Gen{p.get('gen_max')} x{p.get('width_max')}"
    return now if now == top or p.get("gen_max", -1) == -1 else f"{now} (max {top})"


def _power(h):
    limit, default = h.get("power_limit_w"), h.get("power_default_limit_w")
    if limit == default or default in (None, -1):
        return fmt.known(limit)
    return f"{fmt.known(limit)} (default {fmt.known(default)})"


def nvidia_driver(doc):
    """The run's NVIDIA driver release(s) ("570.124.06") as NVML read them into health before and
    after the run, or None. (system.devices[].driver is not it: C++ writes the CUDA driver API
    version there, "12.8", harness/system/cuda_devices.cu.)"""
    health = doc.get("health") or {}
    releases = sorted({d.get("driver_version") for when in ("before", "after")
                       for d in (health.get(when) or {}).get("devices") or [] if d.get("driver_version")})
    return ", ".join(releases) if releases else None


def driver_text(doc):
    """The driver in one cell: the NVIDIA release, else "CUDA driver API 12.8" (from
    system.devices), else "–" (no GPUs)."""
    apis = sorted({d.get("driver") for d in (doc.get("system") or {}).get("devices") or [] if d.get("driver")})
    fallback = f"CUDA driver API {', '.join(apis)}" if apis else fmt.UNKNOWN
    return nvidia_driver(doc) or fallback


def machine_table(run):
    """Key/value facts of one run: run, host, cloud, GPUs, driver, CUDA, world."""
    doc = run.doc
    r = doc.get("run") or {}
    system = doc.get("system") or {}
    host = system.get("host") or {}
    cloud = system.get("cloud") or {}
    devices = system.get("devices") or []
    world = system.get("world") or {}
    tool = r.get("tool") or {}
    labels = r.get("labels") or {}
    rows = [
        ["Run", f"{run.run_id}" + (" (interrupted)" if r.get("interrupted") else "")],
        ["Time (UTC)", f"{fmt.text(r.get('started_at'))} → {fmt.text(r.get('finished_at'))}"],
        ["Suite / command", f"{fmt.text(r.get('suite'))} — {fmt.text(r.get('command'))}"],
        ["gpuqual", f"{fmt.text(tool.get('version'))} ({fmt.text(tool.get('git'))})"],
        ["Host", f"{run.hostname} — {fmt.text(host.get('os'))}, kernel {fmt.text(host.get('kernel'))}"],
        ["CPU / memory", f"{fmt.text(host.get('cpu'))} ({fmt.known(host.get('cores'))} cores), "
                         f"{fmt.gib(host.get('memory_bytes'))}"],
        ["Cloud", f"{run.provider} {run.instance_type or fmt.UNKNOWN}"
                  + (f" ({run.region})" if run.region else "")
                  + (f" [source: {cloud.get('source')}]" if cloud.get("source") else "")],
        ["GPUs", "; ".join(_gpu_lines(devices)) if devices else "none (cpu run)"],
    ]
    if devices:
        apis = sorted({d.get("driver") or fmt.UNKNOWN for d in devices})
        cudas = sorted({d.get("cuda_runtime") or fmt.UNKNOWN for d in devices})
        links = sorted({_pcie(d.get("pcie")) for d in devices})
        rows += [["NVIDIA driver", nvidia_driver(doc) or f"{fmt.UNKNOWN} (NVML did not report it)"],
                 ["CUDA driver API / runtime", f"{', '.join(apis)} / {', '.join(cudas)}"],
                 ["PCIe link", ", ".join(links)]]
    if world:
        rows.append(["World", f"{world.get('ranks', 1)} rank(s) on {world.get('nodes', 1)} "
                              f"node(s), {world.get('backend', 'single')}"])
    if labels:
        rows.append(["Labels", ", ".join(f"{k}={v}" for k, v in labels.items())])
    return Table(f"Machine — {run.label}", ["", ""], rows)


def _cost(x, show, note=None):
    """A cost figure of the verdict: C++ writes 0 when it has none (with usd_per_mtok_note saying
    why, harness/decide/qualify.cc), shown "–" with that note, never as a price of $0."""
    if x:
        return show(x)
    return f"{fmt.UNKNOWN} ({note})" if note else fmt.UNKNOWN


def _check_figures(c):
    """[value, threshold, unit] of a check. A check judged in words only (run complete, health
    rules) carries value = threshold = 0 and no unit: shown "–", not "0 | 0"."""
    value, threshold, unit = c.get("value"), c.get("threshold"), c.get("unit") or ""
    if not unit and not value and not threshold:
        return [fmt.UNKNOWN, fmt.UNKNOWN, ""]
    return [fmt.known(value), fmt.known(threshold), unit]


def verdict_tables(run):
    """[summary, checks] tables of the run's verdict, or [] when the file has none."""
    v = run.verdict
    if not v:
        return []
    summary = [["Overall", v.get("overall", fmt.UNKNOWN)],
               ["Baseline", fmt.text(v.get("baseline"))],
               ["Evaluated", fmt.text(v.get("evaluated_at"))]]
    cost = v.get("cost") or {}
    if cost:
        summary += [["Price", fmt.usd(cost.get("price_per_hour_usd")) + " per hour"],
                    ["TFLOP/s per $/h", _cost(cost.get("tflops_per_usd_hour"), fmt.num)],
                    ["$ per 1M tokens", _cost(cost.get("usd_per_mtok"), lambda x: fmt.usd(x, 3),
                                              cost.get("usd_per_mtok_note"))]]
    checks = [[c.get("status", ""), c.get("kind", ""), c.get("name", "")] + _check_figures(c)
              + [c.get("reason") or ""] for c in v.get("checks") or []]
    return [Table(f"Verdict — {run.label}", ["", ""], summary, status_cols=[1]),
            Table(f"Checks — {run.label}",
                  ["status", "kind", "check", "value", "threshold", "unit", "reason"], checks,
                  status_cols=[0])]


_HEALTH_COLS = (
    ("ECC", lambda h: {1: "on", 0: "off"}.get(h.get("ecc_enabled"), fmt.UNKNOWN)),
    ("ECC uncorr. vol/agg", lambda h: f"{fmt.known(h.get('ecc_volatile_uncorrected'))}/"
                                      f"{fmt.known(h.get('ecc_aggregate_uncorrected'))}"),
    ("ECC corr. vol/agg", lambda h: f"{fmt.known(h.get('ecc_volatile_corrected'))}/"
                                    f"{fmt.known(h.get('ecc_aggregate_corrected'))}"),
    ("retired SBE/DBE/pending", lambda h: f"{fmt.known(h.get('retired_pages_sbe'))}/"
                                          f"{fmt.known(h.get('retired_pages_dbe'))}/"
                                          f"{fmt.known(h.get('retired_pages_pending'))}"),
    ("remapped corr/uncorr/pend/fail", lambda h: "/".join(fmt.known(h.get(k)) for k in (
        "remapped_rows_correctable", "remapped_rows_uncorrectable", "remapped_rows_pending",
        "remapped_rows_failure"))),
    ("PCIe", lambda h: _pcie(h.get("pcie"))),
    ("power limit (W)", _power),
    ("temp (°C)", lambda h: fmt.known(h.get("temperature_c"))),
    ("driver", lambda h: fmt.text(h.get("driver_version"))),
)


def _health_cells(h):
    if h is None:
        return None
    if not h.get("available"):
        return [f"unavailable: {h.get('reason') or fmt.UNKNOWN}"] + [""] * (len(_HEALTH_COLS) - 1)
    return [f(h) for _, f in _HEALTH_COLS]


def health_table(run):
    """Device health before and after the run, one row per GPU ("before → after" where a value
    changed), or None when the file has none."""
    health = run.doc.get("health") or {}
    snaps = {when: {h.get("index"): h for h in (health.get(when) or {}).get("devices") or []}
             for when in ("before", "after")}
    rows = []
    for index in dict.fromkeys(list(snaps["before"]) + list(snaps["after"])):
        before = _health_cells(snaps["before"].get(index))
        after = _health_cells(snaps["after"].get(index))
        cells = [b if a is None or a == b else a if b is None else f"{b} → {a}"
                 for b, a in zip(before or after, after or before)]
        rows.append([str(index)] + cells)
    if not rows:
        return None
    whens = [w for w in ("before", "after") if snaps[w]]
    return Table(f"Device health — {run.label}", ["GPU"] + [c for c, _ in _HEALTH_COLS], rows,
                 note=f"Read from NVML {' and '.join(whens)} the run; a → b: changed during the "
                      "run; – = unknown.")


def _verification(ver):
    """The C++ verification outcome as text: "passed (err 1e-07, tol 1e-05)"."""
    if not ver:
        return fmt.UNKNOWN
    state = "passed" if ver.get("passed") else "failed"
    return f"{state} (err {fmt.num(ver.get('max_rel_err'), 2)}, tol {fmt.num(ver.get('tolerance'), 2)})"


def cases_table(run, rows):
    """Every measured case of the run with its primary figure, CI, efficiency, verification."""
    out = []
    for r in table.measured([x for x in rows if x.run is run]):
        rf = r.roofline or {}
        cv = (r.metrics.get(r.primary) or {}).get("cv")
        out.append([r.case_id, r.device, r.status, fmt.num(r.median), fmt.ci(table.primary_point(r)),
                    r.unit, fmt.pct(cv), fmt.pct(rf.get("efficiency")) if rf else fmt.UNKNOWN,
                    _verification(r.verification)])
    return Table(f"Measured cases — {run.label}",
                 ["case", "device", "status", "median", "95% CI", "unit", "CV", "of peak",
                  "verification"], out, status_cols=[2])


def not_measured_table(rows):
    """Failed, skipped and invalid cases of `rows` with their reasons, or None when none."""
    out = [[r.run.label, r.case_id, r.device, r.status, r.reason or fmt.UNKNOWN]
           for r in table.not_measured(rows)]
    noisy = [[r.run.label, r.case_id, r.device, r.status, r.reason or fmt.UNKNOWN]
             for r in rows if r.status == "noisy"]
    if not out and not noisy:
        return None
    return Table("Cases not measured (and noisy ones)", ["run", "case", "device", "status", "reason"],
                 out + noisy, note="Failed, skipped and invalid cases are not plotted; noisy cases "
                 "are plotted and listed here.", status_cols=[3])
