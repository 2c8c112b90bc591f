"""Where an article's quotations are: the spans its quotation marks enclose. Pure.

Straight and curly double quotes (also mixed, as in `"We must...,” he declared`), guillemets, the wire
convention of two backticks and two apostrophes (``like this''), and single quotes used as quotation
marks ('sovereignty against imperialist aggressions.') without mistaking apostrophes (North's, talks')
for them; single quotes nested inside double ones are part of the outer quotation.
"""

from __future__ import annotations

import re

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
# ``...''; a wire quotation closed by one apostrophe by mistake ("in a short time.' Israel") ends there.
_WIRE = re.compile(r"``(?:(?!``).){1,1500}?''(?!')|``(?:(?!``|'').){1,600}?[.,!?]'(?=\s)", re.DOTALL)


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, inner text) of each top-level quotation in `text`: double-quoted in order, then single."""
    wire = [
        (m.start(), m.end(), text[m.start() + 2 : m.end() - (2 if m.group(0).endswith("''") else 1)])
        for m in _WIRE.finditer(text)
    ]
    wire = [(s, e, inner) for s, e, inner in wire if "\n\n" not in inner]
    covered = [(s, e) for s, e, _ in wire]
    spans = list(wire)
    for span in _double_spans(text):
        if not _inside(span[0], covered):
            spans.append(span)
    spans.sort()
    covered = [(s, e) for s, e, _ in spans]
    return spans + [span for span in _single_spans(text) if not _inside(span[0], covered)]


def _inside(at: int, covered: list[tuple[int, int]]) -> bool:
    return any(s <= at < e for s, e in covered)


def _double_spans(text: str):
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None and "\n" in text[open_at:i]:
            open_at = None  # an unclosed quotation does not run across paragraphs
        if ch in _DOUBLE_OPEN or (ch == '"' and open_at is None and _opens(text, i)):
            open_at = i
        elif (ch in _DOUBLE_CLOSE or ch == '"') and open_at is not None:
            yield open_at, i + 1, text[open_at + 1 : i]
            open_at = None


def _single_spans(text: str):
    """Single-quoted quotations: an opener after a space, a closer before a space or punctuation."""
    for m in re.finditer(r"(?<![\w`'])['‘](?=[A-Za-z])", text):
        start = m.start()
        for c in re.finditer(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)\"”]|$)", text[start + 1 : start + 400]):
            end = start + 1 + c.end()
            inner = text[start + 1 : end - 1]
            if "\n" in inner:
                break
            # "talks' failure": a plural possessive right after a letter 's' followed by a word.
            if inner.endswith("s") and re.match(r"\s+[a-z]", text[end : end + 3]):
                continue
            yield start, end, inner
            break


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()
