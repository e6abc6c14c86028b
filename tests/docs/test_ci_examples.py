"""The CI recipes in docs/examples/ stay true: each YAML file parses, and every gpuqual command
and flag its steps run exists in the built binary (GQ_BINARY), checked against `--help`."""

import os
import re
import shlex
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "docs", "examples")
BINARY = os.environ.get("GQ_BINARY", os.path.join(ROOT, "build", "app", "gpuqual"))


def _scripts(node):
    """Every string under `run` (GitHub) or `script` (GitLab) keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script"):
                yield from ([value] if isinstance(value, str) else value)
            else:
                yield from _scripts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _scripts(item)


def _gpuqual_calls(text):
    """(subcommand, [flags]) of each `.../gpuqual SUB ...` invocation in a script."""
    calls = []
    for line in text.replace("\\\n", " ").splitlines():
        words = shlex.split(re.sub(r"\$\{\{[^}]*\}\}", "X", line))
        for i, w in enumerate(words):
            if w.endswith("gpuqual") and i + 1 < len(words):
                calls.append((words[i + 1], [x.split("=")[0] for x in words[i + 2:] if x.startswith("--")]))
    return calls


@pytest.mark.parametrize("name", sorted(os.listdir(EXAMPLES)))
def test_ci_example_parses_and_runs_real_commands(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    calls = [c for s in _scripts(doc) for c in _gpuqual_calls(s)]
    assert calls, f"{name}: no gpuqual command found"
    for sub, flags in calls:
        help_text = subprocess.run([BINARY, sub, "--help"], capture_output=True, text=True, check=True).stdout
        for flag in flags:
            assert flag in help_text, f"{name}: `gpuqual {sub}` has no {flag}"
