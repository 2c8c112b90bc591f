"""Writing a digest's formats one by one: what renders and writes is kept, the rest is reported.   [disk]"""

from __future__ import annotations

from briefing.cli.common import emit_output, keep_unrendered, say


def write_formats(
    digest, dests: dict, template: str, template_dirs, settings, *, force: bool
) -> tuple[dict, list[str]]:
    """Write every format that renders and writes; the digest is kept in the user folder if any did
    not (a failing template, a name taken meanwhile, a full disk). Returns what was rendered, by
    format, and the formats not written; raises the first error when none was written."""
    from briefing.errors import BriefingError

    errors: dict[str, BriefingError] = {}
    rendered: dict = {}
    for fmt, dest in dests.items():
        try:
            data = render_format(digest, fmt, template, template_dirs, settings)
            emit_output(data, dest, force=force)
            rendered[fmt] = data
        except BriefingError as exc:  # a template, Chromium, the disk: the other formats go on
            errors[fmt] = exc
    if not errors:
        return rendered, []
    kept = keep_unrendered(digest, settings, f"{digest.title} {digest.date}")
    hint = f"the digest is kept in {kept}: `briefing render {kept} -f FORMAT -o ...`"
    if not rendered:
        first = next(iter(errors.values()))
        raise type(first)(first.message, hint=f"{first.hint + '; ' if first.hint else ''}{hint}")
    for fmt, failure in errors.items():
        say(f"error: -f {fmt} not written: {failure.message}")
    say(f"briefing: {', '.join(rendered)} written; {hint}")
    return rendered, list(errors)


def render_format(digest, fmt: str, template: str, dirs, settings) -> str | bytes:
    from briefing.output.render import render_digest

    if fmt == "docx":
        from briefing.output.docx import render_docx

        return render_docx(digest, dirs=dirs, classification=settings.classification)
    kwargs = dict(template=template, dirs=dirs, classification=settings.classification)
    if fmt == "pdf":
        from briefing.output.pdf import render_pdf

        return render_pdf(render_digest(digest, "html", **kwargs))
    return render_digest(digest, fmt, **kwargs)
