"""summary.md: a compact GitHub-flavoured Markdown summary for a CI job summary or a PR comment.

The buyer's summary first (the recommendation, the ranking and the providers, as `gpuqual
report` computed them in C++), then the verdicts (as written by `gpuqual qualify`), the runs, the
comparison tables when several machines (or a baseline) are compared, the measured cases (capped, the rest are in
data.csv), and the cases that were not measured with their reasons. No images: it points at
index.html and the PNGs next to it.
"""

from . import compare_tables, fmt, outfile, summaries

MAX_CASE_ROWS = 40


_MD_PUNCTUATION = "\\[]|"


def _esc(x):
    """Text from result files (labels, case ids, reasons, titles) as inert Markdown: HTML is
    shown, not rendered (& < > as entities); backslashes, brackets (links, images) and pipes
    (table cells) are backslash-escaped; a newline cannot start a new block. Underscores stay as
    they are (GitHub does not emphasise inside words), so case ids read as they are written."""
    text = str(x).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = "".join("\\" + c if c in _MD_PUNCTUATION else c for c in text)
    return text.replace("\r", " ").replace("\n", " ")


def table_md(t, limit=None, kv=False):
    """A summaries.Table as Markdown lines (at most `limit` rows, the rest counted)."""
    if t is None:
        return []
    rows = t.rows if limit is None else t.rows[:limit]
    status = set(t.status_cols)
    headers = ["", ""] if kv else t.headers
    out = [f"### {_esc(t.title)}", "", "| " + " | ".join(_esc(h) for h in headers) + " |",
           "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        # A status in bold, as index.html badges it; "–" (no verdict: a run never qualified) is
        # no status and stays plain.
        cells = [f"**{_esc(c)}**" if (i in status and c not in ("", fmt.UNKNOWN)) else _esc(c)
                 for i, c in enumerate(row)]
        out.append("| " + " | ".join(cells) + " |")
    if not rows:
        out.append("| " + " | ".join(["none"] + [""] * (len(headers) - 1)) + " |")
    if limit is not None and len(t.rows) > limit:
        out.append(f"\n… {len(t.rows) - limit} more row(s) in `data.csv`.")
    if t.note:
        out += ["", f"_{_esc(t.note)}_"]
    return out + [""]


def summary_md(report):
    """The summary section: recommendation, ranking, providers; [] without procurement figures."""
    p = report.procurement
    if p is None:
        return []
    opening = (compare_tables.unranked_text(report) if compare_tables.single_machine(report)
               else p.recommendation)
    return (["## Summary", "", _esc(opening), ""] + table_md(compare_tables.summary_table(report))
            + table_md(compare_tables.providers_table(report)))


def render(report):
    """The Markdown text of the summary."""
    out = [f"# {_esc(report.title)}", "",
           f"_Generated {report.generated_at} from {len(report.runs)} result file(s)"
           + (f", normalised to baseline {_esc(report.baseline.name)}" if report.baseline else "")
           + ". Figures: `index.html` and the PNGs beside this file._", ""]
    out += summary_md(report)
    verdicts = [(run, run.verdict) for run in report.runs if run.verdict]
    if verdicts:
        out += ["## Verdict", ""]
        out += [f"- **{_esc(v.get('overall', '?'))}** — {_esc(run.label)} ({_esc(run.sku)})" for run, v in verdicts]
        out.append("")
        for run, _ in verdicts:
            tables = summaries.verdict_tables(run)
            out += table_md(tables[1])
    out += table_md(compare_tables.runs_table(report))
    if report.comparison is not None or report.spread:
        out += ["## Comparison", ""]
        out += table_md(compare_tables.spread_table(report))
        out += table_md(compare_tables.matrix_table(report), limit=MAX_CASE_ROWS)
    else:
        out += ["## Results", ""]
        for run in report.runs:
            out += table_md(summaries.cases_table(run, report.rows), limit=MAX_CASE_ROWS)
    skipped = summaries.not_measured_table(report.rows)
    if skipped is not None:
        out += table_md(skipped)  # its own heading: "Cases not measured (and noisy ones)"
    out.append("_Verdicts come from `gpuqual qualify`; this summary only reports them. "
               "Error bars and CIs: 95% confidence interval of the median._")
    return "\n".join(out) + "\n"


def write(report, path, _out_dir=None):
    """Writes summary.md to `path`."""
    outfile.write_text(path, render(report))
