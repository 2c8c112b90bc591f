"""make_output_environment(): the sandboxed Jinja environment output templates render in, and its filters. Pure.

HTML templates are autoescaped whatever their file name, so article and model text can never
become markup; model text that keeps light formatting goes through the `markdown` filter (inline
Markdown, sanitized by nh3: see sanitize.py). The filters are documented in variables.FILTERS.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from briefing.errors import TemplateError
from briefing.output.sanitize import render_inline_markdown
from briefing.output.templating import make_environment
from briefing.records import IMPACTS, LIKELIHOODS, Article, BriefingResult
from briefing.settings import builtin_dir

PAPER_SIZES = ("A4", "letter", "A5", "A3", "legal")


def make_output_environment(fmt: str, dirs: list[Path]):
    """The sandboxed environment output templates render in (autoescaped for HTML).

    Environments are kept per format and search path: compiling a template costs far more than
    rendering it, and Jinja still notices a file edited since (auto_reload).
    """
    return _output_environment(fmt, tuple(Path(d) for d in dirs))


@functools.lru_cache(maxsize=32)
def _output_environment(fmt: str, dirs: tuple[Path, ...]):
    env = make_environment(list(dirs), autoescape=(fmt == "html"), builtin=builtin_dir("templates"))
    env.filters["md"] = markdown_escape
    env.filters["term"] = _term
    if fmt == "html":
        env.filters["markdown"] = lambda text: Markup(render_inline_markdown(text))
    env.filters["css_string"] = css_string
    env.filters["longdate"] = format_date
    env.filters["basename"] = lambda path: re.split(r"[\\/]", str(path).rstrip("/\\"))[-1]
    env.filters["host"] = lambda url: urlsplit(str(url)).hostname or ""
    env.tests["http_url"] = lambda text: str(text).lower().startswith(("http://", "https://"))
    env.globals.update(
        likelihoods=list(LIKELIHOODS),
        impacts=list(IMPACTS),
        cited_sentences=cited_sentences,
        sentence_text=sentence_text,
    )
    return env


@jinja2.pass_context
def _term(context, value: object, kind: str) -> object:
    """{{ r.impact | term("impact") }}: the fixed term in the briefing's language (labels.toml)."""
    return context.get("labels", {}).get(f"{kind}_terms", {}).get(value, value)


def cited_sentences(result: BriefingResult) -> list[tuple[int, str]]:
    """(number, sentence) for every article sentence the briefing cites, in article order."""
    sentences = result.article.sentences
    b = result.briefing
    numbers: set[int] = set()
    items: list = [*b.key_judgments, *b.key_actors, *b.risks, *b.outlook]
    for item in items:
        numbers.update(n for n in item.evidence if 1 <= n <= len(sentences))
        if item.check:
            numbers.update(n for n in item.check.suggested if 1 <= n <= len(sentences))
    return [(n, " ".join(sentences[n - 1].split())) for n in sorted(numbers)]


def sentence_text(article: Article, n: int) -> str:
    """The text of sentence [Sn], whitespace squeezed; '' when there is no such sentence."""
    if isinstance(n, int) and 1 <= n <= len(article.sentences):
        return " ".join(article.sentences[n - 1].split())
    return ""


def css_string(text: object) -> Markup:
    """`text` as a double-quoted CSS string: letters, digits and spaces kept, all else hex-escaped."""
    chars = " ".join(str(text).split())
    # Each escape ends with the one space CSS consumes after a hex escape, so a real space survives.
    body = "".join(c if (c.isalnum() and c.isprintable()) or c == " " else f"\\{ord(c):06x} " for c in chars)
    return Markup(f'"{body}"')


def format_date(value: object, time: bool = False) -> str:
    """'2026-11-27T23:22:15+00:00' -> '27 November 2026' (or '..., 23:22 UTC'); other text unchanged."""
    text = str(value or "").strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    day = f"{when.day} {when:%B %Y}"
    if not time or len(text) <= 10:
        return day
    offset = when.utcoffset()
    zone = "UTC" if offset is not None and not offset else (when.strftime("%z") if offset is not None else "")
    return f"{day}, {when:%H:%M} {zone}".rstrip()


def paper_size(value: object) -> str:
    """The paper size for print and PDF: A4 unless --var paper= names another known one."""
    if value is None or not str(value).strip():
        return "A4"
    for size in PAPER_SIZES:
        if str(value).strip().lower() == size.lower():
            return size
    raise TemplateError(f"paper {value!r} is not one of {', '.join(PAPER_SIZES)}", hint="--var paper=letter")


def markdown_escape(text: object) -> str:
    """Make untrusted text inert in Markdown: no raw HTML, no links or images, no headings."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\[\]`*_\\|])", r"\\\1", s)
    return re.sub(r"^([#>+-])", r"\\\1", s)
