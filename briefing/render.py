"""render_briefing(): a saved result -> Markdown, HTML or JSON text, through Jinja2 templates. Pure.

Templates are found on the search path (--templates-dir, the user folder, built-ins) and always run
sandboxed; HTML templates are autoescaped whatever their file name, so article and model text can
never become markup. The variables a template receives are listed in TEMPLATE_VARIABLES (shown by
`briefing templates show`).
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import jinja2

from briefing.errors import TemplateError
from briefing.languages import language_code
from briefing.models import BriefingResult
from briefing.settings import DEFAULTS, builtin_dir
from briefing.templating import load_template, make_environment, render_template

FORMATS = ("md", "html", "json")
DEFAULT_TEMPLATES = {"md": "briefing", "html": "handout"}
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
    "lang": "the ISO 639-1 code of that language ('fr'), or '' when unknown: for <html lang>",
    "labels": "headings and fixed words in that language, from labels.toml: labels.summary, labels.risks, ...",
    "grounding_line": "the grounding line in that language ('12 of 14 items verified against the source')",
    "vars": "your own variables from --var KEY=VALUE and [vars] in config.toml; each is also {{ KEY }}",
}
FILTERS = {
    "md": "escape text for Markdown: no raw HTML, links, images or headings",
    "term": "a fixed term in the briefing's language: {{ r.impact | term('impact') }} (likelihood, confidence, impact, kind)",
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
        try:
            tables = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TemplateError(f"{path}: not valid TOML: {exc}") from None
        for code, table in tables.items():
            if isinstance(table, dict):
                _merge(merged.setdefault(code, {}), table)
    labels = _merge({}, merged.get("en", {}))
    return _merge(labels, merged.get(lang, {})) if lang and lang != "en" else labels


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
                    dirs: list[Path] | None = None, variables: dict[str, str] | None = None) -> str:
    """Render `result` as `fmt` ('md', 'html' or 'json') with the named template.

    `dirs` is the search path (default: the built-in templates); `variables` (--var) add to and
    override the variables saved with the result.
    """
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dirs = dirs or [builtin_dir("templates")]
    context = briefing_context(result, variables, dirs=dirs)
    env = make_output_environment(fmt, dirs)
    return render_template(env, output_template_name(template, fmt), context)


def briefing_context(result: BriefingResult, variables: dict[str, str] | None = None, *,
                     dirs: list[Path] | None = None) -> dict:
    """The variables every briefing template receives (see TEMPLATE_VARIABLES)."""
    from briefing.prompts import check_variable_names

    saved = {k: v for k, v in result.prompt.variables.items() if k != "vars"}
    custom = {k: v for k, v in saved.items() if k not in _SETTING_VARIABLES} | dict(variables or {})
    check_variable_names(custom)
    settings = {k: str(DEFAULTS[k]) for k in ("audience", "language", "length")}
    settings |= {k: v for k, v in saved.items() if k in settings}
    lang = language_code(settings["language"]) or ""
    labels = load_labels(dirs or [], lang)
    sentences = result.article.sentences
    b = result.briefing
    numbers: list[int] = []
    for item in [*b.key_judgments, *b.key_actors, *b.risks, *b.outlook]:
        numbers.extend(n for n in item.evidence if 1 <= n <= len(sentences))
    cited = [(n, " ".join(sentences[n - 1].split())) for n in sorted(set(numbers))]
    return {
        "result": result,
        "b": b,
        "article": result.article,
        "grounding": result.grounding,
        "model": result.model,
        "cited": cited,
        "sentence": lambda n: " ".join(sentences[n - 1].split()) if 1 <= n <= len(sentences) else "",
        "generated": result.created_at,
        **settings,
        "lang": lang,
        "labels": labels,
        "grounding_line": _grounding_line(result.grounding, labels),
        **custom,
        "vars": custom,
    }


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


def markdown_escape(text: object) -> str:
    """Make untrusted text inert in Markdown: no raw HTML, no links or images, no headings."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\[\]`*_\\|])", r"\\\1", s)
    return re.sub(r"^([#>+-])", r"\\\1", s)


def render_saved(path: Path, fmt: str, *, template: str | None = None, dirs: list[Path] | None = None,
                 variables: dict[str, str] | None = None) -> tuple[str, str]:
    """Load a saved JSON result and render it; returns (text, title for the file name)."""
    from pydantic import ValidationError

    from briefing.errors import InputError

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        result = BriefingResult.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "top level"
        raise InputError(f"{path} is not a briefing saved with -f json ({where}: {first['msg']})") from None
    text = render_briefing(result, fmt, template=template, dirs=dirs, variables=variables)
    return text, result.briefing.title
