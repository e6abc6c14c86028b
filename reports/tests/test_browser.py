"""index.html in headless Chromium (from disk, no network), of the hand-made clouds and of the real
H200 runs: a non-blank page, no element wider than the page at 1400 and 800 px, every figure
decoded and no error raised, and `--pdf` whose first page is the summary with the figures C++
computed."""

import os
import shutil
import subprocess

import layout
import numpy as np
import pytest
from conftest import FOUR_CLOUDS, binary, fixture
from matplotlib import image

from gpuqual_reports.procurement import load_procurement

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html_path, png_path, profile_dir):
    """Renders html_path to png_path (1280x2000) with headless Chromium; returns the process."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={profile_dir}", f"--screenshot={png_path}", "--window-size=1280,2000",
         f"file://{os.path.abspath(html_path)}"],
        capture_output=True, text=True, timeout=120)


def _out_dir(request, report):
    """The output directory of a report fixture (multi_report's is its second item)."""
    value = request.getfixturevalue(report)
    return str(value[1] if isinstance(value, tuple) else value)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh "
                                              "installs it); cannot render index.html")
@pytest.mark.parametrize("report", ["multi_report", "h200_report"])
def test_index_html_renders_in_chromium(request, report, tmp_path):
    out = _out_dir(request, report)
    png = tmp_path / "shot.png"
    proc = screenshot(os.path.join(out, "index.html"), png, tmp_path / "profile")
    assert png.exists(), proc.stdout + proc.stderr
    pixels = image.imread(str(png))[:, :, :3]
    assert pixels.shape[:2] == (2000, 1280)
    non_white = (pixels < 0.97).any(axis=2).mean()
    colours = len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert non_white > 0.05, f"page looks blank ({non_white:.1%} non-white pixels)"
    assert colours > 200, f"page looks blank ({colours} distinct colours)"
    # The header band is the dark title bar: the page's CSS was applied.
    assert pixels[20:60, :, :].mean() < 0.3


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def four_clouds(tmp_path_factory):
    """`gpuqual report --pdf` of the six fixture runs of four clouds with prices: the output dir."""
    out = tmp_path_factory.mktemp("four_clouds")
    proc = subprocess.run([binary(), "report", *[fixture(f) for f in FOUR_CLOUDS], "--prices",
                           fixture("prices.json"), "-o", str(out), "--pdf"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    return out


@needs_chromium
@pytest.mark.parametrize("report", ["four_clouds", "h200_report"])
@pytest.mark.parametrize("width", [1400, 800])
def test_no_element_is_wider_than_the_page(request, report, width, tmp_path):
    out = _out_dir(request, report)
    m = layout.measure(os.path.join(out, "index.html"), width, tmp_path)
    assert m["count"] == 0 and m["scroll_width"] <= m["width"], m
    figures = [n for n in os.listdir(out) if n.endswith(".png")]
    assert m["images"] == len(figures) and m["broken"] == 0 and m["errors"] == [], m


@needs_chromium
def test_the_width_probe_sees_a_table_that_does_not_fit(tmp_path):
    page = tmp_path / "wide.html"
    page.write_text("<html><body><table><tr><td style='white-space:nowrap'>" + "x" * 400
                    + "</td></tr></table></body></html>")
    m = layout.measure(str(page), 800, tmp_path)
    assert m["count"] > 0 and m["scroll_width"] > m["width"], m


@needs_chromium
def test_the_probe_sees_a_broken_figure_and_an_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<html><head></head><body><img src='data:image/png;base64,AAAA'>"
                    "<script>undefinedFunction();</script></body></html>")
    m = layout.measure(str(page), 800, tmp_path)
    assert m["images"] == 1 and m["broken"] == 1, m
    assert "IMG" in m["errors"] and any("undefinedFunction" in e for e in m["errors"]), m


@needs_chromium
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_page_one_is_the_summary_and_page_two_the_detail(four_clouds):
    pdf_path = os.path.join(four_clouds, "report.pdf")

    def page(n):
        return subprocess.run([PDFTOTEXT, "-layout", "-f", str(n), "-l", str(n), pdf_path, "-"],
                              capture_output=True, text=True, check=True).stdout
    figures = load_procurement(os.path.join(four_clouds, "procurement.json"))
    first, second = page(1), page(2)
    assert "Summary" in first and "Ranking" in first and "Overview" not in first
    assert " ".join(first.split()).find(" ".join(figures.recommendation.split()[:12])) >= 0
    for m in figures.machines:  # every machine's $/Mtok on page 1, as C++ computed it
        assert f"${m.usd_per_mtok:.3f}" in first
    assert "Providers" in second or "Overview" in second
