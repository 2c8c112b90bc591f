"""Find the quotations an article contains and who it says spoke them. Pure.

Handles straight and curly double quotes (also mixed, as in `"We must...,” he declared`), single
quotes used as quotation marks ('sovereignty against imperialist aggressions.') without mistaking
apostrophes (North's, talks') for them, nested single quotes inside double ones, and quotations that
span several sentences. Attribution is read from the words around the quotation ("..., said Kim
Yo-jong", "stated Dr. Min Jae-sik", "A spokesperson remarked, “...”"); a pronoun ("he declared")
resolves to the nearest person named before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.records import Quote
from briefing.text.gazetteer import TITLE_WORDS
from briefing.text.names import Name

# The longest quote a briefing may carry (records.Quote.text's bound); longer quotations are excerpted.
QUOTE_MAX_CHARS = next(m.max_length for m in Quote.model_fields["text"].metadata if hasattr(m, "max_length"))

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘'"
_SINGLE_CLOSE = "’'"

SPEECH_VERBS = (
    "said|says|say|stated|states|declared|declares|asserted|asserts|remarked|remarks|commented|"
    "comments|emphasized|emphasised|emphasizes|emphasises|added|adds|told|tells|warned|warns|noted|"
    "notes|explained|explains|insisted|insists|argued|argues|cautioned|cautions|urged|urges|claimed|"
    "claims|announced|announces|wrote|writes|tweeted|posted|replied|replies|continued|acknowledged|"
    "admitted|observed|concluded|recalled|stressed|stresses|suggested|predicted|responded|answered|"
    "countered|confirmed|denied|vowed|pledged|promised|conceded|maintained|reiterated|declaring|"
    "saying|adding|warning|noting|insisting|calling"
)
_NAME = r"(?:[A-Z][\w’'.-]*)(?:\s+(?:[A-Z][\w’'.-]*|of|the|de|van|von|al|bin))*"
_DESCRIPTOR = r"(?:[Aa]n?|[Oo]ne|[Tt]he|[Aa]nother)\s+(?:[\w-]+\s+){0,5}[\w-]+"
_PRONOUN = r"[Hh]e|[Ss]he|[Tt]hey"

# After the quotation: ', said Kim Yo-jong' / ',” he declared' / '," Kim said' / 'emphasized one senior...'
_AFTER_VERB_FIRST = re.compile(rf"^\s*[,—–-]?\s*(?:{SPEECH_VERBS})\s+(?P<who>{_NAME}|{_DESCRIPTOR}|{_PRONOUN})\b")
# ', said Germany's economy minister, Jonas Weber' / ', said the bank's chief economist, Ana Ruiz'
_AFTER_APPOSITIVE = re.compile(
    rf"^\s*[,—–-]?\s*(?:{SPEECH_VERBS})\s+(?:the\s+|[A-Z][\w-]*['’]s\s+)?(?:[\w-]+['’]s\s+)?"
    rf"(?:[a-z][\w-]*\s+){{0,4}}[a-z][\w-]*,\s+(?P<who>{_NAME})"
)
_AFTER_WHO_FIRST = re.compile(rf"^\s*[,—–-]?\s*(?P<who>{_NAME}|{_DESCRIPTOR}|{_PRONOUN})\s+(?:{SPEECH_VERBS})\b")
# Before the quotation: 'A spokesperson remarked, “' / 'Kim said: "' / 'declaring it necessary to secure ''
_BEFORE = re.compile(
    rf"(?P<who>{_NAME}|{_DESCRIPTOR}|{_PRONOUN})\s+(?:\w+ly\s+)?(?:{SPEECH_VERBS})\b[^.!?\"“”]{{0,80}}[,:]?\s*$"
)
_PRONOUNS = {"he", "she", "they"}


@dataclass(frozen=True)
class Found:
    """A quotation: its text without the marks, where it sits, and the speaker the article names."""

    text: str
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark
    speaker: str | None


def find_quotations(text: str, names: list[Name] | None = None) -> list[Found]:
    """Return the quotations in `text` in order, with speakers where the text makes them plain."""
    names = names or []
    found = []
    for start, end, inner in _quoted_spans(text):
        inner_clean = inner.strip().rstrip(",").strip()
        if len(inner_clean.split()) < 2:
            continue  # scare quotes around one word are not quotations
        speaker = _attribute(text, start, end, names)
        found.append(Found(inner_clean, start, end, speaker))
    return found


def _quoted_spans(text: str):
    """Yield (start, end, inner text) for top-level quotations, double first, then single."""
    doubles = list(_double_spans(text))
    yield from doubles
    covered = [(s, e) for s, e, _ in doubles]
    for span in _single_spans(text):
        if not any(s <= span[0] < e for s, e in covered):
            yield span


def _double_spans(text: str):
    open_at: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n" and open_at is not None and "\n" in text[open_at:i]:
            open_at = None  # an unclosed quotation does not run across paragraphs
        if ch in _DOUBLE_OPEN or (ch == '"' and open_at is None and _opens(text, i)):
            open_at = i
        elif (ch in _DOUBLE_CLOSE or ch == '"') and open_at is not None:
            yield open_at, i + 1, text[open_at + 1 : i]
            open_at = None
        i += 1


def _single_spans(text: str):
    """Single-quoted quotations: an opener after a space, a closer before a space or punctuation."""
    for m in re.finditer(r"(?<![\w])['‘](?=[A-Za-z])", text):
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


def _attribute(text: str, start: int, end: int, names: list[Name]) -> str | None:
    after = text[end : end + 120].split("\n")[0]
    for pattern in (_AFTER_APPOSITIVE, _AFTER_VERB_FIRST, _AFTER_WHO_FIRST):
        m = pattern.match(after)
        if m:
            return _resolve(m.group("who"), text, start, names)
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 160) : start]
    m = _BEFORE.search(before)
    if m:
        return _resolve(m.group("who"), text, start, names)
    return _sentence_subject(before, names)


def _sentence_subject(before: str, names: list[Name]) -> str | None:
    """'Kim Jong-un reiterated ..., declaring it necessary to secure '...'': the named subject."""
    sentence = re.split(r"(?<=[.!?])\s+", before)[-1]
    verb = re.search(rf"\b(?:{SPEECH_VERBS}|reiterated|reiterating)\b", sentence)
    if not verb:
        return None
    head = sentence[: verb.start()]
    placed = [(head.rfind(n.text), n.text) for n in names if n.text in head]
    return max(placed)[1] if placed else None


def _resolve(who: str, text: str, at: int, names: list[Name]) -> str | None:
    who = who.strip().rstrip(",.")
    if who.lower() in _PRONOUNS:
        return _nearest_person(text, at, names)
    words = who.split()
    while words and words[0].lower().rstrip(".") in TITLE_WORDS | {w.rstrip(".") for w in TITLE_WORDS}:
        words = words[1:]
    bare = " ".join(words)
    for name in names:  # "Kim said" -> "Kim Jong-un" only when one known name fits
        if bare == name.text:
            return name.text
    matches = [n.text for n in names if bare and bare in n.text.split()]
    if len(matches) == 1:
        return matches[0]
    if who[0].islower() or who.split()[0].lower() in ("a", "an", "one", "the", "another"):
        return who[0].upper() + who[1:]  # "one senior diplomatic strategist": an unnamed source
    return bare or None


def _nearest_person(text: str, at: int, names: list[Name]) -> str | None:
    """The person named closest before offset `at` (within the two paragraphs before it)."""
    window_start = max(0, at - 600)
    best: tuple[int, str] | None = None
    for name in names:
        if name.kind != "person":
            continue
        pos = text.rfind(name.text.split()[-1], window_start, at)
        if pos >= 0 and (best is None or pos > best[0]):
            best = (pos, name.text)
    return best[1] if best else None


def quotable(text: str, limit: int = QUOTE_MAX_CHARS) -> str:
    """`text`, or for a quotation too long to quote whole, its opening up to `limit` characters, cut
    after a sentence or else at a word: still the article's exact words, so it verifies as a quote."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?;…](?=\s)", head + " ")]
    cut = ends[-1] if ends and ends[-1] >= limit // 3 else head.rstrip().rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:—–-")
