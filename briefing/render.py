"""render_briefing(): a saved result -> Markdown, HTML or JSON text, through Jinja2 templates. Pure.

Templates are found on the search path (--templates-dir, the user folder, built-ins) and always run
sandboxed; HTML templates are autoescaped whatever their file name, so article and model text can
never become markup. Model text that should keep light formatting goes through the `markdown` filter
(inline Markdown, sanitized by nh3: see sanitize.py). The variables a template receives are listed in
TEMPLATE_VARIABLES, its filters and helpers in TEMPLATE_FILTERS (shown by `briefing templates show`).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from briefing.errors import TemplateError
from briefing.models import IMPACTS, LIKELIHOODS, Article, BriefingResult
from briefing.sanitize import render_inline_markdown
from briefing.templating import make_environment, render_template

FORMATS = ("md", "html", "json")
DEFAULT_TEMPLATES = {"md": "briefing", "html": "handout"}
PAPER_SIZES = ("A4", "letter", "A5", "A3", "legal")

TEMPLATE_VARIABLES = {
    "result": "the whole saved result (BriefingResult): article, briefing, grounding, model, prompt, usage, timings",
    "b": "the briefing: title, bluf, summary, key_judgments, key_actors, risks, outlook, gaps",
    "article": "the article: title, source, outlet, author, published, sentences, names, quotations",
    "grounding": "the verifier's findings: sections (counts), issues, and .line (the grounding sentence)",
    "model": "the model: name, endpoint, embedded, note",
    "cited": "list of (number, sentence) for every sentence the briefing cites, in order",
    "sentence(n)": "the text of sentence [Sn]",
    "generated": "the date and time the briefing was made (UTC, ISO 8601)",
    "classification": "the distribution/classification marking from the settings (config `classification`), or None",
    "paper": "the paper size for print and PDF: A4 (default) or --var paper=letter (also A5, A3, legal)",
    "lang": "the language tag of the briefing (from --language), for <html lang>",
    "vars": "the --var KEY=VALUE pairs and config [vars], as a dict",
}

TEMPLATE_FILTERS = {
    "md": "Markdown templates: make untrusted text inert in Markdown",
    "markdown": "HTML templates: render inline Markdown (bold, italics, code, http(s) links) as sanitized HTML",
    "css_string": "quote text as a CSS string, every special character escaped (for @page content)",
    "longdate": "an ISO date as '27 November 2026' (longdate(time=True) adds the UTC time); other text unchanged",
    "basename": "the last part of a path",
    "host": "the host name of a URL",
    "is http_url": "test: the text is an http(s) URL",
    "likelihoods, impacts": "the likelihood (ICD 203) and impact terms, in rising order",
    "cited_sentences(result)": "list of (number, sentence) cited by a result's briefing",
    "sentence_text(article, n)": "the text of sentence [Sn] of an article ('' when out of range)",
}


def render_briefing(result: BriefingResult, fmt: str, *, template: str | None = None,
                    dirs: list[Path] | None = None, variables: dict | None = None) -> str:
    """Render `result` as `fmt` ('md', 'html' or 'json') with the named template.

    `variables` are the settings' template variables: `classification` and the --var pairs.
    """
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    name = f"{template or DEFAULT_TEMPLATES[fmt]}.{fmt}.j2"
    env = build_environment(dirs or [], fmt)
    return render_template(env, name, briefing_context(result, variables))


def build_environment(dirs: list[Path], fmt: str) -> jinja2.Environment:
    """The sandboxed environment of output templates in `fmt`, with the filters of TEMPLATE_FILTERS."""
    env = make_environment(dirs, autoescape=(fmt == "html"))
    env.filters["md"] = markdown_escape
    if fmt == "html":
        env.filters["markdown"] = lambda text: Markup(render_inline_markdown(text))
    env.filters["css_string"] = css_string
    env.filters["longdate"] = format_date
    env.filters["basename"] = lambda path: re.split(r"[\\/]", str(path).rstrip("/\\"))[-1]
    env.filters["host"] = lambda url: urlsplit(str(url)).hostname or ""
    env.tests["http_url"] = lambda text: str(text).lower().startswith(("http://", "https://"))
    env.globals.update(likelihoods=list(LIKELIHOODS), impacts=list(IMPACTS),
                       cited_sentences=cited_sentences, sentence_text=sentence_text)
    return env


def briefing_context(result: BriefingResult, variables: dict | None = None) -> dict:
    """The variables every briefing template receives (see TEMPLATE_VARIABLES)."""
    variables = {k: v for k, v in (variables or {}).items() if v is not None}
    article = result.article
    return {
        "result": result,
        "b": result.briefing,
        "article": article,
        "grounding": result.grounding,
        "model": result.model,
        "cited": cited_sentences(result),
        "sentence": lambda n: sentence_text(article, n),
        "generated": result.created_at,
        "classification": str(variables.get("classification", "")).strip() or None,
        "paper": _paper(variables.get("paper")),
        "lang": language_tag(result.prompt.variables.get("language", "")),
        "vars": {k: str(v) for k, v in variables.items()},
    }


def cited_sentences(result: BriefingResult) -> list[tuple[int, str]]:
    """(number, sentence) for every article sentence the briefing cites, in article order."""
    sentences = result.article.sentences
    b = result.briefing
    numbers: set[int] = set()
    for item in [*b.key_judgments, *b.key_actors, *b.risks, *b.outlook]:
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


_LANGUAGES = {
    "english": "en", "french": "fr", "français": "fr", "german": "de", "deutsch": "de", "spanish": "es",
    "español": "es", "italian": "it", "portuguese": "pt", "dutch": "nl", "polish": "pl", "russian": "ru",
    "ukrainian": "uk", "arabic": "ar", "chinese": "zh", "japanese": "ja", "korean": "ko", "turkish": "tr",
    "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi", "greek": "el", "hebrew": "he",
    "hindi": "hi", "persian": "fa", "farsi": "fa", "czech": "cs", "romanian": "ro", "hungarian": "hu",
}


def language_tag(language: str) -> str:
    """A BCP 47 tag for a language name or tag ('English' -> 'en', 'pt-BR' -> 'pt-BR'); 'en' if unset."""
    name = str(language or "").strip()
    if not name:
        return "en"
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", name) and name.lower() not in _LANGUAGES:
        return name
    return _LANGUAGES.get(name.lower(), "und")


def _paper(value: object) -> str:
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


def render_saved(path: Path, fmt: str, *, template: str | None = None,
                 dirs: list[Path] | None = None, variables: dict | None = None) -> tuple[str, str]:
    """Load a saved JSON result and render it; returns (text, title for the file name)."""
    result = load_saved(path)
    return render_briefing(result, fmt, template=template, dirs=dirs, variables=variables), result.briefing.title


def load_saved(path: Path) -> BriefingResult:
    """Read a result saved with -f json; a clear InputError when it is missing or not one."""
    from pydantic import ValidationError

    from briefing.errors import InputError

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        return BriefingResult.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "top level"
        raise InputError(f"{path} is not a briefing saved with -f json ({where}: {first['msg']})") from None
