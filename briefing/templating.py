"""Jinja2 environments for prompts and output templates: a search path, a sandbox, clear errors.

Prompts and outputs share the rules of DESIGN.md section 5: a list of folders searched in order
(first match wins, built-ins last), StrictUndefined so a misspelt variable is an error with file
and line, and a SandboxedEnvironment because a template may come from a user folder. HTML output
is autoescaped explicitly, not by file extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from briefing.errors import TemplateError

# A template that renders more than this is stopped: it is a loop gone wrong or a hostile file.
MAX_OUTPUT_CHARS = 20_000_000


class _BoundedSandbox(SandboxedEnvironment):
    """A sandbox that also refuses to build absurdly large strings and ranges."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator in ("*", "**") and isinstance(left, (str, list)) and isinstance(right, int):
            if len(left) * right > MAX_OUTPUT_CHARS:
                raise SecurityError("the template tried to build a string larger than the output limit")
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 64:
            raise SecurityError("the template tried to compute a huge power")
        return super().call_binop(context, operator, left, right)


def _safe_range(*args: int) -> range:
    r = range(*args)
    if len(r) > 100_000:
        raise SecurityError("the template asked for a range of more than 100,000 items")
    return r


@dataclass(frozen=True)
class TemplateSource:
    """Where a named template was found."""

    name: str
    path: Path
    origin: str  # "built-in", "user folder" or "--*-dir"


def make_environment(dirs: list[Path], *, autoescape: bool) -> jinja2.Environment:
    """A sandboxed environment that searches `dirs` in order (one per search path, shared)."""
    return _environment(tuple(str(d) for d in dirs), autoescape)


class _SearchPathLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader whose cached templates go stale when edited or when an earlier folder gains the name."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)

        def still_first() -> bool:
            first = next((Path(d) / template for d in self.searchpath if (Path(d) / template).is_file()), None)
            return bool(uptodate and uptodate()) and first is not None and str(first) == filename

        return source, filename, still_first


# Shared per search path so Jinja's template cache survives between calls: compiling a prompt costs
# ~6 ms, paid twice per article of a digest otherwise. The loader above keeps the cache honest.
@lru_cache(maxsize=32)
def _environment(dirs: tuple[str, ...], autoescape: bool) -> jinja2.Environment:
    env = _BoundedSandbox(
        loader=_SearchPathLoader(list(dirs)),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.loopcontrols"],
    )
    env.globals["range"] = _safe_range
    return env


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template `name`; every Jinja failure becomes a TemplateError naming file and line."""
    try:
        template = env.get_template(name)
        chunks = []
        size = 0
        for chunk in template.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError(
                    f"template {name} produced more than {MAX_OUTPUT_CHARS:,} characters; stopped",
                    hint="look for a runaway loop",
                )
            chunks.append(chunk)
        return "".join(chunks)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in {_describe(env)}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name or name}, line {exc.lineno}: syntax error: {exc.message}",
            hint="check the {% %} and {{ }} pairs",
        ) from None
    except SecurityError as exc:
        raise TemplateError(f"template {name} was stopped by the sandbox: {exc}") from None
    except jinja2.UndefinedError as exc:
        where = _template_frame(exc, name)
        raise TemplateError(
            f"{where}: {exc.message}",
            hint=f"`briefing templates show {_short(name)}` lists the variables a template receives",
        ) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError,
            RecursionError, jinja2.TemplateRuntimeError) as exc:
        where = _template_frame(exc, name)
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None


def find_template(dirs: list[Path], name: str, origins: list[str]) -> TemplateSource | None:
    """Return where `name` would be loaded from, following the search order."""
    for folder, origin in zip(dirs, origins):
        path = Path(folder) / name
        if path.is_file():
            return TemplateSource(name, path, origin)
    return None


def _template_frame(exc: BaseException, name: str) -> str:
    """The 'file, line N' of the innermost template frame (Jinja rewrites frames to template lines)."""
    tb = exc.__traceback__
    where = f"template {name}"
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _describe(env: jinja2.Environment) -> str:
    loader = env.loader
    paths = getattr(loader, "searchpath", [])
    return ", ".join(paths) if paths else "the template folders"


def _short(name: str) -> str:
    return name.split(".")[0]
