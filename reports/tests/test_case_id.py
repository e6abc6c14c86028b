"""Case ids of older files (automatic axes spelled out) join today's (harness/case_id.h)."""

import json
import subprocess

from conftest import binary
from gpuqual_reports.case_id import AUTOMATIC_AXES, canonical_case_id


OLD_E2E = ("e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/dtype=bf16/tp=1/"
           "layers=0/hidden=0/heads=0/kv_heads=0/ffn=0/vocab=0")


def test_old_ids_lose_their_automatic_axes():
    assert canonical_case_id(OLD_E2E) == (
        "e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/dtype=bf16/tp=1")
    assert canonical_case_id(canonical_case_id(OLD_E2E)) == canonical_case_id(OLD_E2E)
    # Values other than the automatic one stay, as do other workloads' axes of the same name.
    assert canonical_case_id("e2e/model=tiny/layers=2/heads=0") == "e2e/model=tiny/layers=2"
    assert canonical_case_id("attention/backend=cpu/heads=4/kv_heads=0/seq_q=128/seq_kv=0") == (
        "attention/backend=cpu/heads=4/seq_q=128")
    assert canonical_case_id("attention/kv_heads=8/seq_kv=1024") == "attention/kv_heads=8/seq_kv=1024"
    assert canonical_case_id("membw/op=copy/threads=0") == "membw/op=copy/threads=0"
    assert canonical_case_id("gemm") == "gemm"


def test_table_matches_the_binary():
    listing = json.loads(subprocess.run([binary(), "list", "--json"], check=True, capture_output=True,
                                        text=True, timeout=60).stdout)
    declared = {}
    for w in listing["workloads"]:
        for a in w["axes"]:
            if a.get("automatic") is not None:
                declared.setdefault(w["name"], {})[a["name"]] = a["automatic"]
    assert declared == AUTOMATIC_AXES
