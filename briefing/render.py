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
from briefing.models import BriefingResult, Digest
from briefing.templating import make_environment, render_template

FORMATS = ("md", "html", "json")
DEFAULT_TEMPLATES = {"md": "briefing", "html": "handout"}
DEFAULT_DIGEST_TEMPLATES = {"md": "digest", "html": "digest"}

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


def render_digest(digest: Digest, fmt: str, *, template: str | None = None, dirs: list[Path] | None = None) -> str:
    """Render a digest as `fmt` ('md', 'html' or 'json') with the named template."""
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    name = f"{template or DEFAULT_DIGEST_TEMPLATES[fmt]}.{fmt}.j2"
    env = make_environment(dirs or [], autoescape=(fmt == "html"))
    env.filters["md"] = markdown_escape
    return render_template(env, name, digest_context(digest))


def digest_context(digest: Digest) -> dict:
    """The variables every digest template receives (see DIGEST_TEMPLATE_VARIABLES)."""
    views = []
    totals = {"verified": 0, "weak": 0, "unverified": 0, "total": 0}
    for story in digest.stories:
        view = briefing_context(story.result)
        view.update(number=story.number, anchor=f"story-{story.number}", story=story, sources=story.sources)
        views.append(view)
        for k in totals:
            totals[k] += getattr(story.result.grounding, k)
    by_number = {v["number"]: v for v in views}
    groups = [(g.name, [by_number[n] for n in g.stories if n in by_number]) for g in digest.cover.groups]
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
    }


def markdown_escape(text: object) -> str:
    """Make untrusted text inert in Markdown: no raw HTML, no links or images, no headings."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\[\]`*_\\|])", r"\\\1", s)
    return re.sub(r"^([#>+-])", r"\\\1", s)


def render_saved(path: Path, fmt: str, *, template: str | None = None,
                 dirs: list[Path] | None = None) -> tuple[str, str]:
    """Load a saved briefing or digest (by its `kind`) and render it; returns (text, title for the file name)."""
    from pydantic import ValidationError

    from briefing.errors import InputError

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    kind = _saved_kind(raw)
    model = Digest if kind == "digest" else BriefingResult
    try:
        saved = model.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "top level"
        what = "digest" if kind == "digest" else "briefing"
        raise InputError(f"{path} is not a {what} saved with -f json ({where}: {first['msg']})") from None
    if isinstance(saved, Digest):
        return render_digest(saved, fmt, template=template, dirs=dirs), f"{saved.title} {saved.date}"
    return render_briefing(saved, fmt, template=template, dirs=dirs), saved.briefing.title


def _saved_kind(raw: str) -> str | None:
    """The `kind` field of a saved JSON document, if it has one."""
    import json

    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data.get("kind") if isinstance(data, dict) else None
