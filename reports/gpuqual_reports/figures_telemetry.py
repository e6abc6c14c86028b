"""Telemetry figure: clocks, power and temperature over one run, per GPU.

Each case's NVML series (t_s from the start of its timed samples) is placed after the previous
cases of the same device, offset by their wall time (prepare + warm-up + samples + verify), so
the x axis is approximate run time. Cases that reported throttle reasons are shaded.
"""

from . import style
from .style import FigureSpec

_PANELS = (
    ("SM clock (MHz)", "sm_mhz"),
    ("Memory clock (MHz)", "memory_mhz"),
    ("Board power (W)", "power_w"),
    ("Temperature (°C)", "temperature_c"),
)


def _timeline(rows):
    """{device: [(offset_s, row)]} for rows with an available telemetry series."""
    out, clock = {}, {}
    for r in rows:
        t0 = clock.get(r.device, 0.0)
        tel = r.telemetry or {}
        series = tel.get("series") or []
        if tel.get("available") and series:
            out.setdefault(r.device, []).append((t0, r))
        span = max([float(s.get("t_s", 0)) for s in series] + [r.wall_time_s])
        clock[r.device] = t0 + span
    return out


def telemetry_figure(run, rows, name="telemetry"):
    """Clocks, power and temperature vs time for one run; None without telemetry series."""
    timeline = _timeline([r for r in rows if r.run is run])
    if not timeline:
        return None
    fig, axes = style.new_figure(len(_PANELS), ncols=1, panel_w=10.0, panel_h=1.9, sharex=True)
    throttled = []
    for i, (device, items) in enumerate(timeline.items()):
        for (_, key), ax in zip(_PANELS, axes):
            xs, ys = [], []
            for t0, r in items:
                for s in r.telemetry["series"]:
                    if s.get(key) is not None:
                        xs.append(t0 + float(s["t_s"]))
                        ys.append(float(s[key]))
                xs.append(float("nan"))  # gap between cases
                ys.append(float("nan"))
            ax.plot(xs, ys, color=style.color(i), label=device, linewidth=1.2)
        for t0, r in items:
            reasons = r.telemetry.get("throttle_reasons") or []
            if reasons:
                end = t0 + max(float(s["t_s"]) for s in r.telemetry["series"])
                throttled.append((t0, end, r.case_id, reasons))
    for t0, end, _, _ in throttled:
        for ax in axes:
            ax.axvspan(t0, max(end, t0 + 1e-3), color="#d62728", alpha=0.08, linewidth=0)
    for (ylabel, _), ax in zip(_PANELS, axes):
        ax.set_ylabel(ylabel)
    axes[-1].set_xlabel("Time in run (s)")
    style.legend(axes[0], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    cases = sum(len(items) for items in timeline.values())
    style.finish(fig, f"Telemetry over the run — {run.label} ({cases} case(s) with readings)")
    reasons = sorted({x for _, _, _, rs in throttled for x in rs})
    caption = ("NVML readings during each case's timed samples; cases laid end to end by wall "
               "time (prepare, warm-up and verification between the readings are gaps). "
               + (f"Shaded: cases with throttle reasons ({', '.join(reasons)})." if reasons
                  else "No case reported a throttle reason."))
    return FigureSpec(name, f"Telemetry — {run.label}", caption, fig, run=run)
