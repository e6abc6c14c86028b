"""The report pipeline: Run records (+ the procurement figures C++ made) -> tidy table -> display
comparison -> figures -> files.

build() makes the Report model (no files); write() saves the PNGs, index.html, summary.md and
data.csv into a directory. Each figure comes from one function; a function returns None when
its data is absent, and that figure is left out. A figure is drawn as it is made: one whose
figures no axis can hold (a valid file may hold a median of 1e308) is left out too, with a note
in Report.notes, and the rest of the report stands.
"""

import datetime
import os
import warnings
from dataclasses import dataclass, field

from . import compare, data_csv, html, markdown, style, table
from .figures_attention import attention_figure
from .figures_bandwidth import collective_figure, membw_figure
from .figures_compare import cases_figure, score_figure, spread_figure, tokens_cost_figure
from .figures_e2e import e2e_figure
from .figures_gemm import gemm_figure
from .figures_roofline import roofline_figure
from .figures_telemetry import telemetry_figure


@dataclass
class Report:
    """Everything the writers need. `comparison` is None for one machine without a baseline."""

    title: str
    generated_at: str
    runs: list
    rows: list
    baseline: object = None  # baseline.Baseline
    comparison: object = None  # compare.Comparison
    procurement: object = None  # procurement.Procurement: ranking, scores, costs (from C++)
    spread: dict = field(default_factory=dict)
    figures: list = field(default_factory=list)  # style.FigureSpec
    notes: list = field(default_factory=list)  # figures left out, in words

    @property
    def multi(self):
        """True when the report compares several machines."""
        return len({r.machine for r in self.runs}) > 1


def _default_title(runs):
    machines = list(dict.fromkeys(r.machine for r in runs))
    if len(machines) == 1:
        return f"gpuqual report — {machines[0]} ({runs[0].sku})"
    return f"gpuqual comparison — {len(machines)} machines, {len(runs)} runs"


# What matplotlib and the figure arithmetic raise for values no axis can draw ("Axis limits
# cannot be NaN or Inf" after 1e308 * 2.5, a median of 0 divided by).
_UNDRAWABLE = (ValueError, OverflowError, ZeroDivisionError, FloatingPointError)


def _drawn(report, name, make, *args):
    """make(*args) drawn into its PNG, or None (with a note) when its values cannot be drawn."""
    try:
        with warnings.catch_warnings():  # numpy's overflow warnings: the note says it once
            warnings.simplefilter("ignore", RuntimeWarning)
            spec = make(*args)
            if spec is not None:
                style.render(spec)
        return spec
    except _UNDRAWABLE as e:
        report.notes.append(f"the {name} figure is left out: its values cannot be drawn ({e})")
        return None


def make_figures(report):
    """Every figure whose data is present, in report order: comparison, families, telemetry."""
    rows = report.rows
    colors = style.machine_colors(r.machine for r in report.runs)  # one colour per machine throughout
    makers = []
    if report.comparison is not None:  # one machine, no baseline: a score against itself and
        # a one-bar cost chart labelled by a rank that was not made say nothing (compare_tables)
        makers = [("score", score_figure, report.procurement, colors),
                  ("tokens cost", tokens_cost_figure, report.procurement, colors),
                  ("cases", cases_figure, report.comparison, rows, report.procurement)]
    makers.append(("spread", spread_figure, report.spread, colors))
    makers += [("gemm", gemm_figure, rows, colors), ("attention", attention_figure, rows),
               ("collective", collective_figure, rows, colors), ("membw", membw_figure, rows, colors),
               ("e2e", e2e_figure, rows, colors), ("roofline", roofline_figure, rows)]
    figs = [_drawn(report, name, make, *args) for name, make, *args in makers]
    tele = [_drawn(report, f"telemetry ({run.label or run.machine})", telemetry_figure, run, rows,
                   f"telemetry_{i + 1}") for i, run in enumerate(report.runs)]
    tele = [t for t in tele if t is not None]
    if len(tele) == 1:
        tele[0].name = "telemetry"
    return [f for f in figs + tele if f is not None]


def build(runs, baseline=None, title=None, procurement=None):
    """The Report for loaded runs, an optional baseline.Baseline and the procurement.Procurement
    that `gpuqual report` made from the same files (with the prices it was given)."""
    rows = table.tidy(runs)
    report = Report(title=title or _default_title(runs),
                    generated_at=datetime.datetime.now(datetime.timezone.utc)
                    .strftime("%Y-%m-%d %H:%M UTC"),
                    runs=runs, rows=rows, baseline=baseline, procurement=procurement)
    if report.multi or baseline is not None:
        report.comparison = compare.compare(rows, baseline)
    report.spread = compare.run_spread(rows)
    report.figures = make_figures(report)
    return report


def write(report, out_dir):
    """Writes <name>.png per figure, data.csv, summary.md and index.html into out_dir (created
    when missing); returns the written paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for spec in report.figures:
        path = os.path.join(out_dir, f"{spec.name}.png")
        style.save(spec, path)
        paths.append(path)
    for name, writer in (("data.csv", data_csv.write), ("summary.md", markdown.write),
                         ("index.html", html.write)):
        path = os.path.join(out_dir, name)
        writer(report, path, out_dir)
        paths.append(path)
    return paths
