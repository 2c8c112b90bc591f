"""Jinja2 environments for prompts and output templates: a search path, a sandbox, clear errors. [disk]

Prompts and outputs share these rules: a list of folders searched in order
(first match wins, built-ins last), StrictUndefined so a misspelt variable is an error with file
and line, and the bounded sandbox of sandbox.py because a template may come from a user folder.
HTML output is autoescaped explicitly, not by file extension.

`builtin/NAME` always names the built-in file, so a user's `policy.system.j2` can extend the
built-in one it replaces (`{% extends "builtin/policy.system.j2" %}`) without extending itself.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError
from pydantic import BaseModel

from briefing.errors import TemplateError
from briefing.output.sandbox import BoundedSandbox, render_budget

MAX_OUTPUT_BYTES = 32_000_000  # what one render may write: a digest of 400 stories in HTML is about 8 MB

BUILTIN_PREFIX = "builtin"


@dataclass(frozen=True)
class TemplateSource:
    """Where a named template file was found; `shadowed_by` is the earlier file of that name that wins."""

    name: str
    path: Path
    origin: str  # "built-in", "user folder", "--prompts-dir", "--templates-dir" or "config"
    shadowed_by: TemplateSource | None = None


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined whose error remembers what was looked up where, for 'did you mean' hints."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args, **kwargs):
        exc = self._undefined_exception(self._undefined_message)
        exc.looked_up = (self._undefined_obj, self._undefined_name)
        raise exc


# StrictUndefined binds the failing function to its dunders directly; point them at ours.
for _dunder, _value in {**vars(jinja2.Undefined), **vars(jinja2.StrictUndefined)}.items():
    if _value is jinja2.Undefined._fail_with_undefined_error:
        setattr(_Undefined, _dunder, _Undefined._fail_with_undefined_error)


def check_inside(path: Path, folder: Path) -> Path:
    """`path`, once every symbolic link is resolved, must still be inside `folder` (resolved too): a
    cloned prompt pack or template folder must not read what lies outside it (`x.j2 -> /etc/passwd`,
    then `{% include "x.j2" %}`). Links that stay inside are fine. Raises TemplateError."""
    real, home = os.path.realpath(path), os.path.realpath(folder)
    if real != home and not real.startswith(home.rstrip(os.sep) + os.sep):
        raise TemplateError(
            f"{path} is a link to {real}, outside {folder}; refused",
            hint="a prompt or template folder may only use files inside it: copy the file in instead",
        )
    return path


class _SearchPathLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader whose cached templates go stale when edited or when an earlier folder gains
    the name: environments are kept per search path (prompts.py, render.py), the cache must stay honest.
    It refuses files whose real path leaves their folder (check_inside), before reading them."""

    def get_source(self, environment, template):
        for folder in self.searchpath:
            candidate = Path(folder, *jinja2.loaders.split_template_path(template))
            if candidate.is_file():
                check_inside(candidate, Path(folder))
                break
        source, filename, uptodate = super().get_source(environment, template)

        def still_first() -> bool:
            first = next((Path(d) / template for d in self.searchpath if (Path(d) / template).is_file()), None)
            return bool(uptodate and uptodate()) and first is not None and str(first) == filename

        return source, filename, still_first


def make_environment(dirs: list[Path], *, autoescape: bool, builtin: Path | None = None) -> jinja2.Environment:
    """Build a sandboxed environment that searches `dirs` in order; `builtin/NAME` reads `builtin`."""
    loaders: list[jinja2.BaseLoader] = [_SearchPathLoader([str(d) for d in dirs])]
    if builtin is not None:
        loaders.insert(0, jinja2.PrefixLoader({BUILTIN_PREFIX: jinja2.FileSystemLoader(str(builtin))}))
    return BoundedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=_Undefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.loopcontrols"],
    )


def load_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Find and compile template `name` (and what it extends); syntax errors name file and line."""
    return _guarded(env, name, {}, lambda: env.get_template(name))


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render template `name`; every failure becomes a one-line TemplateError naming file and line."""

    def run() -> str:
        template = env.get_template(name)
        chunks, size = [], 0
        with render_budget():
            for chunk in template.generate(**context):
                # Real bytes, as they will be written: nothing a template produces is counted twice.
                size += len(chunk) if chunk.isascii() else len(chunk.encode("utf-8", "replace"))
                if size > MAX_OUTPUT_BYTES:
                    raise TemplateError(
                        f"template {name} produced more than {MAX_OUTPUT_BYTES // 1_000_000} MB; stopped",
                        hint="look for a runaway loop",
                    )
                chunks.append(chunk)
        return "".join(chunks)

    return _guarded(env, name, context, run)


def find_template(dirs: list[Path], name: str, origins: list[str]) -> TemplateSource | None:
    """Return where `name` would be loaded from, following the search order."""
    for folder, origin in zip(dirs, origins):
        path = Path(folder) / name
        if path.is_file():
            return TemplateSource(name, check_inside(path, Path(folder)), origin)
    return None


def list_templates(dirs: list[Path], origins: list[str], suffix: str = ".j2") -> list[TemplateSource]:
    """Every file ending in `suffix` on the search path, in search order, shadowed copies marked."""
    winners: dict[str, TemplateSource] = {}
    found: list[TemplateSource] = []
    for folder, origin in zip(dirs, origins):
        if not Path(folder).is_dir():
            continue
        for path in sorted(p for p in Path(folder).glob(f"*{suffix}") if p.is_file() and _inside(p, Path(folder))):
            source = TemplateSource(path.name, path, origin, shadowed_by=winners.get(path.name))
            winners.setdefault(path.name, source)
            found.append(source)
    return found


def _inside(path: Path, folder: Path) -> bool:
    try:
        check_inside(path, folder)
    except TemplateError:
        return False
    return True


# --- errors ----------------------------------------------------------------------------------------


def _guarded(env: jinja2.Environment, name: str, context: dict, run):
    try:
        return run()
    except jinja2.TemplateNotFound as exc:
        missing = exc.name if isinstance(exc.name, str) else name
        referrer = _template_frame(exc, None)
        where = f"{referrer}: " if referrer else ""
        raise TemplateError(
            f"{where}template {missing} not found in {_describe(env)}",
            hint=f"`briefing {_kind(name)} list` shows what there is",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name or name}, line {exc.lineno}: {exc.message}", hint=_syntax_hint(env, exc)
        ) from None
    except SecurityError as exc:
        where = _template_frame(exc, name)  # type: ignore[assignment]
        raise TemplateError(
            f"{where}: stopped by the sandbox: {exc}",
            hint="a template may use its variables, filters and tests, not Python internals, "
            "within size and time limits",
        ) from None
    except jinja2.UndefinedError as exc:
        where = _template_frame(exc, name)  # type: ignore[assignment]
        raise TemplateError(
            f"{where}: {_undefined_message(exc)}", hint=_undefined_hint(env, exc, context, name)
        ) from None
    except RecursionError as exc:
        raise TemplateError(
            f"{_template_frame(exc, name)}: recursion without end",
            hint=f"a template that extends its own name extends itself: extend "
            f'"{BUILTIN_PREFIX}/{name}" to build on the built-in one; '
            f"or a macro or recursive loop never stops",
        ) from None
    except MemoryError:
        raise TemplateError(f"template {name} ran out of memory; stopped", hint="look for a runaway loop") from None
    except (
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        IndexError,
        ZeroDivisionError,
        OverflowError,
        jinja2.TemplateRuntimeError,
    ) as exc:
        where = _template_frame(exc, name)  # type: ignore[assignment]
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None


def _template_frame(exc: BaseException, name: str | None) -> str | None:
    """The 'file, line N' of the innermost template frame (Jinja rewrites frames to template lines)."""
    tb = exc.__traceback__
    where = f"template {name}" if name else None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _syntax_hint(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError) -> str:
    message = exc.message or ""
    for kind, table in (("filter", env.filters), ("test", env.tests)):
        if message.startswith(f"No {kind} named"):
            wanted = message.split("'")[1] if "'" in message else ""
            close = difflib.get_close_matches(wanted, list(table), n=3)
            if close:
                return f"did you mean {' or '.join(close)}?"
            return f"the {kind}s there are: {', '.join(sorted(table))}"
    return "check that every {% %}, {{ }} and {# #} is closed and every block has its end tag"


def _undefined_message(exc: jinja2.UndefinedError) -> str:
    obj, wanted = getattr(exc, "looked_up", (jinja2.utils.missing, None))
    if isinstance(obj, BaseModel) and isinstance(wanted, str):
        return f"{type(obj).__name__} has no field {wanted!r}"
    return exc.message or "undefined value"


def _undefined_hint(env: jinja2.Environment, exc: jinja2.UndefinedError, context: dict, name: str) -> str:
    obj, wanted = getattr(exc, "looked_up", (jinja2.utils.missing, None))
    if obj is jinja2.utils.missing:
        known = [*context, *env.globals]
    elif isinstance(obj, BaseModel):
        model = type(obj)
        known = [*model.model_fields, *(k for k, v in vars(model).items() if isinstance(v, property))]
    elif isinstance(obj, dict):
        known = [str(k) for k in obj]
    else:
        known = [k for k in dir(obj) if not k.startswith("_")]
    close = difflib.get_close_matches(str(wanted), known, n=3) if wanted is not None else []
    show = f"`briefing {_kind(name)} show {name.split('.')[0]}` lists the variables"
    if close:
        return f"did you mean {' or '.join(close)}? {show}"
    if obj is jinja2.utils.missing and isinstance(wanted, str):
        return f"give it with --var {wanted}=VALUE or under [defaults.vars] in config.toml; {show}"
    return show


def _kind(name: str) -> str:
    return "prompts" if name.endswith((".system.j2", ".user.j2")) else "templates"


def _describe(env: jinja2.Environment) -> str:
    loader = env.loader
    paths: list[str] = []
    for sub in getattr(loader, "loaders", [loader]):
        paths.extend(getattr(sub, "searchpath", []))
    return ", ".join(paths) if paths else "the template folders"
