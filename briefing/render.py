"""render_briefing(): a saved result -> Markdown, HTML or JSON text, through Jinja2 templates. Pure.

Templates are found on the search path (--templates-dir, the user folder, built-ins) and always run
sandboxed; HTML templates are autoescaped whatever their file name, so article and model text can
never become markup. The variables a template receives are listed in TEMPLATE_VARIABLES (shown by
`briefing templates show`).
"""

from __future__ import annotations

import re
from pathlib import Path

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
    "vars": "your own variables from --var KEY=VALUE and [vars] in config.toml; each is also {{ KEY }}",
}
FILTERS = {"md": "escape text for Markdown: no raw HTML, links, images or headings"}


def output_template_name(template: str | None, fmt: str) -> str:
    """The file name of the output template: `--template compact -f html` -> compact.html.j2."""
    return f"{template or DEFAULT_TEMPLATES[fmt]}.{fmt}.j2"


def make_output_environment(fmt: str, dirs: list[Path]):
    """The sandboxed environment output templates render in (autoescaped for HTML)."""
    env = make_environment(dirs, autoescape=(fmt == "html"), builtin=builtin_dir("templates"))
    env.filters["md"] = markdown_escape
    return env


def check_output_template(fmt: str, *, template: str | None, dirs: list[Path]) -> None:
    """Find and compile an output template now, so a broken one fails before any request."""
    if fmt != "json":
        load_template(make_output_environment(fmt, dirs), output_template_name(template, fmt))


def render_briefing(result: BriefingResult, fmt: str, *, template: str | None = None,
                    dirs: list[Path] | None = None, variables: dict[str, str] | None = None) -> str:
    """Render `result` as `fmt` ('md', 'html' or 'json') with the named template.

    `variables` (--var) add to and override the variables saved with the result.
    """
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    env = make_output_environment(fmt, dirs or [])
    return render_template(env, output_template_name(template, fmt), briefing_context(result, variables))


def briefing_context(result: BriefingResult, variables: dict[str, str] | None = None) -> dict:
    """The variables every briefing template receives (see TEMPLATE_VARIABLES)."""
    saved = {k: v for k, v in result.prompt.variables.items() if k != "vars"}
    custom = {k: v for k, v in saved.items() if k not in _SETTING_VARIABLES} | dict(variables or {})
    settings = {k: str(DEFAULTS[k]) for k in ("audience", "language", "length")}
    settings |= {k: v for k, v in saved.items() if k in settings}
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
        "lang": language_code(settings["language"]) or "",
        **custom,
        "vars": custom,
    }


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
