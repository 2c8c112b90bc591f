"""build_summary(): what a mail subject and a webhook say about a written brief. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefing.digest_records import Digest
from briefing.records import BriefingResult
from briefing.redact import redact_url

MAX_TOP_LINES = 5


@dataclass(frozen=True)
class Summary:
    """A written briefing or digest in a few lines, with the files it was written to."""

    kind: str  # "briefing" or "digest"
    title: str
    date: str
    bluf: str
    top_lines: list[str]
    grounding: str
    files: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        """The e-mail subject: one line, whatever the title held."""
        return " ".join(f"{self.title} — {self.date}".split())[:200]


def build_summary(result: BriefingResult | Digest, files: list[Path]) -> Summary:
    """The summary of a briefing (its key judgments are the top lines) or a digest (its cover's)."""
    paths = [str(Path(f).resolve()) for f in files]
    if isinstance(result, Digest):
        verified = sum(s.result.grounding.verified for s in result.stories)
        total = sum(s.result.grounding.total for s in result.stories)
        return Summary(
            kind="digest",
            title=f"{result.title}: {result.cover.headline}",
            date=result.date,
            bluf=result.cover.bluf,
            top_lines=[t.line for t in result.cover.top_lines][:MAX_TOP_LINES],
            grounding=f"{len(result.stories)} stories; {verified} of {total} items verified against the sources",
            files=paths,
            sources=[_shown(s.source) for story in result.stories for s in story.sources],
        )
    b = result.briefing
    return Summary(
        kind="briefing",
        title=b.title,
        date=result.created_at[:10],
        bluf=b.bluf,
        top_lines=[j.statement for j in b.key_judgments][:MAX_TOP_LINES],
        grounding=result.grounding.line,
        files=paths,
        sources=[_shown(result.article.source)],
    )


def _shown(source: str) -> str:
    return redact_url(source) if "://" in source else source
