"""Command line of the reports: `gpuqual report RESULTS... [-o DIR] [--baseline FILE]
[--procurement FILE] [--title TEXT] [--pdf]`, also runnable as
`python3 -m gpuqual_reports`. `gpuqual report` passes --procurement: the figures it computed in
C++ from the same files (without it the report has no summary, ranking or cost figures).

main(argv) returns the exit code: 130 when interrupted, 0 report written, 2 bad input (one line on stderr naming the
file and the problem: unreadable, malformed, another schema version, an empty run, a bad
baseline or procurement file, an unwritable output directory), 3 an unexpected failure (never 1,
which gpuqual keeps for "a check failed").
"""

import argparse
import os
import sys

from . import history_report
from . import outfile
from . import pdf
from . import report as report_mod
from .baseline import load_baseline
from .errors import ReportInputError
from .load import load_all
from .procurement import load_procurement

PROG = "gpuqual report"


class _Parser(argparse.ArgumentParser):
    """argparse that raises ReportInputError (one line) instead of printing usage and exiting."""

    def error(self, message):
        raise ReportInputError(f"{message} (see {PROG} --help)")


def _parser():
    p = _Parser(prog=PROG, description="Turn gpuqual result files into a self-contained report: "
                "index.html, summary.md, one PNG per figure and data.csv.")
    p.add_argument("results", nargs="+", metavar="RESULTS",
                   help="result files (schema gpuqual.results/1); several are compared side by side")
    p.add_argument("-o", "--output", default="reports-out", metavar="DIR",
                   help="output directory (created; default: reports-out)")
    p.add_argument("--baseline", metavar="FILE",
                   help="normalise to this gpuqual.baseline/1 or results file instead of the best machine")
    p.add_argument("--procurement", metavar="FILE",
                   help="the buyer's figures (gpuqual.procurement/1, from `gpuqual rank --json`); "
                        "`gpuqual report` passes them")
    p.add_argument("--title", help="report title (default: from the machines)")
    p.add_argument("--pdf", action="store_true",
                   help="also print index.html to report.pdf with headless Chromium (summary on page 1)")
    return p


# Options that take a value: the word after one is its value even when it starts with "-"
# (`--title -x`), which argparse alone would take for another option.
_VALUE_OPTIONS = ("-o", "--output", "--baseline", "--procurement", "--title")


def _join_values(argv):
    out, i = [], 0
    while i < len(argv):
        if argv[i] in _VALUE_OPTIONS and i + 1 < len(argv):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def run(argv):
    """Parses argv, builds and writes the report; returns the list of written paths.
    Raises ReportInputError for bad input."""
    if any(a.split("=")[0] == "--history-trend" for a in argv):  # gpuqual report --history
        return history_report.run(_join_values(argv))
    args = _parser().parse_args(_join_values(argv))
    runs = load_all(args.results)
    baseline = load_baseline(args.baseline) if args.baseline else None
    figures = load_procurement(args.procurement) if args.procurement else None
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise ReportInputError(f"{args.output}: output path exists and is not a directory")
    rep = report_mod.build(runs, baseline, args.title, figures)
    try:
        paths = report_mod.write(rep, args.output)
    except OSError as e:
        raise ReportInputError(f"{e.filename or args.output}: cannot write ({e.strerror or e})") from None
    if args.pdf:
        paths.append(pdf.write_pdf(os.path.join(args.output, "index.html"),
                                   os.path.join(args.output, "report.pdf")))
    for note in rep.notes + [outfile.others_note(args.output, paths)]:  # figures left out; stale PNGs
        if note:
            print(f"{PROG}: warning: {_one_line(note)}", file=sys.stderr)
    print(f"report: {os.path.join(args.output, 'index.html')} ({len(rep.figures)} figure(s), "
          f"{len(rep.rows)} case(s) from {len(runs)} run(s)); summary.md and data.csv beside it"
          + ("; report.pdf" if args.pdf else ""))
    return paths


def _one_line(text):
    """A message as one line: control characters from files (line breaks in a key) escaped."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


def main(argv=None):
    """Entry point: returns 0 ok, 2 bad input, 3 unexpected failure, 130 interrupted (Ctrl-C)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if any(a in ("-h", "--help") for a in argv):
        _parser().print_help()
        return 0
    try:
        run(argv)
        return 0
    except ReportInputError as e:
        print(f"{PROG}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted (files already written are complete; the report is not)", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - one line, never a stack trace (DESIGN.md §9)
        print(f"{PROG}: failed: {type(e).__name__}: {_one_line(e)}", file=sys.stderr)
        return 3
