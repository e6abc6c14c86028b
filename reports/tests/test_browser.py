"""index.html renders in headless Chromium (from disk, no network) to a non-blank page."""

import os
import shutil
import subprocess

import numpy as np
import pytest
from matplotlib import image

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html_path, png_path, profile_dir):
    """Renders html_path to png_path (1280x2000) with headless Chromium; returns the process."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={profile_dir}", f"--screenshot={png_path}", "--window-size=1280,2000",
         f"file://{os.path.abspath(html_path)}"],
        capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh "
                                              "installs it); cannot render index.html")
def test_index_html_renders_in_chromium(multi_report, tmp_path):
    _, out = multi_report
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
