"""The sandbox tenant-written notice templates render in, with budgets on output, allocation
and time.

Tenant admins write templates, so they render in Jinja's immutable SandboxedEnvironment with an
allow-list of filters and string methods; the operators that can allocate without bound are
checked before they allocate, the output is capped, and a tracer stops a render that runs past
its time budget (nested loops with no output included). An undefined variable is an error, not
a blank: a notice must never go out without the complaint number it is about.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from types import FrameType
from typing import Any

from babel import Locale
from babel.dates import format_date
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from kefu import i18n

MAX_OUTPUT = 50_000
MAX_RANGE = 1_000
# Total work of one render: loops within the range limit still nest (range(1000) three deep is
# a billion steps with no output), so the render stops once it has run this long.
TIME_BUDGET = 0.5
# Widths and repeat counts in str methods and %-formats ("x".ljust(10**9), "%999999999d").
MAX_WIDTH = MAX_OUTPUT
_FORMAT_WIDTH = re.compile(r"\d{" + str(len(str(MAX_WIDTH)) + 1) + ",}")
RANGE_LIMIT = i18n.lazy("A range may have at most %(max)s items.")


class TemplateProblem(ValueError):
    """A template that does not compile or render; `field` is "subject" or "body". `message` is
    a msgid (or Jinja's own text) with its `variables`: a render runs in the notice's language,
    and `detail` is worded when read, in the reader's. `over_budget`: stopped by the clock, which
    a busy machine can reach with wording that renders in time on a quiet one."""

    over_budget = False

    def __init__(self, field: str, message: str, **variables: object) -> None:
        super().__init__(f"{field}: {message % variables if variables else message}")
        self.field = field
        self.message = message
        self.variables = variables

    @property
    def detail(self) -> str:
        return i18n.gettext(self.message, **self.variables)



def _too_big(value: Any, limit: int) -> bool:
    return isinstance(value, int | float) and abs(value) > limit


# What a tenant's wording may use of a string: no str.format (widths), no join or expandtabs
# (sizes the checks below do not see); padding and replace are checked in `call`.
STR_METHODS = frozenset({
    "upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith", "endswith",
    "split", "replace", "ljust", "rjust", "center", "zfill", "isdigit", "count", "find",
})
# Jinja's filters a wording may use: each bounded by the size of its input (and `replace` and
# `join` checked); `date` is kefu's own. indent, center, wordwrap, format, pprint, urlize and
# xmlattr are not offered.
FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
    "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
    "rejectattr", "replace", "reverse", "round", "select", "selectattr", "sort", "string",
    "striptags", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
})


def _replaced_size(text: Any, old: Any, new: Any, count: int = -1) -> int:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    hits = text.count(old) if old else len(text) + 1
    hits = hits if count is None or count < 0 else min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


def _checked_replace(replace: Callable[..., Any]) -> Callable[..., Any]:
    def checked(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
        if _replaced_size(s, old, new, -1 if count is None else count) > MAX_OUTPUT:
            raise SecurityError(i18n.lazy("The replacement makes the text too long."))
        return replace(eval_ctx, s, old, new, count)

    checked.jinja_pass_arg = replace.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


def _checked_join(join: Callable[..., Any]) -> Callable[..., Any]:
    def checked(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = list(value)
        if sum(len(str(i)) for i in items) + len(str(d)) * len(items) > MAX_OUTPUT:
            raise SecurityError(i18n.lazy("The joined text is too long."))
        return join(eval_ctx, items, d, attribute)

    checked.jinja_pass_arg = join.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


class NoticeSandbox(ImmutableSandboxedEnvironment):
    """No `'x' * 10**9`: repetition, powers, widths and padding are bounded (the output is
    capped as well, and the whole render has a time budget: render_source)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if getattr(value, "__name__", "") in ("format", "format_map") and isinstance(getattr(value, "__self__", None), str):
            def refused(*args: Any, **kwargs: Any) -> str:
                raise SecurityError(i18n.lazy("str.format cannot be used in notice wording."))

            return refused
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr not in STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if any(_too_big(v, MAX_WIDTH) for v in (*args, *kwargs.values())):
            raise SecurityError(i18n.lazy("A number in the call is too large."))
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") == "replace" and len(args) >= 2:
            if _replaced_size(owner, *args[:3]) > MAX_OUTPUT:
                raise SecurityError(i18n.lazy("The replacement makes the text too long."))
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str) and _FORMAT_WIDTH.search(left):
            raise SecurityError(i18n.lazy("A width in the format is too large."))
        if operator == "**" and (_too_big(right, 64) or _too_big(left, 10**6)):
            raise SecurityError(i18n.lazy("The power is too large."))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and _too_big(n, MAX_OUTPUT // max(len(seq), 1)):
                    raise SecurityError(i18n.lazy("The repetition is too large."))
        return super().call_binop(context, operator, left, right)


def format_day(value: Any) -> str:
    """`{{ received_on|date }}`: an ISO date (as notice data carries it) in the notice's language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return format_date(value, format="long", locale=Locale.parse(i18n.current_locale()))


def _small_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(RANGE_LIMIT)
    return numbers


@cache
def sandbox() -> NoticeSandbox:
    env = NoticeSandbox(undefined=StrictUndefined, autoescape=False)
    env.filters = {name: f for name, f in env.filters.items() if name in FILTERS}
    env.filters["replace"] = _checked_replace(env.filters["replace"])
    env.filters["join"] = _checked_join(env.filters["join"])
    env.filters["date"] = format_day
    env.globals["range"] = _small_range
    return env


_UNDEFINED = re.compile(r"^'([^']{1,80})' is undefined$")


def _problem(field: str, exc: Exception) -> TemplateProblem:
    """kefu's own words for what it refused; Jinja's syntax messages (English, technical) kept
    after the line number they point at."""
    if isinstance(exc, TemplateSyntaxError):
        return TemplateProblem(field, "Line %(line)s: %(problem)s", line=exc.lineno, problem=exc.message or "")
    undefined = _UNDEFINED.match(str(exc))
    if undefined:
        return TemplateProblem(field, "Unknown variable: %(name)s", name=undefined.group(1))
    if str(exc) == RANGE_LIMIT:
        return TemplateProblem(field, RANGE_LIMIT, max=MAX_RANGE)
    return TemplateProblem(field, str(exc) or type(exc).__name__)


def check_syntax(field: str, source: str) -> None:
    try:
        sandbox().parse(source)
    except TemplateSyntaxError as exc:
        raise _problem(field, exc) from None


TEMPLATE_FILENAME = "<template>"
RENDER_SWITCH_INTERVAL = 0.0005  # Jinja's compiled from_string code


class _OverBudget(BaseException):
    """Raised inside the render by the tracer; a BaseException, so no `except Exception` in
    Jinja's runtime swallows it."""


class _Budget:
    """A tracer that stops the render it traces once `seconds` have passed: every line the
    compiled template runs is an event, so a loop with no output is stopped too."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.events = 0

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        self.events += 1
        if self.events % 64 == 0 and time.monotonic() > self.deadline:
            raise _OverBudget()
        # Line by line only in the template's own code (a loop there is where work hides);
        # library code (babel, Jinja's runtime) is only counted at its calls: far cheaper.
        return self.trace if frame.f_code.co_filename == TEMPLATE_FILENAME else None


def render_source(field: str, source: str, context: dict[str, Any]) -> str:
    """The rendered text; TemplateProblem naming `field` for an error, an output over
    MAX_OUTPUT, or a render that runs past TIME_BUDGET (stopped there, not left running)."""
    chunks: list[str] = []
    size = 0
    budget = _Budget(TIME_BUDGET)
    previous = sys.gettrace()
    sys.settrace(budget.trace)
    # A render runs in a worker thread; a short switch interval hands the GIL back to the event
    # loop often, so a render at full budget does not slow every other request.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, RENDER_SWITCH_INTERVAL))
    try:
        template = sandbox().from_string(source) if not isinstance(source, Template) else source
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateProblem(field, "The text is longer than %(max)s characters.", max=MAX_OUTPUT)
            chunks.append(chunk)
    except _OverBudget:
        problem = TemplateProblem(
            field, "Rendering took longer than %(seconds)s s and was stopped; use fewer or shorter loops.",
            seconds=f"{TIME_BUDGET:g}")
        problem.over_budget = True
        raise problem from None
    except (TemplateError, SecurityError, ArithmeticError, TypeError, ValueError, MemoryError) as exc:
        if isinstance(exc, TemplateProblem):
            raise
        raise _problem(field, exc) from None
    finally:
        sys.settrace(previous)
        sys.setswitchinterval(interval)
    text = "".join(chunks)
    # Optional blocks leave blank lines behind; keep paragraphs, drop the gaps.
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip()
