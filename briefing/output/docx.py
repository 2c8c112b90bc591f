"""render_docx(): a briefing or a digest -> a Word document (.docx bytes) with python-docx. Pure.

The desk edits the brief in Word before it goes up, so the document is built from Word's own
parts, not an HTML conversion: Heading 1-3 styles (the navigation pane shows the structure), the
bottom line in a shaded box, tables for actors and risks, the likelihood and confidence words,
citations [S3] as links to the Sources section, the marks for weak and unverified items with their
legend, and the distribution marking in the header and footer of every page. The words come from
labels.toml in the briefing's language, like every other output.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from docx import Document

from briefing.digest_records import Digest
from briefing.output.render import briefing_context, digest_context
from briefing.output.word import (
    VERIFIED,
    add_bookmark,
    add_box,
    add_inline,
    add_link,
    add_mark,
    add_table,
    muted,
    plain,
    set_marking,
)
from briefing.records import BriefingResult


def render_docx(
    result: BriefingResult | Digest,
    *,
    dirs: list[Path] | None = None,
    variables: dict[str, str] | None = None,
    classification: str | None = None,
) -> bytes:
    """The .docx of a briefing or a digest."""
    document = Document()
    if isinstance(result, Digest):
        context = digest_context(result, dirs=dirs, variables=variables, classification=classification)
        document.core_properties.title = plain(f"{result.title} {result.date}")
        _write_digest(document, result, context)
    else:
        context = briefing_context(result, variables, dirs=dirs, classification=classification)
        document.core_properties.title = plain(result.briefing.title)
        _write_briefing(document, context, level=1, anchor="")
    document.core_properties.author = "briefing"
    set_marking(document, context["classification"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_BOOKMARK_IDS = itertools.count(1)  # bookmark ids must be unique within a document; these are in every one


def _write_briefing(document, ctx: dict, *, level: int, anchor: str):
    """One briefing under a heading of `level`; its sections one level below. `anchor` prefixes bookmarks."""
    b, labels, article = ctx["b"], ctx["labels"], ctx["article"]
    heading = document.add_heading(plain(b.title), level=level)
    meta = document.add_paragraph()
    where = " · ".join(plain(x) for x in (article.title, article.outlet, article.published) if x)
    muted(meta, f"{labels['briefing']} · {ctx['generated'][:10]} · {labels['source']}: {where}")
    add_box(document, labels["bluf"], b.bluf)
    sub = level + 1

    def cite(paragraph, ids) -> None:
        for n in ids:
            if 1 <= n <= len(article.sentences):
                add_link(paragraph, f"[S{n}]", f"{anchor}S{n}")

    document.add_heading(plain(labels["summary"]), level=sub)
    add_inline(document.add_paragraph(), b.summary)

    document.add_heading(plain(labels["key_judgments"]), level=sub)
    for j in b.key_judgments:
        p = document.add_paragraph(style="List Number")
        add_inline(p, j.statement)
        p.add_run(" — ")
        p.add_run(_term(labels, "likelihood", j.likelihood)).bold = True
        p.add_run(f" ({plain(labels['confidence'])}: {_term(labels, 'confidence', j.confidence)})")
        cite(p, j.evidence)
        add_mark(p, j.check, labels)

    document.add_heading(plain(labels["key_actors"]), level=sub)
    rows = []
    for a in b.key_actors:

        def name(p, a=a) -> None:
            p.add_run(plain(a.name)).bold = True
            add_mark(p, a.check, labels)

        def stance(p, a=a) -> None:
            add_inline(p, a.stance)
            cite(p, a.evidence)

        rows.append([name, _term(labels, "kind", a.kind), a.role, stance])
    add_table(document, [labels["actor"], labels["kind"], labels["role"], labels["stance"]], rows)
    quotes = [q for a in b.key_actors for q in a.quotes]
    if quotes:
        document.add_heading(plain(labels["quotes"]), level=sub + 1)
    for q in quotes:
        p = document.add_paragraph(style="Quote")
        p.add_run(f"“{plain(q.text)}” — {plain(q.speaker)}")
        if q.verified and (not q.check or q.check.status == "verified"):
            run = p.add_run(f" [{plain(labels['verbatim'])}]")
            run.bold, run.font.color.rgb = True, VERIFIED
        else:
            add_mark(p, q.check or _Unverified, labels)
        if q.translation:
            muted(p, f" ({labels['translation']}: {q.translation})")

    document.add_heading(plain(labels["risks"]), level=sub)
    rows = []
    for r in b.risks:

        def risk(p, r=r) -> None:
            p.add_run(plain(r.title)).bold = True
            add_mark(p, r.check, labels)
            p.add_run(": ")
            add_inline(p, r.description)
            cite(p, r.evidence)

        rows.append(
            [
                risk,
                _term(labels, "likelihood", r.likelihood),
                _term(labels, "impact", r.impact),
                r.timeframe,
                "; ".join(plain(i) for i in r.indicators),
            ]
        )
    header = [labels["risk"], labels["likelihood"], labels["impact"], labels["timeframe"], labels["indicators"]]
    add_table(document, header, rows)

    document.add_heading(plain(labels["outlook"]), level=sub)
    for s in b.outlook:
        p = document.add_paragraph(style="List Bullet")
        add_inline(p, s.development)
        p.add_run(" — ")
        p.add_run(_term(labels, "likelihood", s.likelihood)).bold = True
        cite(p, s.evidence)
        add_mark(p, s.check, labels)
        if s.signposts:
            muted(p, f" {labels['signposts']}: " + "; ".join(plain(x) for x in s.signposts))

    if b.gaps:
        document.add_heading(plain(labels["gaps"]), level=sub)
        for gap in b.gaps:
            add_inline(document.add_paragraph(style="List Bullet"), gap)

    document.add_heading(plain(labels["sources"]), level=sub)
    for n, text in ctx["cited"]:
        p = document.add_paragraph()
        p.add_run(f"[S{n}] ").bold = True
        p.add_run(plain(text))
        add_bookmark(p, f"{anchor}S{n}", next(_BOOKMARK_IDS))
    source = document.add_paragraph()
    muted(source, f"{labels['source']}: {article.source}")

    note = document.add_paragraph()
    note.add_run(f"{plain(labels['grounding'])}: ").bold = True
    note.add_run(plain(ctx["grounding_line"]) + ".")
    legend = document.add_paragraph()
    muted(
        legend,
        f"[{labels['weak']}]: {labels['legend_weak']}; [{labels['unverified']}]: {labels['legend_unverified']}; "
        f"[{labels['verbatim']}]: {labels['legend_verbatim']}.",
    )
    model = ctx["model"]
    muted(document.add_paragraph(), model.note or f"{labels['model']}: {model.name}.")
    return heading


class _Unverified:
    status = "unverified"


def _term(labels: dict, kind: str, value: str) -> str:
    return plain(labels.get(f"{kind}_terms", {}).get(value, value))


def _write_digest(document, digest: Digest, ctx: dict) -> None:
    """The cover (headline, bottom line, top lines, top risks, what to watch), then one section per story."""
    cover = digest.cover
    document.add_heading(plain(f"{digest.title} — {digest.date}"), level=1)
    add_inline(document.add_paragraph(), f"**{plain(cover.headline)}**")
    add_box(document, ctx["labels"]["bluf"], cover.bluf)
    if digest.cover_note:
        muted(document.add_paragraph(), digest.cover_note)

    def stories(p, numbers) -> None:
        for n in numbers:
            if ctx["story"](n):
                add_link(p, f"[{n}]", f"story{n}")

    document.add_heading("Top lines", level=2)
    for t in cover.top_lines:
        p = document.add_paragraph(style="List Number")
        add_inline(p, t.line)
        stories(p, t.stories)
    document.add_heading("Top risks", level=2)
    rows = []
    for r in cover.top_risks:

        def risk(p, r=r) -> None:
            p.add_run(plain(r.title)).bold = True
            p.add_run(": ")
            add_inline(p, r.description)
            stories(p, r.stories)

        rows.append([risk, r.likelihood, r.impact])
    add_table(document, ["Risk", "Likelihood", "Impact"], rows)
    document.add_heading("What to watch today", level=2)
    for w in cover.watch:
        p = document.add_paragraph(style="List Bullet")
        add_inline(p, w.item)
        stories(p, w.stories)

    for view in ctx["stories"]:
        # The story's heading carries its bookmark, so the cover's [N] links land on it.
        heading = _write_briefing(document, view, level=2, anchor=f"story{view['number']}_")
        add_bookmark(heading, f"story{view['number']}", next(_BOOKMARK_IDS))
        for source in view["sources"][1:]:
            muted(document.add_paragraph(), f"Also reported by: {source.outlet or source.title} ({source.source})")

    if digest.failures:
        document.add_heading("Failed inputs", level=2)
        for failure in digest.failures:
            p = document.add_paragraph(style="List Bullet")
            p.add_run(plain(failure.source)).bold = True
            p.add_run(f": {plain(failure.error)}")
