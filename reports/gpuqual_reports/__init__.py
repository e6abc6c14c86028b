"""gpuqual reports: turn gpuqual result files into HTML, PNG, Markdown and CSV.

Pipeline: load (load.py, schema check; procurement.py, the buyer's figures `gpuqual report`
computed in C++) -> tidy table (table.py) -> display comparison (compare.py) -> one function per
figure (figures_*.py) -> writers (html.py, markdown.py, data_csv.py; pdf.py prints index.html).
Nothing is decided or ranked here: verdicts, scores, costs and the ranking are read from files.
"""

from .schema import SCHEMA

__all__ = ["SCHEMA"]
