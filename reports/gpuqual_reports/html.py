"""index.html: one self-contained page (inline CSS, PNGs embedded as data URIs, no scripts, no
network), readable when opened from disk or attached to a ticket.

Sections: the buyer's summary (recommendation, ranking, providers: the procurement figures
`gpuqual report` computed in C++), overview (runs, verdicts), comparison (scores, cost, spread,
cases side by side),
figures per workload family, per-run details (machine, verdict and checks, health, telemetry,
measured cases) and the cases that were not measured with their reasons.

Layout contract (tested in headless Chromium): at 1400 and 800 px wide no element is wider than
the page (tables wrap, they never scroll sideways; identifiers break only after a separator, numeric
columns are right-aligned whole); printed (`gpuqual report --pdf`) the summary
fills page 1 and everything else starts on page 2.
"""

import base64
import html
import os

from . import compare_tables, fmt, outfile, schema, summaries

_CSS = """
:root{--fg:#1d232b;--muted:#5b6672;--line:#d9dee4;--bg:#ffffff;--band:#f5f7f9;--accent:#1f5fa8}
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);
 background:var(--bg);margin:0}
main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
header.top{background:#14253a;color:#fff;padding:22px 28px}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:650}
header.top p{margin:0;color:#c4d0dd;font-size:13px}
nav{margin:14px 0 6px;font-size:13px} nav a{margin-right:14px;color:var(--accent);text-decoration:none}
h2{font-size:19px;margin:34px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:22px 0 8px}
table{border-collapse:collapse;margin:6px 0 6px;font-size:12.5px;width:100%;max-width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 9px;text-align:left;vertical-align:top;
 overflow-wrap:break-word}
td.long,th.long{overflow-wrap:anywhere}
td.nowrap,.nw{white-space:nowrap}
th.num{text-align:right}
.st{white-space:nowrap}
th{background:var(--band);font-weight:600}
tr:nth-child(even) td{background:#fbfcfd}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.kv td:first-child{font-weight:600;color:var(--muted)}
code{overflow-wrap:anywhere}
.recommendation{border-left:4px solid var(--accent);background:var(--band);padding:10px 14px;
 margin:10px 0 14px;font-size:15px}
@media (max-width:900px){main{padding:16px 12px 32px}table{font-size:11.5px}th,td{padding:4px 5px}}
@media print{
 @page{size:A4;margin:12mm}
 body{font-size:11px}
 header.top{background:none;color:var(--fg);padding:0 0 6px;border-bottom:2px solid var(--fg)}
 header.top p{color:var(--muted)}
 main{max-width:none;padding:0}
 nav{display:none}
 #summary{break-after:page}
 figure,tr{break-inside:avoid}
 h2,h3{break-after:avoid}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
p.note{color:var(--muted);font-size:12px;margin:2px 0 12px}
figure{margin:16px 0 26px;border:1px solid var(--line);border-radius:6px;padding:10px;background:#fff}
figure img{max-width:100%;height:auto;display:block;margin:0 auto}
figcaption{color:var(--muted);font-size:12.5px;margin-top:8px}
.st{font-weight:700;border-radius:4px;padding:1px 7px;display:inline-block}
.st-PASS,.st-ok{background:#dff3e4;color:#1b6b33}
.st-WARN,.st-noisy,.st-skipped{background:#fdf1d6;color:#8a5a00}
.st-FAIL,.st-failed,.st-invalid{background:#fbe0e0;color:#a11d1d}
.st-INCOMPLETE{background:#e8e8f3;color:#3b3b7a}
.badges{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.badge{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:210px;background:var(--band)}
.badge .st{font-size:18px;margin-top:4px}
.badge small{color:var(--muted);display:block}
details{margin:8px 0} summary{cursor:pointer;color:var(--accent);font-weight:600}
footer{color:var(--muted);font-size:12px;margin-top:40px;border-top:1px solid var(--line);padding-top:10px}
"""

_NUMERIC_HINT = set("0123456789.,-–$%×[]→/()=+e ")


def _e(x):
    return html.escape(str(x), quote=True)


_STATUS_WORDS = set(schema.STATUSES) | set(schema.VERDICT_STATUSES)


# Identifiers (machine names, SKUs, instance types, case ids, paths) never break inside a part:
# an identifier of up to _ID_WORD characters stays on one line (white-space:nowrap: SKUs, most
# instance types); a longer one may break only after a separator (<wbr>: "Standard_|ND96isr_|
# H100_v5", paths after "/"), and only a part longer than _PART between separators (a hash) may
# break anywhere, so that no table is wider than the page at 800 px or on A4.
_ID_WORD = 16
_PART = 24
_SEPARATORS = "/_-.=,:"


def _numeric(text):
    text = text.replace(" (no spread)", "")  # fmt.interval's figure without an interval
    return any(c.isdigit() for c in text) and set(text) <= _NUMERIC_HINT


def numeric_columns(t):
    """Columns of a Table right-aligned as numbers: those where most cells that say something
    (not "–" or empty) read as numbers, so "3=" and "set apart" align with "1" and "–" with
    values."""
    out = set()
    for i in range(len(t.headers)):
        cells = [str(r[i]) for r in t.rows if i < len(r) and str(r[i]) not in ("", fmt.UNKNOWN)]
        if cells and 2 * sum(_numeric(c) for c in cells) >= len(cells) and i not in t.status_cols:
            out.add(i)
    return out


def _parts(word):
    """A word cut after each separator: "h100-sxm-80gb" -> ["h100-", "sxm-", "80gb"]."""
    out, part = [], ""
    for c in word:
        part += c
        if c in _SEPARATORS:
            out.append(part)
            part = ""
    return out + ([part] if part else [])


def _text_html(text):
    """Escaped cell text with a break opportunity after separators of long identifiers."""
    words = []
    for w in text.split(" "):
        words.append("<wbr>".join(_e(p) for p in _parts(w)) if len(w) > _ID_WORD else _e(w))
    return " ".join(words)


def _classes(text, num):
    out = ["num"] if num else []
    words = text.split()
    if (num and " [" not in text and len(text) <= 2 * _ID_WORD) or (len(words) == 1 and len(text) <= _ID_WORD):
        out.append("nowrap")
    if any(len(p) > _PART for w in words for p in _parts(w)):
        out.append("long")
    return f' class="{" ".join(out)}"' if out else ""


def _header(text, num):
    text = str(text)
    long = any(len(p) > _PART for w in text.split() for p in _parts(w))
    classes = [c for c, on in (("num", num), ("long", long)) if on]
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<th{attr}>{_text_html(text)}</th>"


def _cell(text, status, num=False):
    text = str(text)
    if status and text and text.split()[0] in _STATUS_WORDS:
        return f'<td><span class="st st-{_e(text.split()[0])}">{_e(text)}</span></td>'
    if num and " [" in text:  # "value [low, high]": the interval may go under the value, whole
        value, _, interval = text.partition(" [")
        return (f'<td{_classes(text, num)}><span class="nw">{_e(value)}</span> '
                f'<span class="nw">[{_e(interval)}</span></td>')
    return f"<td{_classes(text, num)}>{_text_html(text)}</td>"


def table_html(t, kv=False):
    """A summaries.Table as HTML (kv: a key/value table without a header row)."""
    if t is None:
        return ""
    nums = set() if kv else numeric_columns(t)
    out = [f"<h3>{_e(t.title)}</h3>", f'<table class="{"kv" if kv else "grid"}">']
    if not kv:
        out.append("<tr>" + "".join(_header(h, i in nums) for i, h in enumerate(t.headers)) + "</tr>")
    for row in t.rows:
        out.append("<tr>" + "".join(_cell(c, i in t.status_cols, i in nums) for i, c in enumerate(row)) + "</tr>")
    if not t.rows:
        out.append(f'<tr><td colspan="{len(t.headers)}">none</td></tr>')
    out.append("</table>")
    if t.note:
        out.append(f'<p class="note">{_e(t.note)}</p>')
    return "\n".join(out)


def figure_html(spec, out_dir):
    """A figure with its PNG embedded as a base64 data URI and its caption."""
    with open(os.path.join(out_dir, f"{spec.name}.png"), "rb") as f:
        data = base64.b64encode(f.read()).decode("ascii")
    return (f'<figure id="fig-{_e(spec.name)}"><img alt="{_e(spec.title)}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption><b>{_e(spec.title)}.</b> {_e(spec.caption)} "
            f"(<code>{_e(spec.name)}.png</code>)</figcaption></figure>")


def _badges(report):
    items = []
    for run in report.runs:
        overall = (run.verdict or {}).get("overall")
        if overall:
            items.append(f'<div class="badge"><small>{_e(run.label)} · {_e(run.sku)}</small>'
                         f'<span class="st st-{_e(overall)}">{_e(overall)}</span></div>')
    return f'<div class="badges">{"".join(items)}</div>' if items else ""


def _run_section(report, run, out_dir, figs):
    parts = [f'<h2 id="run-{report.runs.index(run) + 1}">Run: {_e(run.label)}</h2>',
             table_html(summaries.machine_table(run), kv=True)]
    verdict = summaries.verdict_tables(run)
    if verdict:
        parts += [table_html(verdict[0], kv=True), table_html(verdict[1])]
    parts.append(table_html(summaries.health_table(run)))
    for spec in figs:
        parts.append(figure_html(spec, out_dir))
    cases = summaries.cases_table(run, report.rows)
    parts.append(f"<details{' open' if len(cases.rows) <= 20 else ''}><summary>"
                 f"{len(cases.rows)} measured case(s)</summary>{table_html(cases)}</details>")
    return "\n".join(parts)


def _summary(report):
    """The summary section (page 1 in print: recommendation and ranking), then the providers
    table; "" without procurement figures."""
    p = report.procurement
    if p is None:
        return ""
    opening = (compare_tables.unranked_text(report) if compare_tables.single_machine(report)
               else p.recommendation)
    return "\n".join(['<section id="summary"><h2>Summary</h2>',
                      f'<p class="recommendation">{_e(opening)}</p>',
                      table_html(compare_tables.summary_table(report)), "</section>",
                      table_html(compare_tables.providers_table(report))])


def render(report, out_dir):
    """The whole page as a string; the figures' PNGs must already be in out_dir."""
    compare_figs = [f for f in report.figures if f.name.startswith("compare_")]
    family_figs = [f for f in report.figures if not f.name.startswith("compare_") and f.run is None]
    nav = (['<a href="#summary">Summary</a>'] if report.procurement else []) + ['<a href="#overview">Overview</a>']
    body = [_summary(report), '<h2 id="overview">Overview</h2>', _badges(report),
            table_html(compare_tables.runs_table(report))]
    if report.comparison is not None or report.spread or compare_figs:
        nav.append('<a href="#comparison">Comparison</a>')
        body.append('<h2 id="comparison">Comparison</h2>')
        body.append(table_html(compare_tables.spread_table(report)))
        body += [figure_html(f, out_dir) for f in compare_figs]
        matrix = compare_tables.matrix_table(report)
        if matrix is not None:
            body.append(f"<details><summary>Cases side by side ({len(matrix.rows)})</summary>"
                        f"{table_html(matrix)}</details>")
    if family_figs:
        nav.append('<a href="#figures">Figures</a>')
        body.append('<h2 id="figures">Figures</h2>')
        body += [figure_html(f, out_dir) for f in family_figs]
    for i, run in enumerate(report.runs):
        nav.append(f'<a href="#run-{i + 1}">{_e(run.label)}</a>')
        body.append(_run_section(report, run, out_dir, [f for f in report.figures if f.run is run]))
    skipped = summaries.not_measured_table(report.rows)
    if skipped is not None:
        nav.append('<a href="#not-measured">Not measured</a>')
        body += ['<h2 id="not-measured">Cases not measured</h2>', table_html(skipped)]
    baseline = (f" Normalised to baseline {_e(report.baseline.name)}." if report.baseline else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(report.title)}</title><style>{_CSS}</style></head>
<body><header class="top"><h1>{_e(report.title)}</h1>
<p>Generated {_e(report.generated_at)} from {len(report.runs)} result file(s) ({_e(schema.SCHEMA)}).{baseline}</p>
</header><main><nav>{"".join(nav)}</nav>
{chr(10).join(b for b in body if b)}
<footer>Made by <code>gpuqual report</code>. Verdicts and check statuses are read from the result
files (<code>gpuqual qualify</code>); this report draws and tabulates, it does not judge. Error bars
are the 95% confidence interval of the median. Data: <code>data.csv</code>.</footer>
</main></body></html>
"""


def write(report, path, out_dir):
    """Writes index.html to `path`, embedding the PNGs found in out_dir."""
    outfile.write_text(path, render(report, out_dir))
