"""Telemetry figure: clocks, power and temperature over one run, per GPU.

Each case's NVML series (t_s from the start of its timed samples) is placed after the previous
cases of the same device, offset by their wall time (prepare + warm-up + samples + verify), so
the x axis is the cases' time laid end to end (approximate run time, not clock time). A case
that drove a group of GPUs draws one line per GPU from its per-GPU telemetry. Cases that
reported throttle reasons are shaded. The title names the GPUs drawn briefly ("cuda:0 of 8
GPUs", "cuda:0–7"). Memory clock, power and temperature that read 0 throughout a case are not
reported (NVML could not read them), not drawn as 0.
"""

import re

from . import style
from .style import FigureSpec

_PANELS = (
    ("SM clock (MHz)", "sm_mhz"),
    ("Memory clock (MHz)", "memory_mhz"),
    ("Board power (W)", "power_w"),
    ("Temperature (°C)", "temperature_c"),
)
# Quantities the C++ GPU monitor leaves at 0 where NVML does not support them
# (harness/system/gpu_monitor.cc); no GPU reads exactly 0 MHz, 0 W or 0 °C a whole case long.
_ZERO_IS_UNREPORTED = ("memory_mhz", "power_w", "temperature_c")


def _readings(series, key):
    """[(t_s, value)] of one case's series, none where `key` was not reported (all 0)."""
    pts = [(float(s["t_s"]), float(s[key])) for s in series if s.get(key) is not None]
    if key in _ZERO_IS_UNREPORTED and all(v == 0 for _, v in pts):
        return []
    return pts


def _parts(row):
    """(device name, telemetry part) per GPU a case sampled: a GPU group's case (telemetry with
    "gpus") gives one part per GPU, named cuda:<index>, so every GPU gets its own line."""
    tel = row.telemetry or {}
    if not tel.get("available"):
        return []
    gpus = tel.get("gpus") or []
    if gpus:
        return [(f"cuda:{int(g.get('index', 0))}", g) for g in gpus]
    return [(row.device, tel)]


class _Item:
    """One case's readings on one GPU: what the panels draw."""

    def __init__(self, row, part):
        self.row = row
        self.case_id = row.case_id
        self.series = part.get("series") or []
        self.throttle_reasons = part.get("throttle_reasons") or []


def _timeline(rows):
    """{device: [(offset_s, item)]} per GPU with an available telemetry series; a case's offset
    is the wall time of the cases before it on the same device (a group's on each of its GPUs)."""
    out, clock = {}, {}
    for r in rows:
        parts = _parts(r)
        names = [name for name, _ in parts] or [r.device]
        t0 = max(clock.get(n, 0.0) for n in names)
        span = r.wall_time_s
        for name, part in parts:
            item = _Item(r, part)
            if item.series:
                out.setdefault(name, []).append((t0, item))
                span = max([span] + [float(s.get("t_s", 0)) for s in item.series])
        for n in names:
            clock[n] = t0 + span
    return out


def _fit(ax, ys):
    """Fits the y axis to the finite readings with a margin, so no line runs off it."""
    ys = [y for y in ys if y == y]
    if ys:
        lo, hi = min(ys), max(ys)
        pad = max(0.1 * (hi - lo), 0.005 * abs(hi), 1.0)
        ax.set_ylim(lo - pad, hi + pad)


def _names(devices):
    """GPU names in a few characters: "cuda:0", "cuda:0–7", "cuda:0–3, 6"; a count ("12 GPUs")
    where that would run long, so the figure title fits on an 8-GPU (or larger) run."""
    idx = sorted(int(d[5:]) for d in devices if re.fullmatch(r"cuda:\d+", d))
    if len(idx) == len(devices) and idx:
        spans = []
        for i in idx:
            if spans and i == spans[-1][1] + 1:
                spans[-1][1] = i
            else:
                spans.append([i, i])
        text = "cuda:" + ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)
    else:
        text = ", ".join(devices)
    return text if len(text) <= 24 else f"{len(devices)} GPUs"


def _which(run, devices):
    """The GPUs drawn, in words, saying "of N" when the run had more GPUs than are drawn."""
    names = _names(devices)
    return f"{names} of {run.gpus} GPUs" if 0 < len(devices) < run.gpus else names


def telemetry_figure(run, rows, name="telemetry"):
    """Clocks, power and temperature vs time for one run; None without telemetry series."""
    timeline = _timeline([r for r in rows if r.run is run])
    if not timeline:
        return None
    fig, axes = style.new_figure(len(_PANELS), ncols=1, panel_w=10.0, panel_h=1.9, sharex=True)
    throttled, panel_ys, unreported = [], [[] for _ in _PANELS], {}
    for i, (device, items) in enumerate(timeline.items()):
        for (ylabel, key), ax, all_ys in zip(_PANELS, axes, panel_ys):
            xs, ys = [], []
            for t0, r in items:
                pts = _readings(r.series, key)
                if not pts and r.series:
                    unreported.setdefault(ylabel.split(" (")[0], set()).add(device)
                xs += [t0 + t for t, _ in pts] + [float("nan")]  # nan: a gap between cases
                ys += [v for _, v in pts] + [float("nan")]
            ax.plot(xs, ys, color=style.color(i), label=device, linewidth=1.2)
            all_ys += ys
        for t0, r in items:
            if r.throttle_reasons:
                end = t0 + max(float(s["t_s"]) for s in r.series)
                throttled.append((t0, end, r.case_id, r.throttle_reasons))
    for t0, end, _, _ in set((t0, end, c, tuple(rs)) for t0, end, c, rs in throttled):
        for ax in axes:
            ax.axvspan(t0, max(end, t0 + 1e-3), color="#d62728", alpha=0.08, linewidth=0)
    for (ylabel, _), ax, ys in zip(_PANELS, axes, panel_ys):
        ax.set_ylabel(ylabel)
        _fit(ax, ys)
        if not any(y == y for y in ys):
            ax.set_yticks([])
            ax.text(0.5, 0.5, "not reported", transform=ax.transAxes, ha="center", va="center",
                    color="#777777")
    axes[-1].set_xlabel("Sample time, cases laid end to end (s)")
    style.legend(axes[0], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    cases = len({id(r.row) for items in timeline.values() for _, r in items})
    which = _which(run, list(timeline))
    style.finish(fig, f"Telemetry over the run — {run.label}, {which} ({cases} case(s) with readings)")
    reasons = sorted({x for _, _, _, rs in throttled for x in rs})
    caption = ("NVML readings during each case's timed samples; cases laid end to end by wall "
               "time (prepare, warm-up and verification between the readings are gaps), so the "
               "x axis is the cases' time added up, not clock time. "
               + (f"Drawn: {which}; the other GPUs have no readings of their own in this run. "
                  if len(timeline) < run.gpus else "")
               + (f"Shaded: cases with throttle reasons ({', '.join(reasons)})." if reasons
                  else "No case reported a throttle reason.")
               + "".join(f" {q} not reported (read as 0 throughout a case, not drawn) on "
                         f"{_names(sorted(d, key=list(timeline).index))}." for q, d in unreported.items()))
    return FigureSpec(name, f"Telemetry — {run.label}", caption, fig, run=run)
