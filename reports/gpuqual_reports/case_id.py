"""Case ids in today's form, for joining files written by any gpuqual version.

Mirrors harness/case_id.h: an id is "workload/axis=value/..." with every axis at its automatic
value left out (the value that says "derive it": e2e's shape overrides = 0, the preset's;
attention's kv_heads = 0, as many as heads, and seq_kv = 0, as long as seq_q). Older files spell
those axes out; canonical_case_id drops them so old and new files join on one id. The table must
match the C++ one (tests/test_case_id.py checks it against `gpuqual list --json`).
"""

AUTOMATIC_AXES = {
    "attention": {"kv_heads": "0", "seq_kv": "0"},
    "e2e": {"layers": "0", "hidden": "0", "heads": "0", "kv_heads": "0", "ffn": "0", "vocab": "0"},
}


def canonical_case_id(case_id):
    """The id with the "axis=value" segments at their automatic value left out."""
    workload, sep, rest = case_id.partition("/")
    automatic = AUTOMATIC_AXES.get(workload)
    if not sep or not automatic:
        return case_id
    kept = []
    for segment in rest.split("/"):
        axis, eq, value = segment.partition("=")
        if not (eq and automatic.get(axis) == value):
            kept.append(segment)
    return "/".join([workload] + kept)
