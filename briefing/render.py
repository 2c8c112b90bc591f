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
from briefing.models import BriefingResult
from briefing.templating import make_environment, render_template

FORMATS = ("md", "html", "json")
DEFAULT_TEMPLATES = {"md": "briefing", "html": "handout"}

TEMPLATE_VARIABLES = {
    "result": "the whole saved result (BriefingResult): article, briefing, grounding, model, prompt, usage, timings",
    "b": "the briefing: title, bluf, summary, key_judgments, key_actors, risks, outlook, gaps",
    "article": "the article: title, source, outlet, author, published, sentences, names, quotations",
    "grounding": "the verifier's findings: sections (counts), issues, and .line (the grounding sentence)",
    "model": "the model: name, endpoint, embedded, note",
    "cited": "list of (number, sentence) for every sentence the briefing cites, in order",
    "sentence(n)": "the text of sentence [Sn]",
    "generated": "the date and time the briefing was made (UTC, ISO 8601)",
}


def render_briefing(result: BriefingResult, fmt: str, *, template: str | None = None,
                    dirs: list[Path] | None = None) -> str:
    """Render `result` as `fmt` ('md', 'html' or 'json') with the named template."""
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    name = f"{template or DEFAULT_TEMPLATES[fmt]}.{fmt}.j2"
    env = make_environment(dirs or [], autoescape=(fmt == "html"))
    env.filters["md"] = markdown_escape
    return render_template(env, name, briefing_context(result))


def briefing_context(result: BriefingResult) -> dict:
    """The variables every briefing template receives (see TEMPLATE_VARIABLES)."""
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
    }


def markdown_escape(text: object) -> str:
    """Make untrusted text inert in Markdown: no raw HTML, no links or images, no headings."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\[\]`*_\\|])", r"\\\1", s)
    return re.sub(r"^([#>+-])", r"\\\1", s)


def render_saved(path: Path, fmt: str, *, template: str | None = None,
                 dirs: list[Path] | None = None) -> tuple[str, str]:
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
    return render_briefing(result, fmt, template=template, dirs=dirs), result.briefing.title
