"""Reports from the hand-made multi-run fixtures: the files written, the embedded figures,
labelled axes with units, the Markdown summary and data.csv."""

import csv
import os
import re

import pytest
from conftest import RUN_FILES, fixture

from gpuqual_reports import cli

FAMILY_FIGURES = {"gemm", "attention", "collectives", "membw", "e2e", "roofline"}
COMPARE_FIGURES = {"compare_scores", "compare_cases", "compare_cost_tokens", "compare_spread"}
UNIT = re.compile(r"\(.+\)")


def _labelled(ax):
    """(xlabel, ylabel) of an axis; a shared-x axis may borrow its sibling's x label."""
    xlabel = ax.get_xlabel()
    if not xlabel:
        xlabel = next((s.get_xlabel() for s in ax.get_shared_x_axes().get_siblings(ax)
                       if s.get_xlabel()), "")
    return xlabel, ax.get_ylabel()


def check_axes(spec):
    """Every drawn axis has both labels, one with a unit in brackets; colour bars too."""
    drawn = [ax for ax in spec.fig.axes if ax.axison]
    assert drawn, spec.name
    for ax in drawn:
        if hasattr(ax, "_colorbar"):
            label = ax.get_ylabel() or ax.get_xlabel()
            assert UNIT.search(label), f"{spec.name}: colour bar label {label!r} has no unit"
            continue
        xlabel, ylabel = _labelled(ax)
        assert xlabel and ylabel, f"{spec.name}: axis '{ax.get_title()}' lacks a label"
        assert UNIT.search(ylabel) or UNIT.search(xlabel), f"{spec.name}: no unit in {ylabel!r}"
    assert spec.fig._suptitle is not None and spec.fig._suptitle.get_text(), spec.name


def test_multi_run_report_has_every_figure(multi_report):
    rep, out = multi_report
    names = {f.name for f in rep.figures}
    assert FAMILY_FIGURES | COMPARE_FIGURES <= names
    assert {"telemetry_1", "telemetry_2", "telemetry_4"} <= names  # azure has no telemetry
    for spec in rep.figures:
        check_axes(spec)
        assert os.path.getsize(os.path.join(out, f"{spec.name}.png")) > 10_000
    for name in ("index.html", "summary.md", "data.csv"):
        assert os.path.getsize(os.path.join(out, name)) > 1000


def test_html_is_self_contained_and_embeds_every_figure(multi_report):
    rep, out = multi_report
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        page = f.read()
    pngs = [n for n in os.listdir(out) if n.endswith(".png")]
    assert len(pngs) == len(rep.figures)
    assert page.count('src="data:image/png;base64,') == len(pngs)
    for name in pngs:
        assert f'id="fig-{name[:-4]}"' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "external reference"
    assert "<script" not in page
    for overall in ("PASS", "WARN", "FAIL"):
        assert f'class="st st-{overall}"' in page
    # Cases that were not measured are listed with their reasons.
    assert "KV cache for batch 256 needs 86.1 GiB" in page
    assert "an illegal memory access was encountered" in page
    assert "fp8_e4m3 needs compute capability 8.9+" in page
    # Health: values that changed during the run are shown as before → after.
    assert "0/2 → 2/2" in page  # GPU 3: volatile uncorrected ECC errors during the run
    assert "Gen4 x16 (max Gen5 x16)" in page


def test_markdown_summary(multi_report):
    rep, out = multi_report
    with open(os.path.join(out, "summary.md"), encoding="utf-8") as f:
        md = f.read()
    assert md.startswith("# gpuqual comparison — 3 machines, 4 runs")
    # The buyer's summary comes first: recommendation, ranking, providers; then the verdicts.
    assert md.index("## Summary") < md.index("### Ranking") < md.index("### Providers") < md.index("## Verdict")
    assert rep.procurement.recommendation.split(":")[0] in md  # "Buy <machine>"
    assert "| set apart | a2-ultragpu-8g | **FAIL** |" in md
    # Providers: each machine is named by its instance type, so the instance column is left out.
    assert "| p5.48xlarge | aws | us-east-1 | $98.32 | 8 | h100-sxm-80gb |" in md
    assert "- **FAIL** — a2-ultragpu-8g (a100-sxm-80gb)" in md
    assert "| **FAIL** | health | ecc_uncorrected |" in md
    assert "### Run-to-run spread" in md
    assert "### Cases not measured (and noisy ones)" in md and "batch 256" in md
    assert md.count("Cases not measured") == 1  # one heading, not a section and a table both
    assert len(md) < 64_000  # fits a PR comment


def test_data_csv_has_every_case(multi_report):
    rep, out = multi_report
    with open(os.path.join(out, "data.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(rep.rows) == 4 * 74
    skipped = [r for r in rows if r["status"] == "skipped"]
    assert skipped and all(r["reason"] and r["median"] == "" for r in skipped)
    gemm = [r for r in rows if r["workload"] == "gemm" and r["status"] == "ok"]
    assert all(float(r["median"]) == float(r["tflops_median"]) for r in gemm)
    assert {"param_dtype", "param_size", "param_batch", "busbw_median", "tpot_ms_median",
            "score", "machine_usd_per_mtok", "machine_perf_per_usd_hour"} <= set(rows[0])
    aws = [r for r in rows if r["machine"] == "p5.48xlarge"]
    assert {float(r["machine_usd_per_mtok"]) for r in aws} == {rep.procurement.machine("p5.48xlarge").usd_per_mtok}


def test_baseline_report(baseline_report):
    rep, out = baseline_report
    for spec in rep.figures:
        check_axes(spec)
    with open(os.path.join(out, "summary.md"), encoding="utf-8") as f:
        md = f.read()
    assert "normalised to baseline h100-sxm-80gb reference (fixture)" in md
    assert "compare_cost_tokens" not in {f.name for f in rep.figures}  # no prices given


def test_single_run_report_via_main(tmp_path, capsys):
    out = tmp_path / "single"
    assert cli.main([fixture("gcp_a2_ultragpu.json"), "-o", str(out), "--title", "A100 check"]) == 0
    assert "index.html" in capsys.readouterr().out
    names = set(os.listdir(out))
    assert {f"{n}.png" for n in FAMILY_FIGURES} | {"telemetry.png"} <= names
    assert not any(n.startswith("compare_") for n in names)
    with open(out / "summary.md", encoding="utf-8") as f:
        md = f.read()
    assert md.startswith("# A100 check") and "## Results" in md
    assert "… " in md and "more row(s) in `data.csv`" in md  # 65 measured cases, capped at 40


@pytest.mark.parametrize("name", RUN_FILES)
def test_each_fixture_alone(name, tmp_path):
    assert cli.main([fixture(name), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "index.html").exists()


def test_telemetry_of_a_gpu_group_draws_every_gpu(tmp_path):
    """A case that drove a group of GPUs (telemetry with per-GPU figures) gives each GPU its own
    line, named cuda:<index>, and its throttled GPU shades the case."""
    import json

    from gpuqual_reports.figures_telemetry import telemetry_figure
    from gpuqual_reports.load import load_all
    from gpuqual_reports.table import tidy

    with open(fixture("aws_p5_run1.json"), encoding="utf-8") as f:
        doc = json.load(f)
    case = next(c for c in doc["cases"] if (c.get("telemetry") or {}).get("available"))
    doc["cases"] = [case]
    case["device"] = "cuda:0-1"
    series = case["telemetry"]["series"]
    case["telemetry"]["gpus"] = [
        dict(case["telemetry"], index=0, throttle_reasons=[], series=series),
        dict(case["telemetry"], index=1, throttle_reasons=["hw_power_brake"],
             series=[dict(s, power_w=s["power_w"] / 2) for s in series]),
    ]
    for g in case["telemetry"]["gpus"]:
        g.pop("gpus", None)
    path = tmp_path / "group.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    runs = load_all([str(path)])
    spec = telemetry_figure(runs[0], tidy(runs))
    labels = [line.get_label() for line in spec.fig.axes[0].get_lines()]
    assert labels == ["cuda:0", "cuda:1"]
    assert "1 case(s) with readings" in spec.fig._suptitle.get_text()
    assert "hw_power_brake" in spec.caption


def test_summary_md_shows_html_from_labels_as_text(tmp_path):
    """A label holding HTML or a Markdown link is shown as text in summary.md, never rendered."""
    import json

    from gpuqual_reports.load import load_all
    from gpuqual_reports import markdown, report as report_mod

    with open(fixture("aws_p5_run1.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["run"]["labels"]["machine"] = '<img src=x onerror=alert(1)>[click](http://x) | a'
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    md = markdown.render(report_mod.build(load_all([str(path)])))
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "[click](" not in md and "\\[click\\](http://x)" in md
    assert "\\| a" in md


def test_report_files_are_readable_by_others_as_new_files_are(tmp_path):
    """Not mkstemp's private 0600: 0666 less the umask, like any new file (0644 under 022)."""
    old = os.umask(0o022)
    try:
        assert cli.main([fixture("azure_nd_h100_v5.json"), "-o", str(tmp_path / "r")]) == 0
    finally:
        os.umask(old)
    names = os.listdir(tmp_path / "r")
    assert "index.html" in names and any(n.endswith(".png") for n in names)
    for name in names:
        assert os.stat(tmp_path / "r" / name).st_mode & 0o777 == 0o644, name


def test_a_symlink_in_the_output_directory_is_replaced_not_written_through(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for name in ("index.html", "summary.md", "data.csv", "gemm.png"):
        (out / name).symlink_to(victim)
    assert cli.main([fixture("gcp_a2_ultragpu.json"), "-o", str(out)]) == 0
    assert victim.read_text() == "keep me"
    for name in ("index.html", "summary.md", "data.csv", "gemm.png"):
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 0
    assert not [n for n in os.listdir(out) if n.endswith(".tmp")]  # no temporaries left


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    def interrupted(_argv):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "run", interrupted)
    assert cli.main([fixture("gcp_a2_ultragpu.json")]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "interrupted" in err and "Traceback" not in err


def test_every_file_the_package_writes_goes_through_outfile():
    """DESIGN.md §9: no report file is written in place. Every open() for writing in the package is
    of a temporary that outfile.replacing handed out (style.save), or is outfile's own."""
    import ast
    import pathlib
    package = pathlib.Path(__file__).resolve().parent.parent / "gpuqual_reports"
    offenders = []
    for source in sorted(package.glob("*.py")):
        if source.name == "outfile.py":
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open"):
                continue
            mode = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "mode"), None)
            text = mode.value if isinstance(mode, ast.Constant) else "r"
            first = node.args[0] if node.args else None
            if any(c in text for c in "wax+") and getattr(first, "id", None) != "tmp":
                offenders.append(f"{source.name}:{node.lineno}")
    assert not offenders, offenders


def test_providers_note_says_when_no_prices_were_given(baseline_report, multi_report):
    """The Providers table names the prices file only when one was given."""
    from gpuqual_reports import compare_tables
    unpriced = compare_tables.providers_table(baseline_report[0]).note
    assert unpriced.startswith("No prices were given (--prices FILE)") and "prices file (per" not in unpriced
    assert compare_tables.providers_table(multi_report[0]).note.startswith("Prices from the prices file")


def test_a_stale_figure_in_the_output_directory_is_named(tmp_path, capsys):
    """The results report, like the history one, names a PNG it did not write and keeps it."""
    out = tmp_path / "r"
    out.mkdir()
    (out / "old_figure.png").write_bytes(b"old")
    assert cli.main([fixture("azure_nd_h100_v5.json"), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "also holds 1 PNG(s) this report did not write" in err and "old_figure.png" in err
    assert (out / "old_figure.png").read_bytes() == b"old"
