"""Number and text formatting shared by the HTML, Markdown and CSV writers."""

import math

UNKNOWN = "–"


def num(x, digits=3):
    """A number with `digits` significant digits (thousands grouped); UNKNOWN for None/NaN."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return UNKNOWN
    if isinstance(x, bool):
        return "yes" if x else "no"
    if x == 0:
        return "0"
    mag = abs(x)
    if float(x).is_integer() and mag < 1e15:
        return f"{int(x):,}" if mag >= 10 ** digits else str(int(x))
    if mag >= 10 ** digits:
        return f"{x:,.0f}"
    if mag < 1e-3:
        return f"{x:.{max(1, digits - 1)}e}"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(mag))))
    return f"{x:,.{decimals}f}"


def known(x, digits=3):
    """Like num, but -1 (the results file's "unknown") is UNKNOWN too."""
    if x is None or x == -1:
        return UNKNOWN
    return num(x, digits) if not isinstance(x, str) else x


def ratio(x, digits=3):
    """A score or ratio with fixed decimals ("0.834", "1.000"); UNKNOWN for None."""
    return UNKNOWN if x is None else f"{x:.{digits}f}"


def pct(x, digits=1):
    """A fraction as a percentage ("73.2%"); UNKNOWN for None."""
    return UNKNOWN if x is None else f"{100 * x:.{digits}f}%"


def gib(nbytes):
    """Bytes as GiB text ("80.0 GiB"); UNKNOWN for 0/None."""
    return f"{nbytes / 2**30:.1f} GiB" if nbytes else UNKNOWN


def usd(x, digits=2):
    """Dollars ("$98.32"); UNKNOWN for None."""
    return UNKNOWN if x is None else f"${x:,.{digits}f}"


def ci(point, digits=3):
    """A (median, lo, hi) CI as "[lo, hi]"."""
    if not point:
        return UNKNOWN
    return f"[{num(point[1], digits)}, {num(point[2], digits)}]"


def text(x):
    """Any value as display text; empty or None as UNKNOWN."""
    if x is None or x == "":
        return UNKNOWN
    return str(x)
