"""`gpuqual report` of the real H200 files shows what they hold: each run's measured-case table
carries the statuses and medians of its JSON, the noisy cases are listed with C++'s reasons, the
telemetry captions name the throttle reason the cases recorded, and the scores against the H200
baseline agree with what `gpuqual compare` decides for the same run (read from its --json; the
report recomputes no decision)."""

import csv
import json
import os
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import H200_BASELINE, H200_FILES, binary, fixture

FIGURES = {"compare_scores", "compare_cases", "compare_spread", "gemm", "attention", "collectives",
           "membw", "e2e", "roofline"} | {f"telemetry_{i}" for i in range(1, 6)}


class _Tables(HTMLParser):
    """{h3 title: [[cell text, ...] per row]} of a page's tables (<wbr> and spans read through)."""

    def __init__(self):
        super().__init__()
        self.tables, self._title, self._rows, self._cell, self._in_h3 = {}, "", None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "h3":
            self._in_h3, self._title = True, ""
        elif tag == "table":
            self._rows = self.tables.setdefault(self._title, [])
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in_h3 = False
        elif tag == "table":
            self._rows = None
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._in_h3:
            self._title += data
        elif self._cell is not None:
            self._cell += data


def _docs():
    out = []
    for name in H200_FILES:
        with open(fixture(name), encoding="utf-8") as f:
            out.append(json.load(f))
    return out


@pytest.fixture(scope="module")
def page(h200_report):
    with open(os.path.join(h200_report, "index.html"), encoding="utf-8") as f:
        return f.read()


def test_every_figure_with_data_is_written_and_embedded(h200_report, page):
    pngs = {n[:-4] for n in os.listdir(h200_report) if n.endswith(".png")}
    assert pngs == FIGURES  # no compare_cost_tokens: no prices were given
    for name in pngs:
        assert f'id="fig-{name}"' in page


def test_measured_case_tables_carry_the_statuses_and_medians_of_the_files(page):
    parser = _Tables()
    parser.feed(page)
    for i, doc in enumerate(_docs(), start=1):
        header, *rows = parser.tables[f"Measured cases — vm #{i}"]
        assert header[:6] == ["case", "device", "status", "median", "95% CI", "unit"]
        assert len(rows) == len(doc["cases"])
        for row, case in zip(rows, doc["cases"]):
            m = case["metrics"][case["primary_metric"]]
            assert row[:3] == [case["id"], case["device"], case["status"]]
            assert float(row[3].replace(",", "")) == pytest.approx(m["median"], rel=5e-3), case["id"]
            assert row[5] == m["unit"]


def test_summary_md_lists_the_runs_without_a_verdict(h200_report):
    """No run was qualified: each one's verdict is "–", plain (not a bold status)."""
    with open(os.path.join(h200_report, "summary.md"), encoding="utf-8") as f:
        md = f.read()
    for i, name in enumerate(H200_FILES, start=1):
        cases = "9/9" if "anchors" in name else "35/35"
        assert f"| vm #{i} | h200-sxm-141gb | 1 | unknown | 580.159.04 | 13.0 | {cases} | – |" in md
    assert "**–**" not in md


def test_noisy_cases_are_listed_with_their_reasons(page):
    parser = _Tables()
    parser.feed(page)
    header, *rows = parser.tables["Cases not measured (and noisy ones)"]
    listed = {(r[0], r[1], r[3], r[4]) for r in rows}
    noisy = {(f"vm #{i}", c["id"], "noisy", c["reason"]) for i, doc in enumerate(_docs(), start=1)
             for c in doc["cases"] if c["status"] == "noisy"}
    assert len(noisy) == 13 and listed == noisy  # 3 e2e cases a quick run, the anchors' prefill


def test_telemetry_captions_name_the_throttle_reason_the_cases_recorded(page):
    for i, doc in enumerate(_docs(), start=1):
        reasons = {x for c in doc["cases"] for x in c["telemetry"]["throttle_reasons"]}
        gemm = [c for c in doc["cases"] if c["workload"] == "gemm"]
        assert reasons == {"sw_power_cap"} and all(c["telemetry"]["throttle_reasons"] for c in gemm)
        caption = page.split(f'id="fig-telemetry_{i}"')[1].split("</figcaption>")[0]
        assert f"Telemetry — vm #{i}." in caption
        assert "Shaded: cases with throttle reasons (sw_power_cap)." in caption


@pytest.fixture(scope="module")
def quick4(tmp_path_factory):
    """(`gpuqual compare quick-4 --baseline --json` as a dict, data.csv rows of `gpuqual report
    quick-4 --baseline` by case id)."""
    out = tmp_path_factory.mktemp("quick4")
    run = fixture("h200/quick-4.json")
    for argv in (["compare", run, "--baseline", H200_BASELINE, "--json", str(out / "compare.json")],
                 ["report", run, "--baseline", H200_BASELINE, "-o", str(out / "report")]):
        proc = subprocess.run([binary(), *argv], capture_output=True, text=True, timeout=300,
                              check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(out / "compare.json", encoding="utf-8") as f:
        decided = json.load(f)
    with open(out / "report" / "data.csv", encoding="utf-8", newline="") as f:
        rows = {r["case_id"]: r for r in csv.DictReader(f)}
    return decided, rows


def test_scores_against_the_baseline_agree_with_what_compare_decides(quick4):
    decided, rows = quick4
    assert decided["passed"] and decided["rows"]
    assert {r["id"] for r in decided["rows"]} == {c for c, r in rows.items() if r["score"]}
    for judged in decided["rows"]:
        row = rows[judged["id"]]
        score = float(row["score"])
        assert row["score_reference"] == "baseline"
        # One candidate run: compare's figure is that run's median (from its samples, so to
        # rounding), the one the report reads.
        assert float(row["median"]) == pytest.approx(judged["candidate_figure"], rel=1e-6)
        if judged["verdict"] == "unchanged":  # no departure beyond the tolerance shown
            assert abs(score - 1) <= judged["tolerance"], judged["id"]
        low, high = judged["change_ci"]
        if low > 0 or high < 0:  # compare is sure of the direction: the score points the same way
            assert (score > 1) == (low > 0), judged["id"]
