"""The probe's machinery: a Case (argv, files, expected exits), the Runner that runs each case in a fresh
temporary directory under a timeout and classifies it (clean exit 2, expected other, wrong exit, crash,
hang, data lost), and the outcome names and headers. Used by reliability_probe.py."""
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTCOMES = ["clean2", "expected", "wrong", "crash", "hang", "dataloss"]
HEADERS = ["tried", "clean exit 2", "expected other", "wrong exit", "crash", "hang", "data lost"]
SEVERITY = {"crash": 5, "hang": 4, "dataloss": 3, "wrong": 2, "clean2": 1, "expected": 0}
CLASS_NAMES = {
    1: "1 deep JSON",
    2: "2 bad numbers in files",
    3: "3 bad files to loaders",
    4: "4 output write failures",
    5: "5 writes keep data",
    6: "6 bad flag/suite values",
    7: "7 plan size",
    8: "8 signals",
    9: "9 report mutations",
}
SMALL = ["gemm", "--device", "cpu", "-a", "dtype=fp32", "-a", "m=64", "-a", "n=64", "-a", "k=64"]
FAST = ["--max-time", "0.2", "--min-time", "0.05", "--warmup", "0.01", "--min-samples", "5"]
SUITE_FAST = ["--max-time", "0.4", "--min-time", "0.1", "--warmup", "0.02"]
SIGNAL_RUN = ["--max-time", "1", "--min-time", "0.3", "--warmup", "0.05"]  # the ci suite lasts ~5 s on the cpu
CRASH_MARKERS = ["Traceback (most recent call last)", "terminate called", "AddressSanitizer",
                 "Segmentation fault", "core dumped", "runtime error:", "Aborted"]


class Case:
    """One probe: a command run in a fresh directory, what it should do, and extra checks."""

    def __init__(self, cls, args, expect=(2,), names=(), files=None, outputs=(), timeout=60.0,
                 sig=None, post=None, setup=None, max_s=None, note=""):
        self.cls = cls
        self.args = list(args)
        self.expect = set(expect)        # exit codes that are right; 2 must also be clean
        self.names = list(names)          # any of these in the stderr line = "names the input"
        self.files = files or {}          # relative path -> bytes|str (copied into the case dir)
        self.outputs = list(outputs)      # relative paths the user named as outputs (may change)
        self.timeout = timeout
        self.sig = sig                    # [(delay_s, signal, to_group)] sent while it runs
        self.post = post                  # f(dir, rc, stdout, stderr) -> None | (outcome, reason)
        self.setup = setup                # f(dir) after files are written (symlinks, chmod ...)
        self.max_s = max_s                # answer slower than this = hang
        self.note = note

    def command_line(self):
        return "gpuqual " + " ".join(_quote(a) for a in self.args)


def _quote(a):
    if a == "" or any(ch in a for ch in " \t\n'\"$*;&|<>()"):
        return "'" + a.replace("'", "'\\''") + "'"
    return a if len(a) < 200 else a[:80] + "...(%d chars)" % len(a)


# ---------------------------------------------------------------------------------------------
# Running and classifying


def snapshot(root):
    """path -> (kind, digest-or-link-target) of everything under root, without following links."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", None)
            elif stat.S_ISREG(st.st_mode):
                try:
                    with open(p, "rb") as f:
                        out[rel] = ("file", hashlib.sha1(f.read()).hexdigest())
                except OSError:
                    out[rel] = ("file", "unreadable")
            else:
                out[rel] = ("other", None)
    return out


def under(rel, outputs):
    for o in outputs:
        o = o.rstrip("/")
        if rel == o or rel.startswith(o + "/"):
            return True
    return False


def valid_json_file(path, schema_prefix=None):
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except Exception as e:  # noqa: BLE001 - any failure means not valid
        return False, "not valid JSON (%s)" % str(e)[:80]
    if schema_prefix and not str(doc.get("schema", "") if isinstance(doc, dict) else "").startswith(schema_prefix):
        return False, "schema is not %s" % schema_prefix
    return True, doc


class Runner:
    def __init__(self, binary, env, workroot):
        self.binary = binary
        self.env = env
        self.workroot = workroot
        self.dev_lock = threading.Lock()

    def run_case(self, case):
        d = tempfile.mkdtemp(prefix="c%d-" % case.cls, dir=self.workroot)
        for rel, content in case.files.items():
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
        if case.setup:
            case.setup(d)
        before = snapshot(d)
        t0 = time.monotonic()
        hang = False
        p = subprocess.Popen([self.binary] + case.args, cwd=d, env=self.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        result = {}

        def pump():
            result["out"], result["err"] = p.communicate()

        th = threading.Thread(target=pump, daemon=True)
        th.start()
        if case.sig:
            for delay, sg, group in case.sig:
                end = t0 + delay
                while time.monotonic() < end and p.poll() is None:
                    time.sleep(0.02)
                if p.poll() is None:
                    try:
                        (os.killpg(p.pid, sg) if group else os.kill(p.pid, sg))
                    except ProcessLookupError:
                        pass
        th.join(case.timeout)
        if th.is_alive():
            hang = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            th.join(10)
        elapsed = time.monotonic() - t0
        rc = p.returncode
        out = result.get("out", b"").decode("utf-8", "replace")
        err = result.get("err", b"").decode("utf-8", "replace")
        outcome, reason = self.classify(case, d, before, rc, out, err, hang, elapsed)
        rec = {"cls": case.cls, "cmd": case.command_line(), "rc": rc, "stderr": err, "outcome": outcome,
               "reason": reason, "elapsed": elapsed, "note": case.note}
        self.guard_devices()
        shutil.rmtree(d, ignore_errors=True)
        return rec

    def guard_devices(self):
        # A broken /dev/null or /dev/full would break every other process on the machine: put it back.
        with self.dev_lock:
            for path, minor in (("/dev/null", 3), ("/dev/full", 7)):
                try:
                    if stat.S_ISCHR(os.lstat(path).st_mode):
                        continue
                except FileNotFoundError:
                    pass
                try:
                    if os.path.lexists(path):
                        os.unlink(path)
                    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
                    os.chmod(path, 0o666)
                except OSError:
                    pass

    def classify(self, case, d, before, rc, out, err, hang, elapsed):
        found = []  # (outcome, reason)
        if hang:
            found.append(("hang", "no answer in %.0f s" % case.timeout))
        elif case.max_s is not None and elapsed > case.max_s:
            found.append(("hang", "answered after %.1f s (limit %.0f s)" % (elapsed, case.max_s)))
        sent = [s for _, s, _ in (case.sig or [])]
        if rc is not None and rc == -signal.SIGKILL and signal.SIGKILL in sent:
            found.append(("expected", ""))
        elif rc is not None and rc < 0:
            found.append(("crash", "killed by signal %d (%s)" % (-rc, signal.Signals(-rc).name)))
        for m in CRASH_MARKERS:
            if m in err or m in out:
                found.append(("crash", "'%s' in output" % m))
                break
        # data: files the user did not name as outputs must be untouched; no stray files
        after = snapshot(d)
        for rel, st in before.items():
            if under(rel, case.outputs):
                continue
            if rel not in after:
                found.append(("dataloss", "%s was deleted" % rel))
            elif after[rel] != st:
                found.append(("dataloss", "%s was modified (%s -> %s)" % (rel, st[0], after[rel][0])))
        for rel in after:
            if rel not in before and not under(rel, case.outputs):
                found.append(("wrong", "stray file left: %s" % rel))
        # a pre-existing output must not be destroyed when the command fails
        if rc in (2, 3) and not hang:
            for o in case.outputs:
                if o in before and before[o][0] == "file" and after.get(o) != before[o]:
                    found.append(("dataloss", "existing output %s changed although the command failed" % o))
        if case.post and not hang:
            r = case.post(d, rc, out, err)
            if r:
                found.append(r)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        if not hang and rc is not None and rc >= 0:
            if rc in case.expect:
                if rc == 2:
                    if len(lines) != 1:
                        found.append(("wrong", "exit 2 with %d stderr lines" % len(lines)))
                    elif case.names and not any(n.lower() in lines[0].lower() for n in case.names):
                        found.append(("wrong", "exit 2 but stderr does not name the input (%s)" % case.names[0]))
                    else:
                        found.append(("clean2", ""))
                else:
                    found.append(("expected", ""))
            else:
                found.append(("wrong", "exit %d (expected %s)" % (rc, "/".join(map(str, sorted(case.expect))))))
        found.sort(key=lambda x: -SEVERITY[x[0]])
        top = found[0][0] if found else "wrong"
        reasons = "; ".join(r for o, r in found if r and SEVERITY[o] >= 2)
        return top, reasons


# ---------------------------------------------------------------------------------------------
# Inputs
