"""What a phrase near a quotation refers to: names, pronouns, roles, sentence subjects. Pure.

The half of speaker finding that is about reference, not wording: where the article's names are
mentioned (in a copy of the text with every quotation's inside blanked, so quoted words never count),
where sentences start and end, who a phrase names ("deputy spokesperson Adam Ereli", "the bank's
chief economist, Ana Ruiz", "an anonymous official"), and who a pronoun or a definite role ("he",
"elle", "la maire", "the minister") stands for: the person the sentence, or the sentences before it,
made their subject. speakers.py reads the verbs of saying around a quotation and asks this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.text.gazetteer import COMMON_OPENERS, TITLE_WORDS
from briefing.text.kinds import is_outlet
from briefing.text.languages import detect_language
from briefing.text.names import Name
from briefing.text.runs import is_demonym
from briefing.text.speech import (
    CLAUSE_OPENERS,
    DEFINITE,
    DOCUMENTS,
    FEMININE_TITLES,
    INDEFINITE,
    MASCULINE_TITLES,
    OBJECT_WORDS,
    PRONOUNS,
    ROLES,
)

CONFIRMED = "confirmed"
UNCONFIRMED = "unconfirmed"
_SENTENCE_END = re.compile(r"[.!?][\"'”’»`]*(?=\s|[A-ZÀ-Ý]|$)|\n")
_REACH = 900  # how far back a pronoun or a role looks for its person (characters)


@dataclass(frozen=True)
class Attribution:
    """The speaker the article's wording supports for one quotation, and how it says so."""

    speaker: str | None
    status: str  # CONFIRMED or UNCONFIRMED
    cue: str  # "verb", "according to", "colon", "pronoun", "role", "continuation", "nearest" or "none"


class Referents:
    """One article: its text with quotations blanked, its sentences, where each name is mentioned."""

    def __init__(self, text: str, quotes: list[tuple[int, int]], names: Sequence[Name], language: str | None):
        self.text = text
        chars = list(text)
        for s, e in quotes:
            inner = text[s:e].rstrip("\"'”’»` ")
            last = s + len(inner) - 1 if inner[-1:] in ".!?" else e  # the stop that ends a sentence stays
            for i in range(s + 1, e - 1):
                if chars[i] != "\n" and i != last and chars[i] not in "\"'”’»`":
                    chars[i] = "x"
        self.masked = "".join(chars)
        self.names = list(names)
        self.lang = language or detect_language(text) or "en"
        self.pronouns = PRONOUNS.get(self.lang, PRONOUNS["en"])
        self.done: list[tuple[int, int, Attribution]] = []
        self.roles: dict[str, str | None] = {}
        self.mentions = self._mentions()

    # -- where names are -------------------------------------------------------------------------

    def _mentions(self) -> list[tuple[int, int, Name]]:
        found = []
        for name in self.names:
            if is_outlet(name.text):
                continue
            forms = {name.text}
            words = name.text.split()
            if name.kind == "person" and len(words) > 1 and len(words[-1]) > 2:
                forms.add(words[-1])
            for form in forms - _NOT_NAMES:
                for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", self.masked):
                    found.append((m.start(), m.end(), name))
        found.sort(key=lambda t: (t[0], -t[1]))
        kept: list[tuple[int, int, Name]] = []
        for item in found:  # "Kim Jong-un" holds "Jong-un": the longer mention wins
            if kept and item[0] < kept[-1][1]:
                continue
            kept.append(item)
        return kept

    def _sentence_start(self, at: int) -> int:
        cut = 0
        for m in _SENTENCE_END.finditer(self.masked, max(0, at - 700), at):
            if not self._abbreviation(m.start()):
                cut = m.end()
        return cut

    def _sentence_end(self, at: int) -> int:
        for m in _SENTENCE_END.finditer(self.masked, at):
            if not self._abbreviation(m.start()):
                return m.start()
        return len(self.masked)

    def _abbreviation(self, dot: int) -> bool:
        if self.masked[dot] != ".":
            return False
        word = re.search(r"([\w.]+)$", self.masked[max(0, dot - 12) : dot])
        if not word:
            return False
        w = word.group(1)
        # "Dr.", "Gen.": a title with a dotted form; "the president." ends its sentence
        return len(w) == 1 or "." in w or w.lower() + "." in TITLE_WORDS

    # -- one quotation ---------------------------------------------------------------------------

    def _subject(self, s0: int, verb_at: int, *, first: bool) -> Attribution | None:
        """The person or body before a verb (the rightmost), or the sentence's first when `first`."""
        segment = self.masked[s0:verb_at]
        clause = max(segment.rfind(", but "), segment.rfind(", and "), segment.rfind(" but "), segment.rfind(";"))
        lo = s0 if first or clause < 0 else s0 + clause
        candidates = [(a, b, n) for a, b, n in self.mentions if lo <= a and b <= verb_at and not self._object_at(a)]
        for m in re.finditer(rf"(?<!\w)({'|'.join(self.pronouns)})(?![\w-])", segment, re.IGNORECASE):
            if s0 + m.start() >= lo and not self._object_at(s0 + m.start()):
                candidates.append((s0 + m.start(), s0 + m.end(), None))  # type: ignore[arg-type]
        if not candidates:
            who = self._who(lo, verb_at)
            return Attribution(who.speaker, who.status, "verb") if who else None
        if first:  # the sentence's subject: a person before any body it names
            people = [c for c in candidates if c[2] is None or c[2].kind == "person"]
            a, b, name = min(people or candidates, key=lambda c: (c[0], c[1]))
        else:
            a, b, name = max(candidates, key=lambda c: (c[0], c[1]))
        if name is None:
            return self._pronoun(self.masked[a:b], a)
        return Attribution(name.text, CONFIRMED, "verb")

    def _described(self, a: int, b: int) -> bool:
        """'die Mitunterzeichnerin', 'l'élue': one capitalised word after an article is a noun, not a name."""
        before = re.findall(r"[\w]+", self.masked[max(0, a - 6) : a].lower())
        return " " not in self.masked[a:b] and bool(before) and before[-1] in DEFINITE | INDEFINITE

    def _object_at(self, at: int) -> bool:
        before = re.findall(r"[\w']+", self.masked[max(0, at - 40) : at])
        while before and (before[-1].lower() in TITLE_WORDS or before[-1][:1].isupper()):
            before.pop()
        return bool(before) and (before[-1].lower().rstrip("'’") in OBJECT_WORDS or before[-1].endswith(("'", "’")))

    # -- who a phrase names ----------------------------------------------------------------------

    def _who(self, lo: int, hi: int, *, names_only: bool = False) -> Attribution | None:
        phrase = self.masked[lo:hi].strip(" ,")
        while len(phrase.split()) > 1 and phrase.split()[0].lower() in CLAUSE_OPENERS:
            cut = phrase.find(" ") + 1
            lo, phrase = lo + self.masked[lo:hi].find(phrase) + cut, phrase[cut:]
        if not phrase or "x" * 4 in phrase:
            return None
        words = phrase.split()
        if len(words) == 1 and words[0].lower() in self.pronouns:
            return self._pronoun(words[0], lo)
        inside = [(a, b, n) for a, b, n in self.mentions if lo <= a and b <= hi]
        inside = [(a, b, n) for a, b, n in inside if self.masked[b : b + 2] not in ("'s", "’s")]
        inside = [(a, b, n) for a, b, n in inside if not self._described(a, b)]
        if inside:
            return Attribution(inside[-1][2].text, CONFIRMED, "verb")
        run = None if words[0].lower() in INDEFINITE or self.lang == "de" else _capitalised_run(words)
        if run:
            return Attribution(run, CONFIRMED, "verb")
        if names_only:
            return None
        first = words[0].lower().replace("’", "'")
        if re.search(r"['’]s$", first) and len(words) > 1:  # "Germany's economy minister", "the bank's"
            first = "the"
        head = re.split(r"\s+(?:" + "|".join(OBJECT_WORDS) + r")\s+", phrase)[0].split()[-1].lower()
        if first.startswith("l'"):
            first, head = "l", head.removeprefix("l'").removeprefix("l’")
        if first in INDEFINITE or (first not in DEFINITE and phrase[0].islower() and len(words) <= 6):
            if any(w[:1].isupper() for w in words[1:]) or head in ROLES or first in INDEFINITE:
                return Attribution(phrase[0].upper() + phrase[1:], CONFIRMED, "descriptor-only")
            return None
        if first in DEFINITE:
            if head in DOCUMENTS:
                guess = self._nearest(lo)
                return Attribution(guess, UNCONFIRMED, "nearest") if guess else None
            role = self._role(head, lo)
            if role:
                return Attribution(role, CONFIRMED, "role")
            guess = self._nearest(lo)
            return Attribution(guess, UNCONFIRMED, "nearest") if guess else None
        return None

    def _role(self, head: str, at: int) -> str | None:
        """'la maire' -> the person named with that role before ('la maire Virginie Windridge')."""
        if head not in ROLES and head not in TITLE_WORDS:
            return None
        for a, b, name in reversed(self.mentions):
            if b > at or at - a > 4 * _REACH:
                continue
            if name.kind != "person":
                continue
            near = self.masked[max(0, a - 40) : a].lower().split()[-3:] + self.masked[b : b + 40].lower().split()[:3]
            if any(w.strip(",.") == head for w in near):
                return name.text
        return None

    def _pronoun(self, pronoun: str, at: int) -> Attribution:
        gender = self.pronouns.get(pronoun.lower())
        person, sure = self._antecedent(at, gender)
        if person:
            return Attribution(person, CONFIRMED if sure else UNCONFIRMED, "pronoun")
        guess = self._nearest(at)
        return Attribution(guess, UNCONFIRMED, "nearest")

    def _antecedent(self, at: int, gender: str | None) -> tuple[str | None, bool]:
        """The person the sentence, or the sentences before it, made their subject (and whether by name)."""
        s0 = self._sentence_start(at)
        same = [(a, n) for a, b, n in self.mentions if s0 <= a < at and n.kind == "person" and not self._object_at(a)]
        same = [(a, n) for a, n in same if self._agrees(a, n, gender)]
        if same:
            return same[-1][1].text, True
        hi = s0
        for _ in range(6):
            if hi <= 0 or at - hi > _REACH:
                break
            lo = self._sentence_start(max(0, hi - 1))
            subject = self._sentence_subject(lo, hi, gender)
            if subject is not None:
                return subject
            hi = lo
        return None, False

    def _sentence_subject(self, lo: int, hi: int, gender: str | None) -> tuple[str, bool] | None:
        """The person a sentence is about (a quotation's speaker, its first person, a role); None: look further back."""
        for s, _, found in reversed(self.done):
            if lo <= s < hi and found.status == CONFIRMED and found.speaker and self._is_person(found.speaker):
                return found.speaker, True
        sentence = self.masked[lo:hi]
        people = [(a, n) for a, b, n in self.mentions if lo <= a < hi and n.kind == "person" and not self._object_at(a)]
        people = [(a, n) for a, n in people if self._agrees(a, n, gender)]
        role = re.match(r"\s*(?:le|la|l'|the|el|il|der|die)\s*([\w-]+)(?:\s+([\w-]+))?", sentence, re.I)
        if people and role and people[0][0] <= lo + role.end() + 1:
            return people[0][1].text, True  # "The minister Anna Berg spoke": the name, not the role
        if role and ((role.group(2) or "").lower() in ROLES or role.group(1).lower() in ROLES):
            key = (role.group(1) + " " + (role.group(2) or "")).lower()
            # "Le Premier ministre a commencé ...": the person named before it, and the same one each time after
            person = self.roles.setdefault(key, self._nearest(lo + role.start(1)))
            return (person, False) if person else None
        return (people[0][1].text, True) if people else None

    def _agrees(self, at: int, name: Name, gender: str | None) -> bool:
        if gender is None:
            return True
        before = re.findall(r"[\w]+", self.masked[max(0, at - 20) : at].lower())[-2:]
        if gender == "m" and any(w in FEMININE_TITLES for w in before):
            return False
        return not (gender == "f" and any(w in MASCULINE_TITLES for w in before))

    def _is_person(self, speaker: str) -> bool:
        return any(n.text == speaker and n.kind == "person" for n in self.names)

    def _nearest(self, at: int) -> str | None:
        people = [(a, n) for a, b, n in self.mentions if a < at and at - a < _REACH and n.kind == "person"]
        return people[-1][1].text if people else None

    # -- no wording of its own -------------------------------------------------------------------


_NOT_NAMES = {w.capitalize() for lang in PRONOUNS.values() for w in lang} | {w.capitalize() for w in DEFINITE}
_NOT_RUN = TITLE_WORDS | DEFINITE | INDEFINITE | COMMON_OPENERS | CLAUSE_OPENERS


def _capitalised_run(words: list[str]) -> str | None:
    """The last run of capitalised words, titles peeled: 'deputy spokesperson Adam Ereli' -> 'Adam Ereli'."""
    runs: list[list[str]] = [[]]
    for w in words:
        w = w.strip(",.;:")
        if re.search(r"['’]s$", w):  # "Chile's Ricardo Lagos": the possessive is not the speaker
            runs.append([])
            continue
        if w[:1].isupper() and w.lower() not in _NOT_RUN and not is_demonym(w):
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    runs = [r for r in runs if r]
    if not runs:
        return None
    run = " ".join(runs[-1])
    run = re.sub(r"['’]s$", "", run)
    return None if is_outlet(run) else run
