"""gpuqual reports: turn gpuqual result files into HTML, PNG, Markdown and CSV.

Pipeline: load (load.py, schema check) -> tidy table (table.py) -> comparison and costs
(compare.py, costs.py) -> one function per figure (figures_*.py) -> writers (html.py,
markdown.py, data_csv.py). Pass/fail is never decided here: verdicts are read from the files.
"""

from .schema import SCHEMA

__all__ = ["SCHEMA"]
