"""Checking an input document against its JSON Schema (schemas/ at the repository root, draft
2020-12), the same files the C++ readers are tested to agree with.

check(doc, kind, origin) validates once, right after reading, and raises ReportInputError with the
first problem as one line "<file>: <json.path>: <what is wrong>", in the words the C++ readers use
("missing", "must be a number", "unknown status 'x' (one of ...)"). Kinds: results, baseline,
prices, instances, qualify-spec, procurement, trend.

The schemas are found in $GQ_SCHEMAS_DIR, else in schemas/ beside the reports/ directory (the
source tree, or share/gpuqual/ when installed).
"""

import functools
import json
import os

from .errors import ReportInputError

KINDS = ("results", "baseline", "prices", "instances", "qualify-spec", "procurement", "trend")
_COMMON = "common"
_MAX_SHOWN = 60  # characters of a value or key quoted in a message


class SchemaSetupError(RuntimeError):
    """The schemas or the jsonschema package are missing: an installation problem (exit 3)."""


def schemas_dir():
    """The directory holding <kind>.schema.json."""
    env = os.environ.get("GQ_SCHEMAS_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "schemas"))


def _load(name):
    path = os.path.join(schemas_dir(), f"{name}.schema.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SchemaSetupError(f"cannot read the schema {path} ({e}); set GQ_SCHEMAS_DIR") from None


@functools.lru_cache(maxsize=None)
def validator(kind):
    """A Draft 2020-12 validator of `kind`, with the shared definitions resolvable."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind {kind!r}")
    try:
        import jsonschema
    except ImportError:
        raise SchemaSetupError("the Python package jsonschema is missing (Debian: python3-jsonschema; "
                               "scripts/install-deps.sh installs it)") from None
    schema, common = _load(kind), _load(_COMMON)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    cls = jsonschema.validators.extend(cls, {"items": _numbers_fast(cls.VALIDATORS["items"])})
    try:  # jsonschema >= 4.18 resolves references through `referencing`
        from referencing import Registry, Resource
    except ImportError:  # Debian 12's 4.10
        store = {s["$id"]: s for s in (schema, common)}
        return cls(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store))
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in (schema, common)])
    return cls(schema, registry=registry)


def _numbers_fast(items_keyword):
    """The "items" keyword with a fast path for the long arrays of a results file (samples_s):
    items {"type": "number"} (with a "minimum") are checked in one loop; the standard keyword
    runs when any item fails, so errors read the same. About 20x faster on samples."""
    def items(validator, item_schema, instance, schema):
        if (isinstance(instance, list) and isinstance(item_schema, dict) and "prefixItems" not in schema
                and item_schema.get("type") == "number" and set(item_schema) <= {"type", "minimum"}):
            lo = item_schema.get("minimum", float("-inf"))
            if all(type(x) in (int, float) and x >= lo for x in instance):
                return
        yield from items_keyword(validator, item_schema, instance, schema)
    return items


def shown(value):
    """`value` quoted for a one-line message: control characters escaped, long text cut."""
    text = value if isinstance(value, str) else json.dumps(value)
    text = json.dumps(text)[1:-1] if isinstance(value, str) else text
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "..."


def quoted(value):
    """'text' for a string, the JSON of anything else; shortened as `shown`."""
    return f"'{shown(value)}'" if isinstance(value, str) else shown(value)


def json_path(parts):
    """"cases[2].metrics.tflops" from the parts of a path ("top level" for the root)."""
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + shown(p)
    return out or "top level"


_TYPE_WORDS = {"string": "a string", "number": "a number", "integer": "an integer",
               "boolean": "true or false", "object": "an object", "array": "a list", "null": "null"}


def _types(spec):
    names = spec if isinstance(spec, list) else [spec]
    words = [_TYPE_WORDS.get(n, n) for n in names if n != "null"] + (["null"] if "null" in names else [])
    return " or ".join(words)


def _bound(number):
    return f"{int(number)}" if float(number).is_integer() else f"{number:g}"


def _describe(error):
    """(path parts, problem) of one jsonschema ValidationError, in the C++ readers' words."""
    path = list(error.absolute_path)
    key, arg, inst = error.validator, error.validator_value, error.instance
    if key == "required":
        missing = [k for k in arg if isinstance(inst, dict) and k not in inst]
        return path + [missing[0] if missing else "?"], "missing"
    if key == "type":
        if "integer" in (arg if isinstance(arg, list) else [arg]) and isinstance(inst, (int, float)) \
                and not isinstance(inst, bool):
            return path, "must be an integer"
        return path, f"must be {_types(arg)}"
    if key == "const":
        return path, f"must be {quoted(arg)} (got {quoted(inst)})"
    if key == "enum":
        what = path[-1] if path and isinstance(path[-1], str) else "value"
        return path, f"unknown {shown(what)} {quoted(inst)} (one of {', '.join(str(a) for a in arg)})"
    if key == "maxLength" and "propertyNames" in error.schema_path:
        return path, f"a key is longer than {arg} characters"
    if key == "maxLength":
        return path, f"longer than {arg} characters"
    if key == "maxItems":
        return path, f"more than {arg} items"
    if key == "minProperties":
        return path, "must not be empty"
    if key == "additionalProperties" and arg is False:
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed] if isinstance(inst, dict) else ["?"]
        return path + [extra[0]], f"unknown key (allowed: {', '.join(allowed)})"
    if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[key]
        return path, f"must be {sign} {_bound(arg)} (got {quoted(inst)})"
    return path, error.message.splitlines()[0][:200]


def first_error(doc, kind):
    """(json path, problem) of the first schema violation of `doc`, or None when it is valid."""
    error = next(validator(kind).iter_errors(doc), None)
    if error is None:
        return None
    while error.context:  # anyOf/oneOf: the branch that got furthest
        error = max(error.context, key=lambda e: len(e.absolute_path))
    parts, problem = _describe(error)
    return json_path(parts), problem


def check(doc, kind, origin):
    """Raises ReportInputError "<origin>: <path>: <problem>" when `doc` breaks the schema."""
    found = first_error(doc, kind)
    if found is not None:
        raise ReportInputError(f"{origin}: {found[0]}: {found[1]}")
