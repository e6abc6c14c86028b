"""Instance prices (--prices FILE), schema gpuqual.prices/1, and matching them to runs.

Format (one entry per instance type; prices are per instance hour, in USD):

    {"schema": "gpuqual.prices/1",
     "prices": [{"provider": "aws", "instance_type": "p5.48xlarge", "usd_per_hour": 98.32,
                 "gpus": 8, "region": "us-east-1", "note": "on-demand, 2025-01"}]}

"provider", "region", "gpus" and "note" are optional (may be null); schemas/prices.schema.json
checks the file, as harness/decide/prices.cc reads it: usd_per_hour in (0, 1e6], gpus in
[0, 4096], a non-empty instance_type. A run is matched by its instance type: run.labels["instance_type"] when that label is set,
else system.cloud.instance_type (Run.instance_type already applies this order). When several entries share the instance type, the
one whose provider equals the run's system.cloud.provider wins, else the first. "gpus" (when
given) overrides the run's GPU count for per-GPU prices.
"""

from dataclasses import dataclass

from . import schema, validate
from .fields import Fields, read_json


@dataclass(frozen=True)
class Price:
    """The price of one instance type, per instance hour."""

    instance_type: str
    usd_per_hour: float
    provider: str = ""
    gpus: int = 0  # 0 = use the run's GPU count
    note: str = ""
    region: str = ""


def load_prices(path):
    """Reads a prices file; raises ReportInputError with a one-line message when it is bad."""
    root = Fields(read_json(path), path)
    value = root.str("schema", None)
    if value != schema.PRICES_SCHEMA:
        root.fail("schema", f"'{validate.shown(value)}' is not {schema.PRICES_SCHEMA}" if value
                  else f"missing (expected {schema.PRICES_SCHEMA})")
    validate.check(root.value, "prices", path)
    return [Price(instance_type=e["instance_type"], usd_per_hour=float(e["usd_per_hour"]),
                  provider=e.get("provider") or "", gpus=int(e.get("gpus") or 0),
                  note=e.get("note") or "", region=e.get("region") or "")
            for e in root.value["prices"]]


def match_price(run, prices):
    """The Price for `run` (see the module docstring for the order), or None."""
    if not run.instance_type:
        return None
    same = [p for p in prices if p.instance_type == run.instance_type]
    for p in same:
        if p.provider and p.provider == run.provider:
            return p
    return same[0] if same else None


def gpu_count(run, price):
    """GPUs the instance price is shared by: the price's gpus, else the run's GPU count, else 1
    (a cpu-only instance is priced as one unit)."""
    if price is not None and price.gpus > 0:
        return price.gpus
    return run.gpus if run.gpus > 0 else 1
