"""Loading gpuqual results files (schema gpuqual.results/1) into Run records.

load_results(path) checks the schema version, the structure the reports rely on and that the
run has cases; it raises ReportInputError with a one-line message otherwise. Optional parts
(health, verdict, telemetry, roofline, cloud facts, GPUs) may be absent or null. The validated
document is kept as plain dicts (Run.doc) for the tidy table and the writers.
"""

from dataclasses import dataclass

from . import schema
from .case_id import canonical_case_id
from .fields import Fields, read_json

_METRIC_NUMBERS = ("median", "ci95_low", "ci95_high")


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
        root.fail("schema", f"'{value}' is not a gpuqual results schema (expected {schema.SCHEMA})")
    if value != schema.SCHEMA:
        root.fail("schema", f"version '{value}' is not supported by this report "
                            f"(reads {schema.SCHEMA})")


def _check_metric(metrics, name):
    m = metrics.obj(name)
    m.str("unit", "")
    m.num("median")
    for key in _METRIC_NUMBERS[1:]:
        m.num(key, None)


def _check_case(case):
    case.str("id")
    case.str("workload")
    status = case.str("status")
    if status not in schema.STATUSES:
        case.fail("status", f"unknown status '{status}' (one of {', '.join(schema.STATUSES)})")
    case.str("reason", "")
    case.obj("params", None)
    metrics = case.obj("metrics", None)
    primary = case.str("primary_metric", "")
    if metrics is not None:
        for name in metrics.value:
            _check_metric(metrics, name)
        if metrics.value and primary not in metrics.value:
            case.fail("primary_metric", f"names '{primary}', which is not in metrics")
    if status in schema.MEASURED_STATUSES and not (metrics and metrics.value):
        case.fail("metrics", f"a case with status '{status}' has no metrics")
    work = case.obj("work", None)
    if work is not None:
        for key in ("flops", "bytes", "tokens"):
            work.num(key, 0.0)
    case.obj("details", None)
    roof = case.obj("roofline", None)
    if roof is not None:
        roof.str("bound", "")
        roof.num("peak", None)
        roof.num("efficiency", None)
    ver = case.obj("verification", None)
    if ver is not None:
        ver.bool("passed", None)
        ver.num("max_rel_err", None)
        ver.num("tolerance", None)
    tel = case.obj("telemetry", None)
    if tel is not None:
        tel.bool("available", None)
        for part in [tel] + tel.objs("gpus", []):  # a GPU group also has every GPU's own
            if part is not tel:
                part.num("index")
            for sample in part.objs("series", []):
                sample.num("t_s")
                for key in ("sm_mhz", "memory_mhz", "power_w", "temperature_c"):
                    sample.num(key, None)


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
    run = root.obj("run")
    run_id = run.str("id")
    labels = run.obj("labels", None)
    labels = {k: str(v) for k, v in (labels.value.items() if labels else [])}
    system = root.obj("system", None)
    host = system.obj("host", None) if system else None
    cloud = system.obj("cloud", None) if system else None
    devices = system.objs("devices", []) if system else []
    for d in devices:
        d.str("name", "")
    cases = root.objs("cases")
    if not cases:
        root.fail("cases", "the run has no cases (empty run)")
    for c in cases:
        _check_case(c)
        c.value["id"] = canonical_case_id(c.value["id"])  # older files spell automatic axes out
    verdict = root.obj("verdict", None)
    if verdict is not None:
        verdict.str("overall")
        for check in verdict.objs("checks", []):
            check.str("name")
            check.str("status")
    host_d = host.value if host else {}
    cloud_d = cloud.value if cloud else {}
    hostname = host_d.get("hostname") or "unknown host"
    instance = labels.get("instance_type") or cloud_d.get("instance_type") or ""
    return Run(
        path=path,
        doc=root.value,
        run_id=run_id,
        hostname=hostname,
        provider=cloud_d.get("provider") or "unknown",
        instance_type=instance,
        region=cloud_d.get("region") or "",
        sku=_common_sku([d.value for d in devices], host_d),
        gpus=len(devices),
        machine=labels.get("machine") or instance or hostname,
        verdict=verdict.value if verdict else None,
    )


def load_all(paths):
    """Loads every results file in order; raises ReportInputError at the first bad one."""
    return [load_results(p) for p in paths]
