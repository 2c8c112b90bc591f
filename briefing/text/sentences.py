"""Split news text into the numbered sentences [S1]..[Sn] the model cites. Pure.

News text breaks naive splitters: "U.S." ends some sentences and not others, "Dr." never does,
initials ("J. R. Smith") and decimals ("3.5") carry periods, a quotation may hold several sentences
before its attribution ("... open. Nothing good will come of it," he said.), datelines open the
first sentence, and CJK text ends sentences with 。！？ and no space. The rules below handle these;
tests/test_sentences.py holds the real-world cases.
"""

from __future__ import annotations

import re

# Titles and abbreviations that never end a sentence.
_NEVER_FINAL = set(
    """
    mr mrs ms mx dr prof sir rev fr gen lt col maj capt cmdr adm sgt cpl pvt sen rep gov pres amb
    hon supt insp st mt ft vs v cf e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec mon tue
    tues wed thu thur thurs fri sat sun
    """.split()
)
# Abbreviations that stand before a number ("No. 5", "Vol. 2") and are ordinary words otherwise.
_BEFORE_NUMBER = {"no", "nos", "vol", "art", "fig", "ch", "para", "approx", "pp", "p"}
# Abbreviations that may end a sentence when the next word is capitalised.
_MAYBE_FINAL = set(
    """
    inc co corp ltd plc llc jr sr etc al bros dept
    """.split()
)
# Capitalised words that commonly follow "U.S." (or "U.K.", "U.N."...) inside one sentence.
_INITIALISM_ADJUNCTS = set(
    """
    administration air ambassador army attorney attorneys bank border capitol census central coast
    commerce congress consulate court courts customs defense defence department dollar dollars
    embassy energy envoy federal food forces general government health house justice marine marines
    military navy open president representative secretary security senate senator space special
    state states supreme trade treasury troops vice indo-pacific pacific africa european cyber
    strategic northern southern command intelligence agency national
    """.split()
)

_TERMINATORS = ".!?…"
_CJK_TERMINATORS = "。！？｡"
_OTHER_TERMINATORS = "؟।۔"  # Arabic question mark, Devanagari danda, Urdu full stop
_CLOSERS = "\"'”’»)]}」』"
_OPEN_DOUBLE = "“„«「『"
_CLOSE_DOUBLE = "”»」』"

# A quotation left open longer than this is treated as unbalanced and stops shielding boundaries.
_MAX_QUOTE_SPAN = 700

_boundary = re.compile(
    rf"([{re.escape(_TERMINATORS + _OTHER_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*)(\s+)"
    rf"|([{re.escape(_CJK_TERMINATORS)}][{re.escape(_CLOSERS)}]*)"
    r"|(\n[ \t]*\n\s*)"
    r"|(\n)"
)
_word_before = re.compile(r"(\S+)$")


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text`, stripped, in order; blank input gives []."""
    return [text[start:end] for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence in `text`, without surrounding whitespace."""
    cuts: list[int] = []
    quote_open_at: int | None = None
    scanned = 0
    for match in _boundary.finditer(text):
        quote_open_at = _track_quotes(text, scanned, match.start(), quote_open_at)
        scanned = match.start()
        if match.group(4) is not None:  # blank line: a paragraph ends, whatever else is open
            cuts.append(match.end())
            quote_open_at = None
            continue
        if match.group(5) is not None:  # single newline
            if _line_break_ends_sentence(text, match.start()):
                cuts.append(match.end())
                quote_open_at = None
            continue
        if match.group(3) is not None:  # CJK terminator, no space needed
            if quote_open_at is None:
                cuts.append(match.end())
            continue
        punct_end = match.start() + len(match.group(1))
        quote_open_at = _track_quotes(text, scanned, punct_end, quote_open_at)
        scanned = punct_end
        if re.search(r"\n[ \t]*\n", match.group(2)):  # "assets.\n\nThe": the paragraph ends, an open quote too
            cuts.append(match.end())
            quote_open_at = None
            continue
        if quote_open_at is not None and match.start() - quote_open_at < _MAX_QUOTE_SPAN:
            continue  # inside a quotation: its sentences belong to the reported-speech sentence
        quote_open_at = None
        if _ends_sentence(text, match.start(), match.group(1), match.end()):
            cuts.append(match.end())
    return _spans_from_cuts(text, cuts)


def _track_quotes(text: str, start: int, end: int, open_at: int | None) -> int | None:
    """Follow double quotation marks in text[start:end]; return where the open one began, if any."""
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN_DOUBLE:
            open_at = i
        elif ch in _CLOSE_DOUBLE:
            open_at = None
        elif ch == '"':
            before = text[i - 1] if i else " "
            open_at = i if (open_at is None and (before.isspace() or before in "([{—–-")) else None
    return open_at


def _ends_sentence(text: str, at: int, punct: str, next_start: int) -> bool:
    """Decide whether the terminator `punct` at `at` ends a sentence."""
    if "!" in punct or "?" in punct or any(c in punct for c in _OTHER_TERMINATORS):
        return True
    next_char = text[next_start] if next_start < len(text) else ""
    if not next_char:
        return True
    word = _word_ending_at(text, at)
    bare = word.lstrip("\"'“‘(([").lower()  # noqa: B005 - a set of opening marks, not a prefix
    if punct.startswith("..") or punct.startswith("…"):
        # An ellipsis ends a sentence only if a capitalised word follows.
        return next_char.isupper() or next_char in _OPEN_DOUBLE + '"'
    if bare in _NEVER_FINAL:
        return False
    if bare in _BEFORE_NUMBER and next_char.isdigit():
        return False
    if re.fullmatch(r"[a-z]", bare):  # an initial, as in "J. R. Smith"
        return False
    if bare in _MAYBE_FINAL:
        return next_char.isupper()
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # an initialism: U.S., U.N., e.g.
        if not next_char.isupper():
            return False
        next_word = re.match(r"[\w-]+", text[next_start:])
        return not (next_word and next_word.group(0).lower() in _INITIALISM_ADJUNCTS)
    if next_char.islower():
        return False  # "3 p.m. yesterday", a stray period mid-sentence
    return True


def _word_ending_at(text: str, at: int) -> str:
    """The run of non-space characters that ends at `at` (or before a newline there), as
    `(\\S+)$` finds it in text[:at], searching a short window back instead of from 0:
    from the start of the text every boundary cost O(n), and a 50 KB article two seconds."""
    lo = max(0, at - 64)
    while True:
        match = _word_before.search(text, lo, at)
        if match is None or match.start() > lo or lo == 0 or text[lo - 1].isspace():
            return match.group(1) if match else ""
        lo = max(0, lo - 256)  # the word starts before the window: widen it


def _line_break_ends_sentence(text: str, at: int) -> bool:
    """A single newline ends a sentence after terminal punctuation or a heading-like line."""
    line_start = text.rfind("\n", 0, at) + 1
    line = text[line_start:at].rstrip()
    if not line:
        return True
    if line[-1] in _TERMINATORS + _CJK_TERMINATORS + _OTHER_TERMINATORS + _CLOSERS + ":":
        return True
    # A short line with no final punctuation is a headline, a byline or a list item;
    # a long one is a hard-wrapped line whose sentence goes on.
    return len(line.split()) <= 12 and not line.endswith((",", ";", "-", "–", "—"))


def _spans_from_cuts(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for cut in [*cuts, len(text)]:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = cut
    return spans
