"""render_briefing() and render_digest(): a result -> Markdown, HTML or JSON text through Jinja2. Pure.

Templates are found on the search path (--templates-dir, the user folder, built-ins) and always run
sandboxed (output/environment.py). The variables a template receives are listed in
output/variables.py (shown by `briefing templates show`).
"""

from __future__ import annotations

from pathlib import Path

from briefing.digest_records import Digest
from briefing.errors import TemplateError
from briefing.output.environment import cited_sentences, make_output_environment, paper_size, sentence_text
from briefing.output.labels import grounding_line, language_tag, load_labels
from briefing.output.templating import load_template, render_template
from briefing.output.variables import SETTING_VARIABLES, USER_SETTABLE, check_variable_names
from briefing.records import BriefingResult
from briefing.settings import DEFAULTS, builtin_dir
from briefing.text.languages import language_code

FORMATS = ("md", "html", "json")
DEFAULT_TEMPLATES = {"md": "briefing", "html": "handout"}
DEFAULT_DIGEST_TEMPLATES = {"md": "digest", "html": "digest"}


def output_template_name(template: str | None, fmt: str) -> str:
    """The file name of the output template: `--template compact -f html` -> compact.html.j2."""
    return f"{template or DEFAULT_TEMPLATES[fmt]}.{fmt}.j2"


def check_output_template(fmt: str, *, template: str | None, dirs: list[Path]) -> None:
    """Find and compile an output template now, so a broken one fails before any request."""
    if fmt != "json":
        load_template(make_output_environment(fmt, dirs), output_template_name(template, fmt))


def render_briefing(
    result: BriefingResult,
    fmt: str,
    *,
    template: str | None = None,
    dirs: list[Path] | None = None,
    variables: dict[str, str] | None = None,
    classification: str | None = None,
) -> str:
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


def briefing_context(
    result: BriefingResult,
    variables: dict[str, str] | None = None,
    *,
    dirs: list[Path] | None = None,
    classification: str | None = None,
) -> dict:
    """The variables every briefing template receives (see TEMPLATE_VARIABLES)."""
    saved = {k: v for k, v in result.prompt.variables.items() if k != "vars"}
    custom = {k: v for k, v in saved.items() if k not in SETTING_VARIABLES} | dict(variables or {})
    check_variable_names({k: v for k, v in custom.items() if k not in USER_SETTABLE})
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
        "grounding_line": grounding_line(result.grounding, labels),
        "flags": {i.path: i.message for i in result.grounding.issues if i.status == "flagged"},
        **custom,
        "classification": str(classification or "").strip() or None,
        "paper": paper_size(custom.get("paper")),
        "vars": custom,
    }


def render_digest(
    digest: Digest,
    fmt: str,
    *,
    template: str | None = None,
    dirs: list[Path] | None = None,
    variables: dict[str, str] | None = None,
    classification: str | None = None,
) -> str:
    """Render a digest as `fmt` ('md', 'html' or 'json') with the named template."""
    if fmt == "json":
        return digest.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        raise TemplateError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    dirs = dirs or [builtin_dir("templates")]
    context = digest_context(digest, dirs=dirs, variables=variables, classification=classification)
    name = f"{template or DEFAULT_DIGEST_TEMPLATES[fmt]}.{fmt}.j2"
    return render_template(make_output_environment(fmt, dirs), name, context)


def digest_context(
    digest: Digest,
    *,
    dirs: list[Path] | None = None,
    variables: dict[str, str] | None = None,
    classification: str | None = None,
) -> dict:
    """The variables every digest template receives (see DIGEST_TEMPLATE_VARIABLES)."""
    views = []
    totals = {"verified": 0, "weak": 0, "unverified": 0, "total": 0, "flagged": len(digest.cover_issues)}
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
    return {
        "classification": str(classification or "").strip() or None,
        "paper": paper_size(custom.get("paper")),
        "lang": "en",
        "labels": load_labels(dirs or [], "en"),
    }
