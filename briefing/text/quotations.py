"""Find the quotations an article contains and who it says spoke them. Pure.

Where the quotation marks are is marks.py's work (straight, curly, guillemets, the wire's ``...'',
single quotes that are not apostrophes); who spoke is speakers.py's (the article's wording, with a
status: "confirmed" when the words tie the quotation to the speaker, "unconfirmed" when the speaker
is at best a guess). A quotation of one word is a scare quote, not a quotation.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.text.marks import quoted_spans
from briefing.text.names import Name
from briefing.text.speakers import attribute_speakers


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
