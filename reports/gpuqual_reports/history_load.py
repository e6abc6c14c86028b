"""Reading a trend file (schema gpuqual.trend/1) written by `gpuqual history trend --json` or
`gpuqual report --history`: each case's figure per run and the change points the C++ side
found (harness/decide/history_trend.h). Nothing is recomputed here; the file is checked and
turned into plain records for the figures and tables.

load_trend(path) -> Trend, or ReportInputError with one line naming the file, the key and the
problem.
"""

from dataclasses import dataclass, field

from . import validate
from .fields import Fields, read_json

TREND_SCHEMA = "gpuqual.trend/1"
TREND_SCHEMA_PREFIX = "gpuqual.trend/"


@dataclass
class Point:
    """One run of a series: `median`, `ci95_low`, `ci95_high` are None without the metric."""

    run_id: str
    started_at: str
    commit: str
    tool_git: str
    status: str
    reason: str
    used: bool
    run_finished: bool
    median: object
    ci95_low: object
    ci95_high: object
    rounds_done: int
    rounds_planned: int
    labels: dict = field(default_factory=dict)


@dataclass
class ChangePoint:
    """`index` is the first point of the new level; `change` is in the better direction."""

    index: int
    run_id: str
    commit: str
    started_at: str
    call: str
    change: float
    ratio_low: float
    ratio_high: float
    p_value: float
    before: float
    after: float
    reason: str


@dataclass
class Series:
    case_id: str
    device: str
    sku: str
    metric: str
    unit: str
    higher_is_better: bool
    points: list
    change_points: list
    segments: list  # (begin, end, level): points [begin, end) at that level
    machine: str = ""  # the runs' machine (label, instance type or host): one series per machine


@dataclass
class Trend:
    path: str
    database: str
    generated_at: str
    rule_text: str
    filters: dict
    series: list


def _index(f, key, size):
    """An integer key in [0, size]."""
    value = f.num(key)
    if not value.is_integer() or not 0 <= value <= size:
        f.fail(key, f"must be an integer in 0..{size}")
    return int(value)


def _point(p):
    measured = p.has("median")
    for key in ("ci95_low", "ci95_high"):  # the writer gives the three together, or none
        if p.has(key) != measured:
            p.fail(key, f"{'null' if measured else 'a number'} while median is {'a number' if measured else 'null'}"
                        " (a point has its median and 95% CI together, or none of them)")
    if p.value.get("used") is True and not measured:
        p.fail("used", "true for a point without a median (only measured points are used)")
    return Point(run_id=p.str("run_id"), started_at=p.str("started_at"), commit=p.str("commit", ""),
                 tool_git=p.str("tool_git", ""), status=p.str("status"), reason=p.str("reason", ""),
                 used=p.bool("used"), run_finished=p.bool("run_finished", True),
                 median=p.num("median", None), ci95_low=p.num("ci95_low", None) if measured else None,
                 ci95_high=p.num("ci95_high", None) if measured else None,
                 rounds_done=int(p.num("rounds_done", 1)),
                 rounds_planned=int(p.num("rounds_planned", 1)),
                 labels=dict(p.obj("labels", None).value) if p.has("labels") else {})


def _change_point(c, n):
    return ChangePoint(index=_index(c, "index", n - 1), run_id=c.str("run_id"),
                       commit=c.str("commit", ""), started_at=c.str("started_at"),
                       call=c.str("call"), change=c.num("change"), ratio_low=c.num("ratio_low"),
                       ratio_high=c.num("ratio_high"), p_value=c.num("p_value"),
                       before=c.num("before"), after=c.num("after"), reason=c.str("reason", ""))


def _series(s):
    points = [_point(p) for p in s.objs("points")]
    n = len(points)
    segments = []
    for g in s.objs("segments"):
        begin, end = _index(g, "begin", n), _index(g, "end", n)
        if begin > end:
            g.fail("end", f"{end} is before begin {begin}")
        segments.append((begin, end, g.num("level")))
    return Series(case_id=s.str("case_id"), device=s.str("device"), sku=s.str("sku", ""),
                  metric=s.str("metric", ""), unit=s.str("unit", ""),
                  higher_is_better=s.bool("higher_is_better", True), points=points,
                  change_points=[_change_point(c, n) for c in s.objs("change_points")],
                  segments=segments, machine=s.str("machine", ""))


def load_trend(path):
    """The Trend in `path`; ReportInputError (one line) for anything a reader cannot rely on."""
    root = Fields(read_json(path), path)
    value = root.str("schema", None)
    if value is None or not value.startswith(TREND_SCHEMA_PREFIX):
        root.fail("schema", f"{value!r} is not a trend file (expected {TREND_SCHEMA}, as "
                            "`gpuqual history trend --json` writes)")
    if value != TREND_SCHEMA:
        root.fail("schema", f"version '{value}' is not supported by this report (reads {TREND_SCHEMA})")
    validate.check(root.value, "trend", path)  # schemas/trend.schema.json
    return Trend(path=path, database=root.str("database", ""),
                 generated_at=root.str("generated_at", ""),
                 rule_text=root.obj("rule").str("text"),
                 filters=dict(root.obj("filters", None).value) if root.has("filters") else {},
                 series=[_series(s) for s in root.objs("series")])
