"""The bounded sandbox every prompt and output template renders in. Pure.

Templates may come from a user folder or a shared "template pack", so they are untrusted code. Jinja's
ImmutableSandboxedEnvironment already keeps them away from Python internals (`''.__class__.__mro__`)
and from mutating lists and dicts. This module adds the other half: a template cannot make the
process build gigabytes or spin forever. Per render it gets a budget:

- steps: every loop iteration and every call (macros included) costs one step, so nested loops and
  exponential macro recursion stop at MAX_STEPS;
- time and memory: MAX_SECONDS of CPU time and MAX_MEMORY bytes above what the process had when the
  render began, checked at each call back into the sandbox (memory every RSS_EVERY calls) and held
  by a watchdog thread (watchdog.py) that stops even a filter running long on its own (`urlize`,
  `batch`) or a list of large strings built in one expression;
- size: the operations that multiply size are checked before they run (`*`, `**`, `%` and `+`, `~`,
  width and repeat arguments of filters, `str.format`, turning a nested list into text), no single
  value may pass MAX_CHARS, and the output itself is measured as it is produced, in real bytes
  (templating.py): nothing is counted twice, so a large digest is not mistaken for a runaway one.

Pydantic objects expose only their fields and properties: their other methods (parse_raw with
pickle, parse_file) would be a way out of the sandbox.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import time
from collections.abc import Iterator, Sized
from dataclasses import dataclass

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from pydantic import BaseModel

from briefing.output.watchdog import STOP_BELOW, resident_bytes, watched

MAX_CHARS = 20_000_000  # a briefing is ~50 kB; a big digest a few MB
MAX_ITEMS = 1_000_000  # list length, and the largest count or width a filter may be given
MAX_STEPS = 1_000_000  # loop iterations + calls per render; a briefing needs a few thousand
# Of the rendering thread's CPU time (a busy machine does not fail a render); a 400-story digest takes 3-5 s.
MAX_SECONDS = 10.0
MAX_MEMORY = 256_000_000  # bytes above what the process used when the render began (watchdog.py)
MAX_RANGE = 100_000
RSS_EVERY = 64  # calls back between looks at the process's memory (one look: a read of /proc/self/statm)
MAX_FORMAT_WIDTH = 10_000
MAX_INT_BITS = 100_000

# str methods that can multiply a string's size; the filters of the same names are bounded instead.
_AMPLIFYING_STR_METHODS = frozenset(
    ["center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join", "translate", "maketrans"]
)


class LimitError(SecurityError):
    """A template went past one of the render limits."""


@dataclass
class _Budget:
    steps: int
    deadline: float  # time.thread_time() of the rendering thread
    rss_limit: int  # resident bytes at which the render is stopped (watchdog.py's margin under MAX_MEMORY)
    calls: int = 0

    def spend(self, steps: int = 0) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise LimitError(f"the template ran more than {MAX_STEPS:,} loop iterations and calls")
        if time.thread_time() > self.deadline:
            raise LimitError(f"the template ran longer than {MAX_SECONDS:g} seconds")
        # Memory is looked at from inside too, every RSS_EVERY calls back: a template allocating
        # megabytes per call (a list of large strings) outruns the watchdog's look every 10 ms.
        self.calls += 1
        if self.calls % RSS_EVERY == 0 and resident_bytes() > self.rss_limit:
            raise LimitError(f"the template used more than {MAX_MEMORY // 1_000_000} MB of memory")


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("briefing_template_budget", default=None)


@contextlib.contextmanager
def render_budget():
    """Give the renders inside this block one fresh budget (per thread / task), watched from outside too."""
    if _budget.get() is not None:  # a render inside a render: the outer budget holds
        yield
        return
    budget = _Budget(
        steps=MAX_STEPS,
        deadline=time.thread_time() + MAX_SECONDS,
        rss_limit=resident_bytes() + MAX_MEMORY - STOP_BELOW,
    )
    token = _budget.set(budget)
    try:
        with watched(MAX_SECONDS, MAX_MEMORY):
            yield
    finally:
        _budget.reset(token)


def _spend(steps: int = 0) -> None:
    budget = _budget.get()
    if budget is not None:  # outside render_budget (compile-time constant folding) only the size checks apply
        budget.spend(steps)


def estimated_chars(value: object, _memo: dict[int, int] | None = None) -> int:
    """About how many characters str(value) would have, without building it (shared parts counted each time)."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return 24
    memo = {} if _memo is None else _memo
    key = id(value)
    if key in memo:
        return memo[key]
    if isinstance(value, dict):
        total = 2 + sum(estimated_chars(k, memo) + estimated_chars(v, memo) + 4 for k, v in value.items())
    elif isinstance(value, (list, tuple, set, frozenset)):
        total = 2 + sum(estimated_chars(v, memo) + 2 for v in value)
    elif isinstance(value, BaseModel):
        total = 40 + sum(estimated_chars(v, memo) + 24 for v in value.__dict__.values())
    else:
        total = 100
    memo[key] = total
    return total


def _check_chars(value: object, what: str = "value") -> int:
    size = estimated_chars(value)
    if size > MAX_CHARS:
        raise LimitError(f"the template tried to build a {what} of about {size:,} characters (limit {MAX_CHARS:,})")
    return size


def _check_format(fmt: str, args: tuple, kwargs: dict) -> None:
    """Refuse printf or str.format strings with huge widths, or that repeat huge arguments."""
    for width in re.findall(r"(\d+)", " ".join(re.findall(r"%[-#0 +]*[\d*]*(?:\.[\d*]*)?|\{[^{}]*\}", fmt))):
        if int(width) > MAX_FORMAT_WIDTH:
            raise LimitError(f"the template used a format width of {int(width):,} (limit {MAX_FORMAT_WIDTH:,})")
    if re.search(r"%[-#0 +]*\*|\{[^{}]*:[^{}]*\{", fmt):
        raise LimitError("the template used a width taken from an argument, which the sandbox does not allow")
    fields = fmt.count("%") + fmt.count("{")
    largest = max([estimated_chars(a) for a in (*args, *kwargs.values())] or [0])
    if len(fmt) + fields * largest > MAX_CHARS:
        raise LimitError(f"the template tried to format a string of more than {MAX_CHARS:,} characters")


def _check_int_power(left: int, right: int) -> None:
    if right > 64 or abs(left).bit_length() * max(right, 1) > MAX_INT_BITS:
        raise LimitError("the template tried to compute a huge number")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment plus the step, time and size limits described above."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, **options) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.globals["range"] = _bounded_range
        self.globals.pop("lipsum", None)  # lipsum(n) is an easy gigabyte and no briefing needs it
        self.filters = _BoundedFilters(self.filters)

    # --- what a template may touch ----------------------------------------------------------------
    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, str) and attr in _AMPLIFYING_STR_METHODS:
            return False
        if isinstance(obj, BaseModel):
            return attr in type(obj).model_fields or isinstance(getattr(type(obj), attr, None), property)
        return True

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        @functools.wraps(wrapped)
        def checked(*args, **kwargs):
            _check_format(fmt, args, kwargs if value.__name__ == "format" else dict(*args))
            return wrapped(*args, **kwargs)

        return checked

    # --- what it may compute ------------------------------------------------------------------------
    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja's signature)
        _spend(steps=1)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator: str, left, right):
        if operator == "*":
            sequence, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
                limit, unit = (MAX_CHARS, "characters") if isinstance(sequence, (str, bytes)) else (MAX_ITEMS, "items")
                if len(sequence) * count > limit:
                    raise LimitError(f"the template tried to build {len(sequence) * count:,} {unit} (limit {limit:,})")
            elif isinstance(left, int) and isinstance(right, int):
                if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                    raise LimitError("the template tried to compute a huge number")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            _check_int_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_format(
                left, right if isinstance(right, tuple) else (right,), right if isinstance(right, dict) else {}
            )
        elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            limit, unit = (MAX_CHARS, "characters") if isinstance(left, str) else (MAX_ITEMS, "items")
            if len(left) + len(right) > limit:
                raise LimitError(f"the template tried to build {len(left) + len(right):,} {unit} (limit {limit:,})")
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def concat(parts) -> str:  # type: ignore[override]
        """How compiled templates join a captured body (`{% set %}...{% endset %}`, a macro's result, a
        call or filter block): sized first, so no capture joins into more than MAX_CHARS characters."""
        parts = parts if isinstance(parts, list) else list(parts)
        size = sum(len(p) for p in parts)
        if size > MAX_CHARS:
            raise LimitError(f"the template tried to build a text of {size:,} characters (limit {MAX_CHARS:,})")
        return "".join(parts)

    def _finalize(self, value):
        """Every `{{ }}` passes here: refuse a value whose text would be huge before it is made."""
        _check_chars(value, "text")
        return value

    # --- callbacks the compiled templates call (see _parse) ---------------------------------------------
    def bounded_iter(self, iterable):
        """The iterable of a for loop, one step per item."""
        for item in iterable:
            _spend(steps=1)
            yield item

    def checked_operand(self, value):
        """An operand of `~`: refuse one whose text would be huge before it is built."""
        _check_chars(value, "string")
        return value

    def checked_concat(self, value: str) -> str:
        """The result of `~`: refuse strings past the limit (a doubling loop stops here)."""
        _check_chars(value, "string")
        return value

    def _parse(self, source, name, filename):
        """Parse, then route loops, bodies and `~` through the callbacks above."""
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.For):
            node.iter = _callback("bounded_iter", node.iter)
        for node in tree.find_all(nodes.Concat):
            node.nodes = [_callback("checked_operand", n) for n in node.nodes]
        for parent in list(tree.find_all(nodes.Node)):
            for field, value in parent.iter_fields():
                if isinstance(value, nodes.Concat):
                    setattr(parent, field, _callback("checked_concat", value))
                elif isinstance(value, list):
                    value[:] = [_callback("checked_concat", v) if isinstance(v, nodes.Concat) else v for v in value]
        tree.set_environment(self)
        return tree


def _callback(name: str, *args: nodes.Expr) -> nodes.Call:
    call = nodes.Call(nodes.EnvironmentAttribute(name), list(args), [], None, None)
    lineno = getattr(args[0], "lineno", None) if args else None
    return call.set_lineno(lineno) if lineno else call  # type: ignore[return-value]


def _bounded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise LimitError(f"the template asked for a range of {len(r):,} items (limit {MAX_RANGE:,})")
    return r


class _BoundedFilters(dict):
    """The filter table, with every filter wrapped by _bounded (also filters added later)."""

    def __init__(self, filters: dict) -> None:
        super().__init__()
        for name, func in filters.items():
            self[name] = func

    def __setitem__(self, name, func) -> None:
        super().__setitem__(name, _bounded(name, func))

    def update(self, *args, **kwargs) -> None:
        for name, func in dict(*args, **kwargs).items():
            self[name] = func


def _bounded(name: str, func):
    """Wrap a filter: arguments and result within the limits, and filter-specific size estimates."""

    @functools.wraps(func)
    def bounded(*args, **kwargs):
        skip = 2 if getattr(func, "jinja_pass_arg", None) is not None else 1
        value, params = args[skip - 1] if len(args) >= skip else None, (*args[skip:], *kwargs.values())
        for p in params:
            if isinstance(p, int) and not isinstance(p, bool) and abs(p) > MAX_ITEMS:
                raise LimitError(f"the {name} filter was given {p:,} (limit {MAX_ITEMS:,})")
        estimate = _FILTER_ESTIMATES.get(name)
        if estimate is not None and len(args) >= skip and isinstance(value, Iterator):
            # Estimating would use up a generator (`xs | map("md") | join`): hand the filter a list instead.
            value = list(value)
            args = (*args[: skip - 1], value, *args[skip:])
        size = _check_chars(value)
        if estimate is not None and estimate(value, size, *args[skip:], **kwargs) > MAX_CHARS:
            raise LimitError(f"the {name} filter would build more than {MAX_CHARS:,} characters")
        _spend(steps=1)
        result = func(*args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_CHARS:
            raise LimitError(f"the {name} filter built more than {MAX_CHARS:,} characters")
        if isinstance(result, (list, tuple)) and len(result) > MAX_ITEMS:
            raise LimitError(f"the {name} filter built a list of more than {MAX_ITEMS:,} items")
        return result

    return bounded


def _join_estimate(value, size, d="", attribute=None) -> int:
    count = len(value) if isinstance(value, Sized) else 1
    return size + len(str(d)) * count


def _replace_estimate(value, size, old="", new="", count=None) -> int:
    text = str(value) if isinstance(value, str) else ""
    hits = text.count(str(old)) if old else len(text) + 1
    return size + min(hits, count if isinstance(count, int) and count >= 0 else hits) * len(str(new))


def _indent_estimate(value, size, width=4, first=False, blank=False) -> int:
    lines = str(value).count("\n") + 1 if isinstance(value, str) else 1
    return size + lines * (len(width) if isinstance(width, str) else int(width))


def _wordwrap_estimate(value, size, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True) -> int:
    return size + (size // max(int(width), 1) + 1) * len(wrapstring or "\n")


def _format_estimate(value, size, *args, **kwargs) -> int:
    _check_format(str(value), args, kwargs)
    return size + sum(estimated_chars(a) for a in (*args, *kwargs.values()))


def _json_estimate(value, size, indent=None, **_) -> int:
    if isinstance(indent, int) and indent > 16:
        raise LimitError("tojson indent larger than 16")
    return size * (2 + (indent or 0))


_FILTER_ESTIMATES = {
    "join": _join_estimate,
    "replace": _replace_estimate,
    "indent": _indent_estimate,
    "wordwrap": _wordwrap_estimate,
    "format": _format_estimate,
    "tojson": _json_estimate,
    "pprint": lambda value, size, *a, **k: size * 4,
}
