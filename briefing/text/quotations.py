"""Find the quotations an article contains and who it says spoke them. Pure.

Where the quotation marks are is marks.py's work (straight, curly, guillemets, the wire's ``...'',
single quotes that are not apostrophes); who spoke is speakers.py's (the article's wording, with a
status: "confirmed" when the words tie the quotation to the speaker, "unconfirmed" when the speaker
is at best a guess). A quotation of one word is a scare quote, not a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.records import Quote
from briefing.text.marks import quoted_spans
from briefing.text.names import Name
from briefing.text.speakers import attribute_speakers

# The longest quote a briefing may carry (records.Quote.text's bound); longer quotations are excerpted.
QUOTE_MAX_CHARS = next(m.max_length for m in Quote.model_fields["text"].metadata if hasattr(m, "max_length"))


@dataclass(frozen=True)
class Found:
    """A quotation: its text without the marks, where it sits, and the speaker the article names."""

    text: str
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark
    speaker: str | None
    status: str = "unconfirmed"  # "confirmed": the article's wording ties the quotation to `speaker`


def find_quotations(text: str, names: list[Name] | None = None) -> list[Found]:
    """Return the quotations in `text` in order, with speakers where the text makes them plain."""
    spans = [(s, e, inner.strip().rstrip(",").strip()) for s, e, inner in quoted_spans(text)]
    spans = [span for span in spans if len(span[2].split()) >= 2]
    found = attribute_speakers(text, [(s, e) for s, e, _ in spans], names or [])
    return [Found(inner, s, e, who.speaker, who.status) for (s, e, inner), who in zip(spans, found)]


def quotable(text: str, limit: int = QUOTE_MAX_CHARS) -> str:
    """`text`, or for a quotation too long to quote whole, its opening up to `limit` characters, cut
    after a sentence or else at a word: still the article's exact words, so it verifies as a quote."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?;…](?=\s)", head + " ")]
    cut = ends[-1] if ends and ends[-1] >= limit // 3 else head.rstrip().rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:—–-")
