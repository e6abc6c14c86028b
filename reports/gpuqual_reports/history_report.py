"""The history report: `gpuqual report --history` computes the trends (C++), writes them to
DIR/trend.json and runs `python3 -m gpuqual_reports --history-trend DIR/trend.json -o DIR`; this
module draws that file: one PNG per case (figures_history), index.html (self-contained, like
the results report) and summary.md with the change points listed. It judges nothing: the change
points, their calls and figures are read from the file.
"""

import argparse
import datetime
import os
import sys

from . import fmt, html, markdown, outfile, style
from .errors import ReportInputError
from .figures_history import metric_label, run_order, series_scale, trend_figures, unused_reason
from .history_load import load_trend
from .summaries import Table

PROG = "gpuqual report --history"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise ReportInputError(f"{message} (see {PROG} --help)")


def _parser():
    p = _Parser(prog=PROG, description="Draw the trends of the results history.")
    p.add_argument("--history-trend", required=True, metavar="FILE",
                   help="trend file (gpuqual.trend/1) from gpuqual history trend --json")
    p.add_argument("-o", "--output", default="reports-out", metavar="DIR")
    p.add_argument("--title")
    return p


def _pct(x):
    return f"{x:+.1%}"


def _where(s):
    """A series' device, with its machine when the runs name one (one series per machine)."""
    return f"{s.device} ({s.machine})" if s.machine else s.device


def change_table(trend):
    """Every change point of every series, in case order; before/after are the geometric means of
    the rule's windows either side (ChangePoint.before/after, harness/decide/change_points.h)."""
    rows = []
    for s in trend.series:
        factor, unit = series_scale([s])
        for c in s.change_points:
            rows.append([s.case_id, _where(s), c.commit or fmt.UNKNOWN, c.started_at[:16].replace("T", " "),
                         c.call, _pct(c.change), f"{_pct(c.ratio_low - 1)} .. {_pct(c.ratio_high - 1)}"
                         if s.higher_is_better else f"{_pct(1 / c.ratio_high - 1)} .. {_pct(1 / c.ratio_low - 1)}",
                         f"{c.p_value:.2g}", f"{fmt.num(c.before * factor)} → {fmt.num(c.after * factor)} {unit}",
                         c.run_id])
    return Table("Change points", ["case", "device", "at commit", "date (UTC)", "call", "change",
                                   "change CI", "p", "window means before → after", "first run"], rows,
                 note=f"Rule: {trend.rule_text}. Change in the metric's better direction (+ is better). "
                      "Window means: the geometric mean of the run medians in the rule's window just "
                      "before and just after the change point; the Series table's levels are the "
                      "median of all runs between change points, so the two differ.")


def series_table(trend):
    """One row per series: runs, runs used, the level (median) between change points, the latest
    value; why nothing is drawn for a series no run measured."""
    rows = []
    for s in trend.series:
        used = [p for p in s.points if p.used]
        last = used[-1] if used else None
        factor, unit = series_scale([s])
        levels = " → ".join(fmt.num(level * factor) for _, _, level in s.segments)
        rows.append([s.case_id, s.machine or fmt.UNKNOWN, s.device, s.sku, f"{metric_label(s.metric)} ({unit})",
                     str(len(s.points)),
                     str(len(used)), levels or f"none: {unused_reason(s)}",
                     fmt.num(last.median * factor) if last else fmt.UNKNOWN, str(len(s.change_points))])
    return Table("Series", ["case", "machine", "device", "sku", "metric", "runs", "used",
                            "level medians between change points", "latest", "change points"], rows,
                 note="Levels: the median of the runs between change points (one level without a "
                      "change point). A series no run measured has no level and no figure; the "
                      "column says why.")


def not_drawn(trend):
    """[(case_id, device, why)] of the series with nothing to draw."""
    return [(s.case_id, s.device, unused_reason(s)) for s in trend.series if unused_reason(s)]


def points_table(trend, case_id):
    """The runs of one case: date, commit, tool git, per series median and CI, status."""
    series = [s for s in trend.series if s.case_id == case_id]
    factor, unit = series_scale(series) if series else (1.0, "")
    rows = []
    for s in series:
        for p in s.points:
            ci = (f"{fmt.num(p.ci95_low * factor)} .. {fmt.num(p.ci95_high * factor)}"
                  if p.median is not None else fmt.UNKNOWN)
            rows.append([p.started_at[:16].replace("T", " "), p.commit or fmt.UNKNOWN, p.tool_git,
                         _where(s), fmt.num(None if p.median is None else p.median * factor), ci,
                         p.status, f"{p.rounds_done}/{p.rounds_planned}", p.run_id])
    return Table(f"Runs of {case_id}", ["date (UTC)", "commit", "tool git", "device",
                                        f"median ({unit})", "95% CI", "status", "rounds", "run"],
                 rows, status_cols=[6])


def _title(trend, title):
    if title:
        return title
    runs = {p.run_id for s in trend.series for p in s.points}
    return f"gpuqual history — {len({s.case_id for s in trend.series})} case(s) over {len(runs)} run(s)"


def render_html(trend, figures, title, generated_at, out_dir):
    body = ['<h2 id="overview">Overview</h2>',
            f'<p class="note">Database <code>{html._e(trend.database)}</code>; filters '
            f'{html._e(_filters(trend))}; trend file <code>trend.json</code>.</p>',
            html.table_html(change_table(trend)), html.table_html(series_table(trend)),
            '<h2 id="figures">Trends</h2>']
    skipped = not_drawn(trend)
    if skipped:
        body.append('<p class="note">No figure for: ' + "; ".join(
            f"<code>{html._e(c)}</code> ({html._e(d)}): {html._e(why)}" for c, d, why in skipped) + ".</p>")
    for spec in figures:
        body.append(html.figure_html(spec, out_dir))
        body.append(f"<details><summary>Runs of {html._e(spec.title)}</summary>"
                    f"{html.table_html(points_table(trend, spec.title))}</details>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html._e(title)}</title><style>{html._CSS}</style></head>
<body><header class="top"><h1>{html._e(title)}</h1>
<p>Generated {html._e(generated_at)} from the results history ({html._e(trend.path)}).</p>
</header><main><nav><a href="#overview">Overview</a><a href="#figures">Trends</a></nav>
{chr(10).join(body)}
<footer>Made by <code>gpuqual report --history</code>. Change points were found by gpuqual
(<code>gpuqual history trend</code>); this report draws and tabulates them. Error bars are the 95%
confidence interval of each run's median.</footer>
</main></body></html>
"""


def _filters(trend):
    f = trend.filters or {}
    if f.get("text"):  # gpuqual's own words (trend files since schema text was added)
        return f["text"]
    parts = [f"sku {f['sku']}"] if f.get("sku") else []
    parts += [f"label {k}={v}" for k, v in (f.get("labels") or {}).items()]
    parts += [f"since {f['since']}"] if f.get("since") else []
    return ", ".join(parts) or "none"


def render_markdown(trend, title, generated_at):
    out = [f"# {markdown._esc(title)}", "",
           f"_Generated {generated_at} from the results history (filters: {markdown._esc(_filters(trend))}). "
           "Figures: `index.html` and the PNGs beside this file._", ""]
    out += markdown.table_md(change_table(trend))
    out += markdown.table_md(series_table(trend))
    out += [f"- No figure for `{c}` ({markdown._esc(d)}): {markdown._esc(why)}." for c, d, why in not_drawn(trend)]
    return "\n".join(out) + "\n"


def run(argv):
    """Parses argv, draws the trend file into the output directory; returns the written paths."""
    args = _parser().parse_args(argv)
    trend = load_trend(args.history_trend)
    if not trend.series:
        raise ReportInputError(f"{args.history_trend}: no series to draw")
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise ReportInputError(f"{args.output}: output path exists and is not a directory")
    figures = trend_figures(trend)
    title = _title(trend, args.title)
    generated_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    paths = []
    try:
        os.makedirs(args.output, exist_ok=True)
        for spec in figures:
            path = os.path.join(args.output, f"{spec.name}.png")
            style.save(spec, path)
            paths.append(path)
        for name, text in (("index.html", render_html(trend, figures, title, generated_at, args.output)),
                           ("summary.md", render_markdown(trend, title, generated_at))):
            path = os.path.join(args.output, name)
            outfile.write_text(path, text)
            paths.append(path)
    except OSError as e:
        raise ReportInputError(f"{e.filename or args.output}: cannot write ({e.strerror or e})") from None
    stale = outfile.others_note(args.output, paths)
    if stale:
        print(f"gpuqual report: warning: {stale}", file=sys.stderr)
    changes = sum(len(s.change_points) for s in trend.series)
    print(f"report: {os.path.join(args.output, 'index.html')} ({len(figures)} trend figure(s), "
          f"{len(trend.series)} series, {changes} change point(s), {len(run_order(trend.series))} run(s))")
    return paths
