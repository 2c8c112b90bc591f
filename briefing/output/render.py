"""render_briefing(): a saved result -> Markdown, HTML or JSON text, through Jinja2 templates. Pure.

Templates are found on the search path (--templates-dir, the user folder, built-ins) and always run
sandboxed; HTML templates are autoescaped whatever their file name, so article and model text can
never become markup. Model text that should keep light formatting goes through the `markdown` filter
(inline Markdown, sanitized by nh3: see sanitize.py). The variables a template receives are listed in
TEMPLATE_VARIABLES, its filters and helpers in FILTERS (shown by `briefing templates show`).
"""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from briefing.errors import TemplateError
from briefing.text.languages import language_code
from briefing.records import IMPACTS, LIKELIHOODS, Article, BriefingResult, Digest
from briefing.output.sanitize import render_inline_markdown
from briefing.settings import DEFAULTS, builtin_dir
from briefing.output.templating import load_template, make_environment, render_template

FORMATS = ("md", "html", "json")
DEFAULT_TEMPLATES = {"md": "briefing", "html": "handout"}
DEFAULT_DIGEST_TEMPLATES = {"md": "digest", "html": "digest"}
PAPER_SIZES = ("A4", "letter", "A5", "A3", "legal")
# Saved with the prompt's variables, but not the user's own (they are `vars`).
_SETTING_VARIABLES = ("audience", "language", "length", "translate_quotes")

TEMPLATE_VARIABLES = {
    "result": "the whole saved result (BriefingResult): article, briefing, grounding, model, prompt, usage, timings",
    "b": "the briefing: title, bluf, summary, key_judgments, key_actors, risks, outlook, gaps",
    "article": "the article: title, source, outlet, author, published, sentences, names, quotations",
    "grounding": "the verifier's findings: sections (counts), issues, and .line (the grounding sentence)",
    "model": "the model: name, endpoint, embedded, note",
    "cited": "list of (number, sentence) for every sentence the briefing cites, in order",
    "sentence(n)": "the text of sentence [Sn]",
    "generated": "the date and time the briefing was made (UTC, ISO 8601)",
    "audience": "who the briefing was written for (--audience)",
    "language": "the language it was written in, as given (--language)",
    "length": "short, standard or long (--length)",
    "lang": "the language tag for <html lang>: 'fr', 'pt-BR'; 'und' when unknown",
    "labels": "headings and fixed words in that language, from labels.toml: labels.summary, labels.risks, ...",
    "grounding_line": "the grounding line in that language ('12 of 14 items verified against the source')",
    "classification": "the distribution/classification marking from the settings (config `classification`), or None",
    "paper": "the paper size for print and PDF: A4 (default) or --var paper=letter (also A5, A3, legal)",
    "vars": "your own variables from --var KEY=VALUE and [vars] in config.toml; each is also {{ KEY }}",
}
DIGEST_TEMPLATE_VARIABLES = {
    "digest": "the whole saved digest (Digest): title, date, cover, stories, failures, changes, model, usage",
    "cover": "the cover: headline, bluf, top_lines, top_risks, watch, groups (each cites story numbers)",
    "groups": "list of (group name, [story views]) in reading order",
    "stories": "list of story views: number, anchor, story, b, article, grounding, sources, cited, sentence(n)",
    "story(n)": "the story view of story number n",
    "failures": "the inputs that failed: source, stage, error, duplicates",
    "changes": "what changed since --previous (or None): new, continuing, dropped, risks_rose, risks_fell",
    "grounding": "totals over all stories: verified, weak, unverified, total",
    "model": "the model: name, endpoint, embedded, note",
    "generated": "the date and time the digest was made (UTC, ISO 8601)",
    "classification, paper, lang, labels": "as for a briefing",
}
# Variables a user may set with --var although a template also receives them.
_USER_SETTABLE = {"paper"}
FILTERS = {
    "md": "Markdown templates: escape text for Markdown: no raw HTML, links, images or headings",
    "markdown": "HTML templates: render inline Markdown (bold, italics, code, http(s) links) as sanitized HTML",
    "term": "a fixed term in the briefing's language: {{ r.impact | term('impact') }} (likelihood, confidence, impact, kind)",
    "css_string": "quote text as a CSS string, every special character escaped (for @page content)",
    "longdate": "an ISO date as '27 November 2026' (longdate(time=True) adds the UTC time); other text unchanged",
    "basename": "the last part of a path",
    "host": "the host name of a URL",
    "is http_url": "test: the text is an http(s) URL",
    "likelihoods, impacts": "the likelihood (ICD 203) and impact terms, in rising order",
    "cited_sentences(result)": "list of (number, sentence) cited by a result's briefing",
    "sentence_text(article, n)": "the text of sentence [Sn] of an article ('' when out of range)",
}
LABELS_FILE = "labels.toml"


def output_template_name(template: str | None, fmt: str) -> str:
    """The file name of the output template: `--template compact -f html` -> compact.html.j2."""
    return f"{template or DEFAULT_TEMPLATES[fmt]}.{fmt}.j2"


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
    env.globals.update(likelihoods=list(LIKELIHOODS), impacts=list(IMPACTS),
                       cited_sentences=cited_sentences, sentence_text=sentence_text)
    return env


@jinja2.pass_context
def _term(context, value: object, kind: str) -> object:
    """{{ r.impact | term("impact") }}: the fixed term in the briefing's language (labels.toml)."""
    return context.get("labels", {}).get(f"{kind}_terms", {}).get(value, value)


def load_labels(dirs: list[Path], lang: str) -> dict:
    """The labels of `lang` (English for what it lacks), merging every labels.toml on the path, first wins."""
    merged: dict[str, dict] = {}
    for folder in reversed([*dirs, builtin_dir("templates")]):
        path = Path(folder) / LABELS_FILE
        if not path.is_file():
            continue
        st = path.stat()
        tables = _read_labels(str(path), st.st_mtime_ns, st.st_size)
        for code, table in tables.items():
            if isinstance(table, dict):
                _merge(merged.setdefault(code, {}), table)
    labels = _merge({}, merged.get("en", {}))
    return _merge(labels, merged.get(lang, {})) if lang and lang != "en" else labels


@functools.lru_cache(maxsize=16)
def _read_labels(path: str, mtime_ns: int, size: int) -> dict:
    """One labels.toml, parsed once per version of the file (parsing it took 2/3 of a Markdown render).
    The tables are shared, read-only: _merge copies what it takes and templates run in an immutable sandbox."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: not valid TOML: {exc}") from None


def _merge(into: dict, table: dict) -> dict:
    for key, value in table.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        else:
            into[key] = value
    return into


def check_output_template(fmt: str, *, template: str | None, dirs: list[Path]) -> None:
    """Find and compile an output template now, so a broken one fails before any request."""
    if fmt != "json":
        load_template(make_output_environment(fmt, dirs), output_template_name(template, fmt))


def render_briefing(result: BriefingResult, fmt: str, *, template: str | None = None,
                    dirs: list[Path] | None = None, variables: dict[str, str] | None = None,
                    classification: str | None = None) -> str:
    """Render `result` as `fmt` ('md', 'html' or 'json') with the named template.

    `dirs` is the search path (default: the built-in templates); `variables` (--var) add to and
    override the variables saved with the result; `classification` is the settings' marking.
    """
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dirs = dirs or [builtin_dir("templates")]
    context = briefing_context(result, variables, dirs=dirs, classification=classification)
    env = make_output_environment(fmt, dirs)
    return render_template(env, output_template_name(template, fmt), context)


def briefing_context(result: BriefingResult, variables: dict[str, str] | None = None, *,
                     dirs: list[Path] | None = None, classification: str | None = None) -> dict:
    """The variables every briefing template receives (see TEMPLATE_VARIABLES)."""
    from briefing.prompts import check_variable_names

    saved = {k: v for k, v in result.prompt.variables.items() if k != "vars"}
    custom = {k: v for k, v in saved.items() if k not in _SETTING_VARIABLES} | dict(variables or {})
    check_variable_names({k: v for k, v in custom.items() if k not in _USER_SETTABLE})
    settings = {k: str(DEFAULTS[k]) for k in ("audience", "language", "length")}
    settings |= {k: v for k, v in saved.items() if k in settings}
    labels = load_labels(dirs or [], language_code(settings["language"]) or "")
    lang = language_tag(settings["language"])
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
        **settings,
        "lang": lang,
        "labels": labels,
        "grounding_line": _grounding_line(result.grounding, labels),
        **custom,
        "classification": str(classification or "").strip() or None,
        "paper": _paper(custom.get("paper")),
        "vars": custom,
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


def _grounding_line(grounding, labels: dict) -> str:
    counts = {"verified": grounding.verified, "total": grounding.total,
              "weak": grounding.weak, "unverified": grounding.unverified}
    try:
        parts = [labels["grounding_line"].format(**counts)]
        if grounding.weak:
            parts.append(labels["grounding_weak"].format(**counts))
        if grounding.unverified:
            parts.append(labels["grounding_unverified"].format(**counts))
    except (KeyError, IndexError, ValueError):
        return grounding.line  # a hand-edited labels.toml with a broken placeholder
    return "; ".join(parts)


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


def language_tag(language: str) -> str:
    """A BCP 47 tag for <html lang>: 'English' -> 'en', 'pt-BR' -> 'pt-BR', '' -> 'en', unknown -> 'und'."""
    name = str(language or "").strip()
    if not name:
        return "en"
    code = language_code(name)
    if code and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})+", name):
        return name  # a full tag as typed keeps its region
    return code or "und"


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


def render_digest(digest: Digest, fmt: str, *, template: str | None = None, dirs: list[Path] | None = None,
                  variables: dict[str, str] | None = None, classification: str | None = None) -> str:
    """Render a digest as `fmt` ('md', 'html' or 'json') with the named template."""
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dirs = dirs or [builtin_dir("templates")]
    context = digest_context(digest, dirs=dirs, variables=variables, classification=classification)
    name = f"{template or DEFAULT_DIGEST_TEMPLATES[fmt]}.{fmt}.j2"
    return render_template(make_output_environment(fmt, dirs), name, context)


def digest_context(digest: Digest, *, dirs: list[Path] | None = None, variables: dict[str, str] | None = None,
                   classification: str | None = None) -> dict:
    """The variables every digest template receives (see DIGEST_TEMPLATE_VARIABLES)."""
    views = []
    totals = {"verified": 0, "weak": 0, "unverified": 0, "total": 0}
    for story in digest.stories:
        view = briefing_context(story.result, variables, dirs=dirs, classification=classification)
        view.update(number=story.number, anchor=f"story-{story.number}", story=story, sources=story.sources)
        views.append(view)
        for k in totals:
            totals[k] += getattr(story.result.grounding, k)
    by_number = {v["number"]: v for v in views}
    groups = [(g.name, [by_number[n] for n in g.stories if n in by_number]) for g in digest.cover.groups]
    first = views[0] if views else briefing_context_defaults(dirs, variables, classification)
    return {
        "digest": digest,
        "cover": digest.cover,
        "groups": [(name, members) for name, members in groups if members],
        "stories": views,
        "story": lambda n: by_number.get(n),
        "failures": digest.failures,
        "changes": digest.changes,
        "grounding": totals,
        "model": digest.model,
        "generated": digest.created_at,
        **{k: first[k] for k in ("classification", "paper", "lang", "labels")},
    }


def briefing_context_defaults(dirs, variables, classification) -> dict:
    """classification, paper, lang and labels for a digest with no story (every input failed)."""
    custom = dict(variables or {})
    return {"classification": str(classification or "").strip() or None, "paper": _paper(custom.get("paper")),
            "lang": "en", "labels": load_labels(dirs or [], "en")}


def render_saved(path: Path, fmt: str, *, template: str | None = None, dirs: list[Path] | None = None,
                 variables: dict[str, str] | None = None, classification: str | None = None) -> tuple[str, str]:
    """Load a saved briefing or digest and render it; returns (text, title for the file name)."""
    saved = load_saved(path)
    if isinstance(saved, Digest):
        text = render_digest(saved, fmt, template=template, dirs=dirs, variables=variables,
                             classification=classification)
        return text, saved_title(saved)
    text = render_briefing(saved, fmt, template=template, dirs=dirs, variables=variables,
                           classification=classification)
    return text, saved_title(saved)


def saved_title(saved: BriefingResult | Digest) -> str:
    """The title a saved briefing or digest gives its output file name."""
    return f"{saved.title} {saved.date}" if isinstance(saved, Digest) else saved.briefing.title


def load_saved(path: Path, *, expect: str | None = None) -> BriefingResult | Digest:
    """Read a briefing or digest saved with -f json (by its `kind`, or `expect`); a clear InputError otherwise."""
    import json

    from pydantic import ValidationError

    from briefing.errors import InputError

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not JSON; `briefing render` takes a file saved with -f json") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise InputError(f"{path} is not JSON; `briefing render` takes a file saved with -f json") from None
    kind = expect or (data.get("kind") if isinstance(data, dict) else None)
    model = Digest if kind == "digest" else BriefingResult
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "top level"
        what = "digest" if kind == "digest" else "briefing"
        raise InputError(f"{path} is not a {what} saved with -f json ({where}: {first['msg']})") from None
