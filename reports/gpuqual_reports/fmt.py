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


def decimals(x, digits=3):
    """Decimals that give `x` `digits` significant digits (0 for |x| >= 10**(digits-1))."""
    if x is None or x == 0 or not math.isfinite(x):
        return digits - 1
    return max(0, digits - 1 - int(math.floor(math.log10(abs(x)))))


def interval(value, low, high, digits=3, fixed=None):
    """ "value [low, high]" with one number of decimals for all three: `fixed` when given (scores:
    3), else what gives `value` `digits` significant digits ("0.0806 [0.0803, 0.0809]"); "value
    (no spread)" when low == high, as `gpuqual rank` prints it."""
    if value is None:
        return UNKNOWN
    d = decimals(value, digits) if fixed is None else fixed
    if low == high:  # no spread known (C++ writes low = high = value): no interval to claim
        return f"{value:,.{d}f} (no spread)"
    return f"{value:,.{d}f} [{low:,.{d}f}, {high:,.{d}f}]"


_PREFIXES = "PTGMk"


def scale_for(values, unit):
    """(factor, unit) that brings the largest of `values` to >= 1 by stepping a leading SI prefix
    of `unit` down in powers of 1000 (TFLOP/s -> GFLOP/s -> MFLOP/s); (1, unit) when the unit has
    no such prefix or the values are already >= 1. One factor for a whole series/axis."""
    finite = [abs(v) for v in values if v is not None and math.isfinite(v) and v != 0]
    if not finite or len(unit) < 2 or unit[0] not in _PREFIXES or not unit[1].isupper():
        return 1.0, unit
    top, prefix, factor = max(finite), unit[0], 1.0
    while top * factor < 1 and _PREFIXES.index(prefix) + 1 < len(_PREFIXES):
        prefix = _PREFIXES[_PREFIXES.index(prefix) + 1]
        factor *= 1000
    return factor, prefix + unit[1:]
