"""The buyer's figures, read from the gpuqual.procurement/1 file that `gpuqual report` (or
`gpuqual rank --json`) wrote: per machine its verdict, score and 95% interval, performance per
dollar-hour, TFLOP/s per dollar-hour and $/Mtok of the named scenario; the ranking with its ties,
the machines set apart and the recommendation. They are computed once, in C++
(harness/decide/procurement.h); the report draws and tabulates them and computes none.
"""

from dataclasses import dataclass, field

from . import validate
from .fields import Fields, read_json

PROCUREMENT_SCHEMA = "gpuqual.procurement/1"


@dataclass(frozen=True)
class Figure:
    """A value with its 95% interval; as a (value, low, high) point for plots.grouped_bars."""

    value: float
    low: float
    high: float

    @property
    def point(self):
        return (self.value, self.low, self.high)


@dataclass
class Machine:
    machine: str
    provider: str
    instance_type: str
    region: str
    sku: str
    interconnect: str
    network: str
    runs: int
    gpus: int
    usd_per_hour: float = None
    verdict: str = ""  # "" = not qualified
    verdict_reasons: list = field(default_factory=list)
    score: Figure = None
    workload_scores: dict = field(default_factory=dict)  # workload -> Figure
    perf_per_usd_hour: Figure = None
    tflops_per_usd_hour: float = None
    usd_per_mtok: float = None
    usd_per_mtok_note: str = ""
    run_spread: float = None  # max/min - 1 of its runs' scores; None with one run


@dataclass(frozen=True)
class RankEntry:
    rank: int
    machine: str
    objective: Figure
    tie: str  # why it is tied with the entry above; "" when not


@dataclass
class Procurement:
    objective: str  # "perf-per-dollar" or "performance"
    scenario: str  # e.g. "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1"
    reference: str
    common_cases: list
    machines: list  # Machine, ranked first, then those set apart
    ranking: list  # RankEntry
    set_apart: list  # "machine: why"
    recommendation: str
    not_comparable: list = None  # "case: why" for cases left out of every score (setups differ)

    def machine(self, name):
        return next((m for m in self.machines if m.machine == name), None)

    def ranked(self, name):
        """The RankEntry of a machine, or None when it is set apart."""
        return next((e for e in self.ranking if e.machine == name), None)


def _figure(f, key):
    o = f.obj(key, None)
    if o is None:
        return None
    lo, v, hi = o.num("low"), o.num("value"), o.num("high")
    if not lo <= v <= hi:
        o.fail("", "value must lie within [low, high]")
    return Figure(v, lo, hi)


def _count(f, key):
    v = f.num(key)
    if v < 0 or v != int(v):
        f.fail(key, "must be a non-negative integer")
    return int(v)


def _strings(f, key):
    items = f.arr(key)
    if not all(isinstance(x, str) for x in items):
        f.fail(key, "must be a list of strings")
    return list(items)


def _machine(m):
    spread = m.num("run_spread", None)
    return Machine(
        machine=m.str("machine"), provider=m.str("provider"), instance_type=m.str("instance_type"),
        region=m.str("region"), sku=m.str("sku"), interconnect=m.str("interconnect"),
        network=m.str("network"), runs=_count(m, "runs"), gpus=_count(m, "gpus"),
        usd_per_hour=m.num("usd_per_hour", None), verdict=m.str("verdict"),
        verdict_reasons=_strings(m, "verdict_reasons"), score=_figure(m, "score"),
        workload_scores={w: _figure(m.obj("workload_scores"), w)
                         for w in m.obj("workload_scores").value},
        perf_per_usd_hour=_figure(m, "perf_per_usd_hour"),
        tflops_per_usd_hour=m.num("tflops_per_usd_hour", None),
        usd_per_mtok=m.num("usd_per_mtok", None), usd_per_mtok_note=m.str("usd_per_mtok_note"),
        run_spread=spread)


def load_procurement(path):
    """Reads a procurement file; raises ReportInputError with one line when it is bad."""
    root = Fields(read_json(path), path)
    value = root.str("schema", None)
    if value != PROCUREMENT_SCHEMA:
        root.fail("schema", f"'{validate.shown(value)}' is not {PROCUREMENT_SCHEMA}" if value
                  else f"missing (expected {PROCUREMENT_SCHEMA})")
    validate.check(root.value, "procurement", path)  # schemas/procurement.schema.json
    machines = [_machine(m) for m in root.objs("machines")]
    names = [m.machine for m in machines]
    ranking = []
    for e in root.objs("ranking"):
        entry = RankEntry(int(_count(e, "rank")), e.str("machine"), _figure(e, "objective"), e.str("tie"))
        if entry.machine not in names or entry.objective is None:
            e.fail("machine", f"'{validate.shown(entry.machine)}' is not one of the machines or has no objective")
        ranking.append(entry)
    objective = root.str("objective")
    if objective not in ("perf-per-dollar", "performance"):
        root.fail("objective", f"'{objective}' is not perf-per-dollar or performance")
    return Procurement(objective=objective, scenario=root.obj("scenario").str("description"),
                       reference=root.str("reference"), common_cases=_strings(root, "common_cases"),
                       machines=machines, ranking=ranking, set_apart=_strings(root, "set_apart"),
                       recommendation=root.str("recommendation"),
                       not_comparable=_strings(root, "not_comparable") if root.value.get("not_comparable") else [])

