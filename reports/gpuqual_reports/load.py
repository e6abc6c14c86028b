"""Loading gpuqual results files (schema gpuqual.results/1) into Run records.

load_results(path) checks the schema version, then the whole document against
schemas/results.schema.json (the file the C++ reader agrees with), then what a schema cannot
say: a case's primary metric is one of its metrics, the run has cases, a measured case has
metrics, a case's rounds done and round medians are no more than its rounds planned. It raises ReportInputError with a one-line message otherwise. Optional parts (health,
verdict, telemetry, roofline, verification, details) may be absent or null. The validated
document is kept as plain dicts (Run.doc) for the tidy table and the writers.
"""

from dataclasses import dataclass

from . import schema, validate
from .case_id import canonical_case_id
from .fields import Fields, read_json


@dataclass
class Run:
    """One results file. `machine` groups runs for comparison; `label` is unique per report."""

    path: str
    doc: dict
    run_id: str
    hostname: str
    provider: str
    instance_type: str  # run.labels["instance_type"] when set, else system.cloud.instance_type
    region: str
    sku: str  # the GPUs' common SKU, "mixed: a, b", or "cpu: <model>" without GPUs
    gpus: int  # number of GPUs in system.devices (0 on a cpu run)
    machine: str  # run.labels["machine"], else instance_type, else hostname
    verdict: dict = None  # the top-level verdict from `gpuqual qualify`, when present
    label: str = ""  # assigned by table.assign_labels


def _check_schema(root):
    value = root.str("schema", None)
    if value is None:
        root.fail("schema", f"missing (not a gpuqual results file; expected {schema.SCHEMA})")
    if not value.startswith(schema.SCHEMA_PREFIX):
        root.fail("schema", f"'{validate.shown(value)}' is not a gpuqual results schema "
                            f"(expected {schema.SCHEMA})")
    if value != schema.SCHEMA:
        root.fail("schema", f"version '{validate.shown(value)}' is not supported by this report "
                            f"(reads {schema.SCHEMA})")


def _check_case(case):
    """What the schema cannot say about a (schema-valid) case."""
    metrics = case.value["metrics"]
    primary = case.value["primary_metric"]
    status = case.value["status"]
    if metrics and primary not in metrics:
        case.fail("primary_metric", f"names '{validate.shown(primary)}', which is not in metrics")
    if status in schema.MEASURED_STATUSES and not metrics:
        case.fail("metrics", f"a case with status '{status}' has no metrics")
    rounds = case.value.get("rounds")
    if rounds is not None:  # as harness/record/results_json.cc reads them
        if rounds["done"] > rounds["planned"]:
            case.fail("rounds.done",
                      f"must be an integer in [1, {rounds['planned']}] (got {rounds['done']})")
        if len(rounds["medians_s"]) > rounds["planned"]:
            case.fail("rounds.medians_s", "holds more rounds than planned")


def _common_sku(devices, host):
    if not devices:
        cpu = host.get("cpu") or "unknown cpu"
        return f"cpu: {cpu}"
    skus = sorted({d.get("sku") or d.get("name") or "unknown SKU" for d in devices})
    return skus[0] if len(skus) == 1 else "mixed: " + ", ".join(skus)


def load_results(path):
    """Reads and validates one results file; returns a Run. Raises ReportInputError."""
    root = Fields(read_json(path), path)
    _check_schema(root)
    validate.check(root.value, "results", path)
    cases = root.objs("cases")
    if not cases:
        root.fail("cases", "the run has no cases (empty run)")
    for c in cases:
        _check_case(c)
        c.value["id"] = canonical_case_id(c.value["id"])  # older files spell automatic axes out
    doc = root.value
    labels = doc["run"]["labels"]
    host, cloud = doc["system"]["host"], doc["system"]["cloud"]
    devices = doc["system"]["devices"]
    hostname = host["hostname"] or "unknown host"
    instance = labels.get("instance_type") or cloud["instance_type"]
    return Run(
        path=path,
        doc=doc,
        run_id=doc["run"]["id"],
        hostname=hostname,
        provider=cloud["provider"] or "unknown",
        instance_type=instance,
        region=cloud["region"],
        sku=_common_sku(devices, host),
        gpus=len(devices),
        machine=labels.get("machine") or instance or hostname,
        verdict=doc.get("verdict"),
    )


def load_all(paths):
    """Loads every results file in order; raises ReportInputError at the first bad one."""
    return [load_results(p) for p in paths]
