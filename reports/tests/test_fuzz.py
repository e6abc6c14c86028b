"""Mutation fuzzing of the report's loaders (DESIGN.md §9: no input crashes gpuqual): seeded
mutants of the valid files of the shared schema corpus (tests/data/schema_corpus: results,
baseline, procurement, trend), each given to the report's command line (the prices file is read
by C++ alone: tests/fuzz/fuzz_prices). Every one must end in a report (exit 0) or
one error line (exit 2): never a traceback or an unexpected failure (exit 3), whatever value
lands where. Deterministic (seeded); about 200 files in all."""

import io
import json
import os
import random
from contextlib import redirect_stderr, redirect_stdout

import pytest

from gpuqual_reports import cli

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "schema_corpus")
HOSTILE = [None, True, False, 0, -1, 1e-308, 1e308, -1e308, 2 ** 53 + 1, 2 ** 64, 3.5, "", "x", "<b>x</b>",
           "é" * 4096, "x" * 100_000, "a\nb", [], {}, [1, "a", None], {"a": {"b": []}}, "NaN", "-inf",
           json.loads("[" * 40 + "]" * 40)]
SEEDS = {"results": ["tool_cpu_run", "gpu_group_telemetry_health_ranks_verdict"],
         "baseline": ["tool_cpu_baseline"],
         "procurement": ["tool_rank_per_dollar", "tool_rank_performance"],
         "trend": ["tool_history_trend", "change_point_and_two_segments"]}
MUTANTS = 55  # per kind


def _seed(kind, name):
    with open(os.path.join(CORPUS, kind, "valid", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def _paths(node, prefix=()):
    """Every path to a value inside a JSON document (the first 3 items of a list)."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield from _paths(v, prefix + (i,))


def _mutate(doc, rng):
    """1 to 3 changes: a value replaced by a hostile one, a key dropped, or a number scaled."""
    doc = json.loads(json.dumps(doc))
    paths = [p for p in _paths(doc) if p]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            old = parent[path[-1]]
            roll = rng.random()
            if roll < 0.15 and isinstance(parent, dict):
                del parent[path[-1]]
            elif roll < 0.4 and isinstance(old, (int, float)) and not isinstance(old, bool):
                parent[path[-1]] = old * rng.choice([0, -1, 1e300, 1e-300, 2 ** 40])
            else:
                parent[path[-1]] = rng.choice(HOSTILE)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def _run(args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(args)
    return code, err.getvalue()


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_mutated_inputs_end_in_a_report_or_one_error_line(kind, tmp_path):
    rng = random.Random(f"gpuqual-report-fuzz-{kind}")
    run = _seed("results", "tool_cpu_run")
    run_path = tmp_path / "run.json"
    run_path.write_text(json.dumps(run), encoding="utf-8")
    seeds = [_seed(kind, name) for name in SEEDS[kind]]
    failures, tally = [], {}
    for i in range(MUTANTS):
        path = tmp_path / f"{kind}_{i}.json"
        path.write_text(json.dumps(_mutate(seeds[i % len(seeds)], rng)), encoding="utf-8")
        args = {"results": [str(path)],
                "baseline": [str(run_path), "--baseline", str(path)],
                "procurement": [str(run_path), "--procurement", str(path)],
                "trend": ["--history-trend", str(path)]}[kind]
        code, err = _run(args + ["-o", str(tmp_path / "out")])
        tally[code] = tally.get(code, 0) + 1
        if code not in (0, 2) or (code == 2 and (err.count("\n") != 1 or "error:" not in err)):
            failures.append(f"mutant {i}: exit {code}: {err.strip()[:300]}")
    print(f"\nfuzz {kind}: {MUTANTS} files, exit 0: {tally.get(0, 0)}, exit 2: {tally.get(2, 0)}, "
          f"other: {MUTANTS - tally.get(0, 0) - tally.get(2, 0)}")
    assert not failures, "\n".join(failures)
    assert tally.get(2, 0) > 0  # the mutants do reach the checks
    assert tally.get(0, 0) > 0  # and some get through them: the arguments themselves are right
