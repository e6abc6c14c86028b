"""Reading JSON input files with one-line errors that name the file and the key path.

read_json(path) parses a file; Fields wraps one JSON object and reads typed keys from it. Every
problem raises ReportInputError("<file>: <key.path>: <what is wrong>"). Optional keys take a
default when absent or null, so older files and runs without GPUs or telemetry load cleanly.
"""

import json
import math
import re

from .errors import ReportInputError

_REQUIRED = object()


# The C++ readers' limit (harness/record/file_io.h): deeper nesting is refused before parsing,
# so a hostile file cannot exhaust the stack of either language.
MAX_JSON_DEPTH = 64


def nesting_depth(text):
    """Depth of the deepest array/object nesting in `text`, strings skipped (not a validator)."""
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}" and depth > 0:
            depth -= 1
    return deepest


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text}")
    return value


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _bounded_int(text):
    # nlohmann::json reads an integer too large for 64 bits as a double, and refuses one beyond a
    # double's range (a 400-digit integer) as 1e400; so does this.
    value = int(text)
    try:
        float(value)
    except OverflowError:
        raise ValueError(f"number out of range: {text[:40]}") from None
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_unicode(node):
    """Raises ValueError for a lone surrogate (a "\\ud800" escape), which the C++ parser refuses
    and no UTF-8 output can hold."""
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            try:
                x.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("a string holds a lone UTF-16 surrogate escape") from None
        elif isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)


def read_json(path):
    """Parses the JSON file at `path` once; raises ReportInputError for unreadable or malformed
    files, nesting deeper than MAX_JSON_DEPTH, NaN/Infinity, numbers out of range (1e400) and
    lone surrogate escapes, as the C++ readers do."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ReportInputError(f"{path}: cannot open file ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReportInputError(f"{path}: not UTF-8 text (is it a JSON file?)") from None
    if text.startswith("\ufeff"):  # a UTF-8 byte order mark, which the C++ parser skips too
        text = text[1:]
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise ReportInputError(f"{path}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        doc = json.loads(text, parse_float=_finite_float, parse_int=_bounded_int,
                         parse_constant=_no_constant)
        if _SURROGATE_ESCAPE.search(text):
            _check_unicode(doc)
        return doc
    except json.JSONDecodeError as e:
        raise ReportInputError(
            f"{path}: malformed JSON (line {e.lineno} column {e.colno}: {e.msg})") from None
    except ValueError as e:
        raise ReportInputError(f"{path}: malformed JSON ({e})") from None


class Fields:
    """Typed access to one JSON object at `where` (e.g. "cases[3].metrics") of file `origin`."""

    def __init__(self, value, origin, where=""):
        self.value = value
        self.origin = origin
        self.where = where
        if not isinstance(value, dict):
            self.fail("", "must be a JSON object")

    def fail(self, key, message):
        """Raises ReportInputError for `key` of this object."""
        path = ".".join(p for p in (self.where, key) if p)
        raise ReportInputError(f"{self.origin}: {path or 'top level'}: {message}")

    def has(self, key):
        """True when `key` is present and not null."""
        return self.value.get(key) is not None

    def _get(self, key, default):
        if not self.has(key):
            if default is _REQUIRED:
                self.fail(key, "missing")
            return None, True
        return self.value[key], False

    def str(self, key, default=_REQUIRED):
        """A string value; `default` when absent (required when no default is given)."""
        v, absent = self._get(key, default)
        if absent:
            return default
        if not isinstance(v, str):
            self.fail(key, "must be a string")
        return v

    def num(self, key, default=_REQUIRED):
        """A finite number (bool is refused)."""
        v, absent = self._get(key, default)
        if absent:
            return default
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.fail(key, "must be a number")
        return float(v)

    def bool(self, key, default=_REQUIRED):
        """A boolean value."""
        v, absent = self._get(key, default)
        if absent:
            return default
        if not isinstance(v, bool):
            self.fail(key, "must be true or false")
        return v

    def obj(self, key, default=_REQUIRED):
        """A nested object as Fields; `default` (usually None) when absent."""
        v, absent = self._get(key, default)
        if absent:
            return default
        return Fields(v, self.origin, self._path(key))

    def arr(self, key, default=_REQUIRED):
        """A list value."""
        v, absent = self._get(key, default)
        if absent:
            return default
        if not isinstance(v, list):
            self.fail(key, "must be a list")
        return v

    def objs(self, key, default=_REQUIRED):
        """A list of objects as a list of Fields."""
        items = self.arr(key, default)
        if items is default:
            return default
        return [Fields(x, self.origin, f"{self._path(key)}[{i}]") for i, x in enumerate(items)]

    def _path(self, key):
        return f"{self.where}.{key}" if self.where else key
