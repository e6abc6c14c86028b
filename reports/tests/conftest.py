"""Shared test fixtures: paths of the hand-made result files, of the real H200 ones, and reports
built from them, with the procurement figures made by the built binary (`gpuqual rank --json`;
binary() says which: $GQ_BINARY, else build/app/gpuqual), as `gpuqual report` makes them."""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from gpuqual_reports import report  # noqa: E402
from gpuqual_reports.baseline import load_baseline  # noqa: E402
from gpuqual_reports.load import load_all  # noqa: E402
from gpuqual_reports.procurement import load_procurement  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
RUN_FILES = ["aws_p5_run1.json", "aws_p5_run2.json", "azure_nd_h100_v5.json",
             "gcp_a2_ultragpu.json"]
FOUR_CLOUDS = RUN_FILES + ["gcp_a3_highgpu.json", "oci_bm_h100.json"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Real results of one NVIDIA H200 (cuda:0, NVML telemetry; gpuqual 829c643): four runs of the
# quick suite and one of the anchors suite, and the baseline `gpuqual baseline create` made from
# quick-1..3. Not hand-made: they stand wherever a test needs a real single-GPU run.
H200_QUICK = [f"h200/quick-{i}.json" for i in (1, 2, 3, 4)]
H200_FILES = H200_QUICK + ["h200/anchors.json"]
H200_BASELINE = os.path.join(REPO, "baselines", "h200-sxm-141gb.json")


def binary():
    """The gpuqual binary under test, by one rule: $GQ_BINARY when set (the test fails when that is
    not an executable file), else build/app/gpuqual under the repository root when it is one, else
    the test is skipped with the reason."""
    path = os.environ.get("GQ_BINARY", "")
    if path:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            pytest.fail(f"GQ_BINARY={path} is not an executable file", pytrace=False)
        return os.path.abspath(path)
    path = os.path.join(REPO, "build", "app", "gpuqual")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.skip(f"GQ_BINARY is not set and there is no built {path} (build, or set GQ_BINARY)")
    return path


def procurement(files, out_dir, *extra):
    """The procurement.Procurement `gpuqual rank` makes of fixture files (extra: its options)."""
    path = os.path.join(str(out_dir), "procurement.json")
    proc = subprocess.run([binary(), "rank", *[fixture(f) for f in files], "--json", path, *extra],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return load_procurement(path)


def fixture(name):
    """Absolute path of a file in tests/fixtures."""
    return os.path.join(FIXTURES, name)


@pytest.fixture(scope="session")
def cpu_results(tmp_path_factory):
    """Path of a results file written by `gpuqual run --suite ci --device cpu` with the binary()
    under test (made once per session; skipped or failed as binary() says)."""
    path = tmp_path_factory.mktemp("cpu") / "ci.json"
    proc = subprocess.run([binary(), "run", "--suite", "ci", "--device", "cpu", "-o", str(path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return str(path)


@pytest.fixture(scope="session")
def multi_report(tmp_path_factory):
    """The four hand-made runs with prices, built and written once: (Report, output dir)."""
    out = tmp_path_factory.mktemp("multi")
    figures = procurement(RUN_FILES, out, "--prices", fixture("prices.json"))
    rep = report.build(load_all([fixture(f) for f in RUN_FILES]), procurement=figures)
    report.write(rep, str(out))
    return rep, str(out)


@pytest.fixture(scope="session")
def baseline_report(tmp_path_factory):
    """One H100 run and the A100 run normalised to the hand-made baseline: (Report, dir)."""
    out = tmp_path_factory.mktemp("baseline")
    files = ["aws_p5_run1.json", "gcp_a2_ultragpu.json"]
    figures = procurement(files, out, "--baseline", fixture("baseline_h100.json"), "--objective", "performance")
    rep = report.build(load_all([fixture(f) for f in files]),
                       baseline=load_baseline(fixture("baseline_h100.json")), procurement=figures)
    report.write(rep, str(out))
    return rep, str(out)


@pytest.fixture(scope="session")
def h200_report(tmp_path_factory):
    """`gpuqual report` of the five H200 files against the H200 baseline: the output dir."""
    out = tmp_path_factory.mktemp("h200")
    proc = subprocess.run([binary(), "report", *[fixture(f) for f in H200_FILES], "--baseline",
                           H200_BASELINE, "-o", str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and not proc.stderr, proc.stdout + proc.stderr
    return str(out)
