"""pytest: put reports/ on sys.path so `import gpuqual_reports` works from any directory, and
list skip reasons in the summary (a skipped test says why, e.g. GQ_BINARY unset)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    """Adds "s" (skipped, with reasons) to -r so `pytest -q` still prints why a test skipped."""
    chars = getattr(config.option, "reportchars", "") or ""
    if "s" not in chars and "a" not in chars and "A" not in chars:
        config.option.reportchars = chars + "s"
