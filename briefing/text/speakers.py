"""Who said a quotation, as the article's own wording says, and whether that wording is there. Pure.

`attribute_speaker()` is the public entry: an article's text, a quotation's offset, the names the
article uses -> an `Attribution` (speaker, status, cue). Status "confirmed" means the article's words
tie the quotation to that speaker: a verb of saying next to it ("..., said Ana Ruiz", "X told
reporters: ..."), "according to X", a colon after a sentence whose subject is X, a pronoun or a
definite role ("la maire") resolved to the person the article last made the subject, or a quotation
that continues one so attributed in the same paragraph. "unconfirmed" means no such words: the
speaker, if any, is a guess (the nearest person) and must not be shown as checked.

English, Spanish, Italian, French and German word lists (speech.py). Quoted words never count: the
reader works on a copy of the text with every quotation's inside blanked. Outlets ("told CNN") are
never speakers. Rules only, no statistics; tests/text/test_speakers.py holds the cases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.text.marks import quoted_spans
from briefing.text.names import Name
from briefing.text.referents import CONFIRMED, UNCONFIRMED, Attribution, Referents
from briefing.text.speech import ACCORDING_TO, DOCUMENTS, OBJECT_WORDS, PARTICIPLE_ENDINGS, SAY_VERBS

__all__ = ["CONFIRMED", "UNCONFIRMED", "Attribution", "attribute_speaker", "attribute_speakers", "check_speaker"]

_AUXILIARIES = {"a", "ha", "has", "had", "have", "hat", "hatte", "habe", "was", "were", "ont", "han", "hanno"}
_INVERTED = re.compile(r"^-(?:t-)?(il|elle|ils|elles)\b")


def attribute_speaker(text: str, start: int, names: Sequence[Name], *, language: str | None = None) -> Attribution:
    """Return who said the quotation whose opening mark is at `start` (or that spans it) in `text`.

    `names` are the article's names (`find_names(text)`); `language` its ISO code when known (else
    detected). The quotations before it are read too: a quotation may continue the one before it.
    """
    spans = sorted((s, e) for s, e, _ in quoted_spans(text))
    at = next((k for k, (s, e) in enumerate(spans) if s <= start < e), None)
    if at is None:
        return Attribution(None, UNCONFIRMED, "none")
    return attribute_speakers(text, spans[: at + 1], names, language=language)[-1]


def attribute_speakers(
    text: str, quotes: Sequence[tuple[int, int]], names: Sequence[Name], *, language: str | None = None
) -> list[Attribution]:
    """Attribute each (start, end) quotation of `text`, in order (each may continue the one before)."""
    reader = _Reader(text, [(s, e) for s, e, _ in quoted_spans(text)] or list(quotes), names, language)
    found: dict[tuple[int, int], Attribution] = {}
    for start, end in sorted(quotes):  # in reading order: a quotation may continue the one before
        found[(start, end)] = reader.attribute(start, end)
        reader.done.append((start, end, found[(start, end)]))
    return [found[(start, end)] for start, end in quotes]


def check_speaker(claimed: str | None, found: Attribution) -> tuple[str, str | None]:
    """Compare the speaker a briefing gives with the article's: ("confirmed" | "corrected" | "unconfirmed", speaker).

    "corrected" returns the article's speaker when its wording names someone else; a claim the
    wording does not tie to anyone stays "unconfirmed", whatever it says.
    """
    if found.status != CONFIRMED or not found.speaker:
        return UNCONFIRMED, claimed
    if claimed and _same(claimed, found.speaker):
        return CONFIRMED, claimed
    return "corrected", found.speaker


def _same(a: str, b: str) -> bool:
    a, b = a.lower().strip(), b.lower().strip()
    return a == b or a in b or b in a or a.split()[-1] == b.split()[-1]


class _Reader(Referents):
    """One article read for the wording around each quotation, in reading order."""

    def attribute(self, start: int, end: int) -> Attribution:
        after = self._after(start, end)
        if after and after.cue not in ("pronoun", "nearest"):
            return after
        before = self._before(start, end)
        if before and (after is None or (before.status == CONFIRMED and before.cue not in ("pronoun", "nearest"))):
            return before  # "According to a strategist at Sony, '...,' he told Asia Times": the strategist
        return after or self._continuation(start) or self._guess(start)

    def _after(self, start: int, end: int) -> Attribution | None:
        """'..., said X' / '...,” he said' / '...', a-t-il rappelé' / '...', sagte die Mitunterzeichnerin."""
        if re.search(r"[.!?][\s\"'”’»`]*$", self.text[start:end]) and re.match(r"\s+[A-ZÀ-Ý]", self.text[end:]):
            return None  # the quotation ended its sentence: what follows is the next one
        stop = min(self._sentence_end(end), end + 220)
        clause = self.masked[end:stop]
        for verb in _verbs(clause):
            if _INVERTED.match(clause[verb.end() :]):  # "dit-elle", "ajoute-t-elle"
                return self._pronoun(_INVERTED.match(clause[verb.end() :]).group(1), end + verb.start())  # type: ignore[union-attr]
            core = clause[: verb.start()].rstrip()
            words = core.split()
            inverted_before = [w for w in words[-3:] if re.search(r"(?:^|-)t-(?:il|elle)$", w.lower())]
            if inverted_before:  # "a t-il rappelé", "a-t-il encore asséné"
                return self._pronoun(inverted_before[-1].rsplit("-", 1)[-1], end + verb.start())
            while words and words[-1].lower() in _AUXILIARIES:
                core = core[: core.rstrip().rfind(" ")].rstrip() if " " in core.strip() else ""
                words = core.split()
            segments = [(m.start(), m.end()) for m in re.finditer(r"[^,;—–]+", core)]
            if segments and not core.rstrip().endswith((",", ";", "—", "–")):
                lo, hi = segments[-1]
                if len(core[lo:hi].split()) <= 8 and not _ends_with_object(core[lo:hi].split()):
                    who = self._who(end + lo, end + hi)
                    if who:
                        return who
                continue  # words between the quotation and the verb that name no one: not its attribution
            if segments and len(core[segments[-1][0] : segments[-1][1]].split()) <= 6:
                lo, hi = segments[-1]  # "the Monuc chief, M'Hand Djalouzi, said"
                who = self._who(end + lo, end + hi, names_only=True)
                if who:
                    return who
            found = self._who_after_verb(end + verb.end(), stop)
            if found:
                return found
        return None

    def _who_after_verb(self, at: int, stop: int, *, names_only: bool = False) -> Attribution | None:
        rest = self.masked[at:stop]
        m = re.match(r"[^,;:()]*", rest)
        phrase = m.group(0) if m else ""
        words = phrase.split()
        cut = next((k for k, w in enumerate(words) if k and w.lower() in OBJECT_WORDS | {"zur", "zum"}), len(words))
        phrase_end = at + (len(" ".join(words[:cut])) + (len(phrase) - len(phrase.lstrip())) if words else 0)
        if rest[len(phrase) : len(phrase) + 1] == "," and not self._who(at, phrase_end, names_only=True):
            tail = re.match(r",\s*([A-ZÀ-Ý][^,;:()]*)", rest[len(phrase) :])
            if tail and phrase.strip():  # "the economy minister, Jonas Weber"
                apposed = self._who(at + len(phrase) + 1, at + len(phrase) + tail.end(), names_only=True)
                if apposed:
                    return apposed
        who = self._who(at, phrase_end, names_only=names_only)
        if who:
            return Attribution(who.speaker, who.status, "verb" if who.cue == "descriptor-only" else who.cue)
        return None

    def _before(self, start: int, end: int) -> Attribution | None:
        """'X said: ...' / 'According to X, ...' / 'Koizumi told reporters that ..., "...' / 'sagte Mohamed: "...'."""
        s0 = self._sentence_start(start)
        head = self.masked[s0:start]
        low = head.lower()
        for phrase in ACCORDING_TO:
            k = low.rfind(phrase)
            tail = re.split(r"[,:]", head[k + len(phrase) :])[0] if k >= 0 else ""
            if k >= 0 and not (set(re.findall(r"[\w-]+", tail.lower())) & DOCUMENTS):  # not "according to an e-mail"
                found = self._who(s0 + k + len(phrase), s0 + k + len(phrase) + len(tail))
                if found:
                    return Attribution(found.speaker, found.status, "according to")
        verbs = list(_verbs(head))
        if verbs:
            verb = verbs[-1]
            if (
                verb.group(0).lower().endswith(PARTICIPLE_ENDINGS)
                and verb.group(0).lower() not in SAY_VERBS - _PARTICIPLES
            ):
                return self._subject(s0, s0 + verb.start(), first=True)
            tail = head[verb.end() :]
            if len(tail.split()) <= 6 and not (tail.split() and tail.split()[0].lower() in OBJECT_WORDS):
                # verb first: "sagte Mohamed:", "dijo el ministro:"; not "wrote to Secretary Roche,"
                after = self._who_after_verb(s0 + verb.end(), start, names_only=True)
                if after:
                    return after
            subject = self._subject(s0, s0 + verb.start(), first=False)
            if subject:
                return subject
        if head.rstrip().endswith(":"):
            found = self._subject(s0, start, first=True)
            if found:
                return Attribution(found.speaker, found.status, "colon")
        return None

    def _continuation(self, start: int) -> Attribution | None:
        """A quotation right after one attributed in the same paragraph (or the wire's next one) is theirs."""
        if not self.done:
            return None
        s, e, previous = self.done[-1]
        if not previous.speaker or previous.status != CONFIRMED:
            return None
        between = self.masked[e:start]
        if between.count("\n\n") > 1 or (between.count("\n") > 2 and "\n\n" not in between):
            return None
        others = [n for a, b, n in self.mentions if e <= a < start and n.text != previous.speaker]
        if any(n.kind == "person" for n in others):
            return None
        tail = between[between.find(".") + 1 :] if "." in between else between
        if len(between) <= 200 and (len(tail.strip()) <= 60 or "\n" in between):
            return Attribution(previous.speaker, CONFIRMED, "continuation")
        if len(between) <= 400:
            return Attribution(previous.speaker, UNCONFIRMED, "continuation")
        return None

    def _guess(self, start: int) -> Attribution:
        guess = self._antecedent(start, None)[0] or self._nearest(start)
        return Attribution(guess, UNCONFIRMED, "nearest" if guess else "none")


_PARTICIPLES = {w for w in SAY_VERBS if w.endswith(PARTICIPLE_ENDINGS)}


def _verbs(segment: str):
    for m in re.finditer(r"(?<![\w-])[\w]+(?![\w])", segment):
        if m.group(0).lower() in SAY_VERBS:
            yield m


def _ends_with_object(words: list[str]) -> bool:
    return words[-1].lower() in OBJECT_WORDS
