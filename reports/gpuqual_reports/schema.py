"""Schema identifiers and the metric vocabulary the reports rely on (DESIGN.md §6).

SCHEMA mirrors gq::kResultsSchema in harness/version.h; a results file of another major
version is refused. The metric tables mirror DESIGN.md §6: names are never renamed, more may be
added, so unknown workloads and metrics are carried through (tables, data.csv) but not drawn.
"""

SCHEMA = "gpuqual.results/1"
SCHEMA_PREFIX = "gpuqual.results/"
SCHEMA_MAJOR = 1

BASELINE_SCHEMA = "gpuqual.baseline/1"
BASELINE_SCHEMA_PREFIX = "gpuqual.baseline/"

# Case statuses written by the C++ runner. Only measured cases (ok, noisy) are drawn; the others
# are listed with their reason.
STATUSES = ("ok", "failed", "skipped", "invalid", "noisy")
MEASURED_STATUSES = ("ok", "noisy")

# Workload -> family; one figure per family present.
FAMILIES = {
    "gemm": "gemm",
    "attention": "attention",
    "allreduce": "collective",
    "all_gather": "collective",
    "reduce_scatter": "collective",
    "alltoall": "collective",
    "broadcast": "collective",
    "membw": "membw",
    "e2e": "e2e",
}

# Metric names shared with the C++ side.
TFLOPS = "tflops"
BUSBW = "busbw"
BANDWIDTH = "bandwidth"
OUTPUT_TOK_S = "output_tok_s"
TOK_S_PER_GPU = "tok_s_per_gpu"
TPOT_MS = "tpot_ms"

# Verdict statuses as written by `gpuqual qualify`; Python only displays them.
VERDICT_STATUSES = ("PASS", "WARN", "INCOMPLETE", "FAIL")


def family_of(workload):
    """Returns the figure family of a workload name, or "other" for one without a figure."""
    return FAMILIES.get(workload, "other")
