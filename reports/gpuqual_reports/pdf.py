"""report.pdf: index.html printed by headless Chromium (`gpuqual report --pdf`), with the page's
print stylesheet (html.py: the summary on page 1, A4).

Chromium is $GQ_CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH.
Without one, or when printing fails, ReportInputError says so in one line (exit 2).
"""

import os
import shutil
import subprocess
import tempfile

from . import outfile
from .errors import ReportInputError

_TIMEOUT_S = 180


def find_chromium():
    """The Chromium executable, or None."""
    env = os.environ.get("GQ_CHROMIUM")
    if env:
        return env
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def chromium_argv(chromium, profile_dir):
    """Headless, no network, no first-run work; the profile in a throw-away directory."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={profile_dir}"]


def write_pdf(html_path, pdf_path):
    """Prints html_path to pdf_path; returns pdf_path."""
    chromium = find_chromium()
    if chromium is None:
        raise ReportInputError("--pdf: no Chromium found (install chromium or set GQ_CHROMIUM)")
    with tempfile.TemporaryDirectory(prefix="gpuqual-chromium-") as profile, outfile.replacing(pdf_path) as tmp:
        argv = chromium_argv(chromium, profile) + [
            "--no-pdf-header-footer", f"--print-to-pdf={tmp}", f"file://{os.path.abspath(html_path)}"]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ReportInputError(f"--pdf: {chromium}: {e}") from None
        if proc.returncode != 0 or os.path.getsize(tmp) == 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise ReportInputError(f"--pdf: {chromium} did not print {html_path} (exit {proc.returncode}: {last})")
    return pdf_path
