"""Probe classes about writes and signals: output write failures (4), writes that must keep data (5) and
signals during a run (8)."""
import os
import signal
import stat

from probe_inputs import outputs_of, read, seed_files
from probe_runner import Case, FAST, SIGNAL_RUN, SMALL, valid_json_file


def class4(I, has_rank):
    cases = []

    def setup(d):
        with open(os.path.join(d, "file.txt"), "w") as f:
            f.write("user data\n")
        os.mkdir(os.path.join(d, "adir"))
        with open(os.path.join(d, "adir", "keep.txt"), "w") as f:
            f.write("keep\n")
        os.mkdir(os.path.join(d, "ro"))
        os.chmod(os.path.join(d, "ro"), 0o555)

    targets = [("file.txt/out.json", ["file.txt/out.json", "file.txt"]),
               ("/proc/gq_probe_out.json", ["/proc/gq_probe_out.json"]),
               ("/proc/version/out.json", ["/proc/version"]),
               ("adir", ["adir"]),
               ("/dev/full", ["/dev/full"])]
    cmds = [
        ("run", ["run"] + SMALL + FAST + ["-q", "-o", "{T}"]),
        ("baseline create", ["baseline", "create", "run1.json", "--name", "x", "-o", "{T}"]),
        ("compare --junit", ["compare", "run1.json", "--baseline", "base.json", "--junit", "{T}"]),
        ("compare --json", ["compare", "run1.json", "--baseline", "base.json", "--json", "{T}"]),
        ("compare --markdown", ["compare", "run1.json", "--baseline", "base.json", "--markdown", "{T}"]),
        ("compare --export-bencher", ["compare", "run1.json", "--baseline", "base.json", "--export-bencher", "{T}"]),
        ("qualify -o", ["qualify", "run1.json", "--baseline", "base.json", "-o", "{T}"]),
        ("report -o", ["report", "run1.json", "-o", "{T}"]),
    ]
    if has_rank:
        cmds.append(("rank --json", ["rank", "aws.json", "--json", "{T}"]))
    for label, args in cmds:
        for t, names in targets:
            if label == "report -o" and t == "adir":
                continue  # an existing directory is a valid report output directory
            a = [x.replace("{T}", t) for x in args]
            cases.append(Case(4, a, names=names, files=seed_files(I), setup=setup, outputs=[],
                              post=_dev_still_char, note=label))
    # report -o at an existing regular file and at a read-only dir's child (root writes anyway: informational)
    for t in ("file.txt", "file.txt/sub"):
        a = ["report", "run1.json", "-o", t]
        cases.append(Case(4, a, names=[t.split("/")[0]], files=seed_files(I), setup=setup, outputs=[], note="report -o"))
    return cases


def _dev_still_char(d, rc, out, err):
    for p in ("/dev/full", "/dev/null"):
        if not stat.S_ISCHR(os.lstat(p).st_mode):
            return ("dataloss", "%s is no longer a character device" % p)
    return None


def results_ok(rel, need=None, may_be_absent=False, old=None):
    """post check: rel is a valid results file (optionally run.<key> == value for key in need)."""
    def post(d, rc, out, err):
        p = os.path.join(d, rel)
        if not os.path.lexists(p):
            return None if may_be_absent else ("dataloss" if old else "wrong", "%s is missing" % rel)
        ok, doc = valid_json_file(p, "gpuqual.results/")
        if not ok:
            return ("dataloss", "%s: %s" % (rel, doc))
        if old is not None and read(p) == old:
            return None
        for k, v in (need or {}).items():
            got = (doc.get("run") or {}).get(k)
            if got != v:
                return ("wrong", "%s: run.%s is %r, expected %r" % (rel, k, got, v))
        return None
    return post


def class5(I, has_rank):
    cases = []
    old = I["small"]
    suite_run = ["run", "--suite", "ci", "--device", "cpu"] + SIGNAL_RUN + ["-q", "-o", "existing.json"]
    for delay, sg, group in ((1.0, signal.SIGINT, True), (0.3, signal.SIGINT, True), (1.0, signal.SIGTERM, False),
                             (1.0, signal.SIGKILL, False), (2.5, signal.SIGKILL, False)):
        expect = (0, 130) if sg != signal.SIGKILL else (0,)
        cases.append(Case(5, suite_run, expect=expect, files={"existing.json": old}, outputs=["existing.json"],
                          sig=[(delay, sg, group)], post=results_ok("existing.json", old=old),
                          note="existing output, %s after %.1f s" % (signal.Signals(sg).name, delay)))
    # planted symlinks named like temporaries beside the target must not be written through
    victim = b"victim: must stay unchanged\n"

    def plant(target):
        def setup(d):
            base = os.path.basename(target)
            for n in ("." + base + ".tmp", base + ".tmp", "." + base + ".tmp.XXXXXX", base + "~", "." + base + ".swp",
                      "." + base + ".tmp.000000"):
                os.symlink(os.path.join(d, "victim.txt"), os.path.join(d, os.path.dirname(target), n))
        return setup

    writers = [
        (["run"] + SMALL + FAST + ["-q", "-o", "out.json"], (0,), "out.json"),
        (["baseline", "create", "run1.json", "--name", "x", "-o", "out.json"], (0,), "out.json"),
        (["compare", "run1.json", "--baseline", "base.json", "--json", "out.json"], (0, 1), "out.json"),
        (["compare", "run1.json", "--baseline", "base.json", "--junit", "out.json"], (0, 1), "out.json"),
        (["qualify", "run1.json", "--baseline", "base.json", "-o", "out.json"], (0, 1), "out.json"),
        (["report", "run1.json", "-o", "rep"], (0,), "rep/index.html"),
        (["report", "run1.json", "-o", "rep"], (0,), "rep/summary.md"),
    ]
    if has_rank:
        writers.append((["rank", "aws.json", "--json", "out.json"], (0,), "out.json"))
    for args, expect, target in writers:
        files = seed_files(I)
        files["victim.txt"] = victim
        outs = outputs_of(args)
        if target.startswith("rep/"):
            # a symlink AT the output file inside the output directory: the report must replace it, not write through
            def setup(d, t=target):
                os.mkdir(os.path.join(d, "rep"))
                os.symlink(os.path.join(d, "victim.txt"), os.path.join(d, t))
                plant(t)(d)
            note = "symlink at %s -> victim.txt" % target
        else:
            setup = plant(target)
            note = "symlinks .%s.tmp* etc. -> victim.txt" % target
        cases.append(Case(5, args, expect=expect, files=files, outputs=outs, setup=setup, note=note,
                          post=_victim_ok(victim)))
    # --junit /dev/null etc. must leave /dev/null a character device
    for args in (["compare", "run1.json", "--baseline", "base.json", "--junit", "/dev/null"],
                 ["compare", "run1.json", "--baseline", "base.json", "--json", "/dev/null"],
                 ["baseline", "create", "run1.json", "--name", "x", "-o", "/dev/null"],
                 ["run"] + SMALL + FAST + ["-q", "-o", "/dev/null"],
                 ["qualify", "run1.json", "--baseline", "base.json", "-o", "/dev/null"]):
        cases.append(Case(5, args, expect=(0, 1), names=["/dev/null"], files=seed_files(I), post=_dev_still_char,
                          note="/dev/null as output"))
    return cases


def _victim_ok(victim):
    def post(d, rc, out, err):
        if read(os.path.join(d, "victim.txt")) != victim:
            return ("dataloss", "victim.txt was written through a planted symlink")
        return None
    return post


def _after_kill(rel):
    """A killed run's file says complete: false (cut off), unless the kill came after the run had
    ended and written its last version (complete: true with finished_at): both are the truth."""
    def post(d, rc, out, err):
        if rc == 0:
            return results_ok(rel, {"complete": True})(d, rc, out, err)
        p = os.path.join(d, rel)
        if os.path.lexists(p):
            ok, doc = valid_json_file(p, "gpuqual.results/")
            run = (doc.get("run") or {}) if ok else {}
            if run.get("complete") is True and run.get("finished_at"):
                return None  # killed between the final write and exit
        return results_ok(rel, {"complete": False}, may_be_absent=True)(d, rc, out, err)
    return post


def class8(I):
    cases = []
    a = ["run", "--suite", "ci", "--device", "cpu"] + SIGNAL_RUN + ["-q", "-o", "F.json"]
    for sg in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(2.0, sg, False)],
                          post=results_ok("F.json", {"interrupted": True, "complete": True}),
                          note="%s after 2 s" % signal.Signals(sg).name))
    cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(2.0, signal.SIGINT, True)],
                      post=results_ok("F.json", {"interrupted": True, "complete": True}),
                      note="SIGINT to the process group (Ctrl-C) after 2 s"))
    cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(2.0, signal.SIGINT, True), (2.1, signal.SIGINT, True)],
                      post=results_ok("F.json", may_be_absent=True), note="two Ctrl-C, 0.1 s apart"))
    cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(0.2, signal.SIGINT, False)],
                      post=results_ok("F.json", {"interrupted": True}, may_be_absent=True), note="SIGINT after 0.2 s"))
    for delay in (2.0, 3.5):
        cases.append(Case(8, a, expect=(0,), outputs=["F.json"], sig=[(delay, signal.SIGKILL, False)],
                          post=_after_kill("F.json"),
                          note="SIGKILL after %.1f s" % delay))
    # interrupting report (a Python child) must not print a traceback
    for delay in (0.5, 1.0):
        cases.append(Case(8, ["report", "run1.json", "-o", "rep"], expect=(0, 130), files=seed_files(I), outputs=["rep"],
                          sig=[(delay, signal.SIGINT, True)], note="report, Ctrl-C after %.1f s" % delay))
    return cases


# ---------------------------------------------------------------------------------------------
# Class 9: seeded random mutations of a results file, given to `report`
