"""The one error type of bad input (results, baseline or prices file, command line).

Its message is a single line naming the input and the problem; cli.main prints it and returns 2,
the project-wide exit code for bad input (DESIGN.md §7, §9).
"""


class ReportInputError(Exception):
    """Bad input: str(error) is one line, e.g. "run.json: schema 'x' is not ..."."""
