"""Probe class 9: seeded mutations of a results file given to `gpuqual report`."""
import copy
import json

from probe_inputs import raw, raw_dump, seed_files
from probe_runner import Case


def random_path(doc, rng):
    node, path = doc, []
    while isinstance(node, (dict, list)) and node:
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        k = rng.choice(keys)
        path.append(k)
        node = node[k]
        if rng.random() < 0.22:
            break
    return path


def mutate(doc, rng):
    kinds = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        path = random_path(doc, rng)
        if not path:
            continue
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        k = path[-1]
        op = rng.choice(["delete", "type", "type", "huge", "nan", "nan", "deep", "unicode", "empty"])
        if op == "delete":
            del parent[k]
        elif op == "type":
            parent[k] = rng.choice([None, True, "x", 0, -1, [], {}, 1.5, ["a", None], {"k": "v"}])
        elif op == "huge":
            parent[k] = "A" * 100000 if rng.random() < 0.7 else ("<b>&" * 25000)
        elif op == "nan":
            parent[k] = raw(rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0",
                                        "18446744073709551616", "-9223372036854775809"]))
        elif op == "deep":
            n = rng.choice([50, 65, 1000, 100000])
            parent[k] = raw("[" * n + "]" * n)
        elif op == "unicode":
            parent[k] = raw(rng.choice(['"\\ud800"', '"\\u0000x"', '"a\\nb\\rc\\t"', '"\u202e\u00e9\U0001f600"']))
        elif op == "empty":
            parent[k] = rng.choice(["", [], {}])
        kinds.append("%s@%s" % (op, "/".join(str(p) for p in path)[:80]))
    return kinds


def class9(I, rng, count):
    cases = []
    seed = json.loads(I["run1"])
    top = ["schema", "run", "system", "cases"]
    for i in range(count):
        doc = copy.deepcopy(seed)
        if i < len(top):  # start with a few certain ones: each top-level key deleted
            del doc[top[i]]
            kinds = ["delete@" + top[i]]
        else:
            kinds = mutate(doc, rng)
        fname = "mut%03d.json" % i
        cases.append(Case(9, ["report", fname, "-o", "rep"], expect=(0, 2), names=[fname],
                          files={fname: raw_dump(doc)}, outputs=["rep"], note="; ".join(kinds)))
    for title in ("-x", "--", "<script>alert(1)</script>", "a\nb", "T" * 100000, ""):
        cases.append(Case(9, ["report", "small.json", "--title", title, "-o", "rep"], expect=(0, 2), names=["--title"],
                          files=seed_files(I), outputs=["rep"], note="title %r" % title[:30]))
    return cases


# ---------------------------------------------------------------------------------------------
