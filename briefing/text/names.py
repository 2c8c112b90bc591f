"""Find the people and bodies an article names, for the per-article schema and the verifier. Pure.

Two halves: the rules (runs.py cuts capitalised runs into candidates, with titles and demonyms
peeled off: "Former South Korean National Security Advisor Suh Hoon" gives "Suh Hoon"; here
sentence-initial common words are dropped unless the name recurs mid-sentence or is a known state or
body, and places are dropped by the house rules) and, for English, the tagger (tagger.py, tagged.py),
whose names and kinds win except where the rules know better (_with_tagger).
bench/bench_names.py measures it on CoNLL-2003 and against spaCy's English pipeline; the README says
why this one is the default.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from briefing.text import tagger
from briefing.text.gazetteer import (
    ALIASES,
    COMMON_OPENERS,
    CONNECTORS,
    KNOWN_BODIES,
    ORG_HEADS,
    ORG_WORDS,
    TITLE_WORDS,
)
from briefing.text.kinds import (
    clan_names,
    guess_kind,
    is_known,
    is_place,
    is_shouting,
    is_state,
    known_parts,
    party_of,
    place_list,
)
from briefing.text.languages import detect_language
from briefing.text.runs import is_demonym, runs
from briefing.text.sentences import sentence_spans
from briefing.text.tagged import Tagged, tagged_names
from briefing.text.world import CAPITALS, GOVERNMENT_SEATS

_COMPASS = {"north", "south", "east", "west"}
_ADJECTIVE_SUFFIXES = ("-based", "-led", "-backed", "-owned", "-run", "-born", "-style", "-made")


@dataclass(frozen=True)
class Name:
    """A name the article uses, with where it first appears and a guess at what it is."""

    text: str
    kind: str  # "person", "state", "organisation" or "group"
    first_sentence: int  # 1-based
    mentions: int
    forms: tuple[str, ...] = ()  # the other forms folded into it: "Kishida" for "Fumio Kishida", "U.S."


def find_names(text: str, spans: list[tuple[int, int]] | None = None) -> list[Name]:
    """Return the people, states and bodies `text` names, in order of first mention.

    `spans` are the sentence offsets of `text` when the caller has them already (one split per article).
    """
    spans = sentence_spans(text) if spans is None else spans
    lowercase_words = set(re.findall(r"\b[a-z][a-z-]+\b", text))
    language = detect_language(text)
    german = language == "de"  # German capitalises every noun
    english = language in ("en", None)
    romance = language in ("fr", "es", "it", "pt")  # a body's adjectives follow it: "Union européenne"
    found: dict[str, list[int]] = {}
    mid_sentence: Counter[str] = Counter()
    titled: set[str] = set()
    acting: set[str] = set()  # places seen doing something: "Beijing said", "Downing Street has"
    listed: set[str] = set()  # names seen in a list of places: "Bolton, Bury and Wigan"
    elsewhere: set[str] = set()  # names seen other than after "in", "at", "dans"...
    places: set[str] = set()
    clans: set[str] = set()  # names a group noun introduces: "the D'Abramo-Sforza clan"
    for number, (start, end) in enumerate(spans, 1):
        sentence = text[start:end]
        shouting = is_shouting(sentence)
        listed |= place_list(sentence)
        clans |= clan_names(sentence)
        for name, at_start, had_title, acts, is_located in runs(sentence, german=german, romance=romance):
            if shouting and not is_known(name):
                for part in known_parts(name):  # an all-capitals headline or dateline: only names known anyway
                    found.setdefault(part, []).append(number)
                    mid_sentence[part] += 1
                continue
            found.setdefault(name, []).append(number)
            if not at_start:
                mid_sentence[name] += 1
            if had_title:
                titled.add(name)
            if acts:
                acting.add(name)
            if not is_located:
                elsewhere.add(name)
    names = []
    for name, sentences in found.items():
        if not _is_name(name, mid_sentence[name], name in titled, lowercase_words):
            continue
        if german and " " not in name and not is_known(name) and name not in titled and mid_sentence[name] < 2:
            continue
        located_only = name not in elsewhere and name not in titled and not is_known(name) and " " not in name
        if is_place(name) or (name in listed and not is_state(name)) or located_only:
            if not (name in acting and (name in CAPITALS or name in GOVERNMENT_SEATS)):
                places.add(name)
                continue  # a place is no actor, unless it stands for a government: "Beijing warned"
        kind = guess_kind(name, titled=name in titled)
        if name in clans and kind == "person":
            kind = "group"  # "the D'Abramo-Sforza clan"; "the OPEC cartel" stays an organisation
        lone = " " not in name and not name.isupper() and name not in acting | clans
        if kind == "group" and not english and lone:
            continue  # "Gobierno", "Condena", "Martes": without the tagger, one unknown word is rarely an actor
        names.append(Name(name, kind, sentences[0], len(sentences)))
    if tagger.available() and english:
        tagged = [t for t in tagged_names(text, spans) if _tagged_is_name(t, text, spans, titled, lowercase_words)]
        tagged = [t for t in tagged if t.text not in places or t.kind == "state"]
        names = _with_tagger(text, names, tagged, titled, lowercase_words)
    return [_house_kind(n) for n in _merge_short_forms(_merge_aliases(names))]


def _house_kind(name: Name) -> Name:
    """The house rules over any guess: a state is a state ("Former U.S. President ..." made "U.S." a
    person), and a name ending in a body's word ("Carter Center", "Elections Commission") no person."""
    if is_state(name.text) and name.kind != "state":
        return Name(name.text, "state", name.first_sentence, name.mentions, name.forms)
    if name.kind == "person" and guess_kind(name.text, titled=False) == "organisation":
        return Name(name.text, "organisation", name.first_sentence, name.mentions, name.forms)
    return name


def _tagged_is_name(t: Tagged, text: str, spans: list[tuple[int, int]], titled: set[str], lowercase: set[str]) -> bool:
    """The rules' test, except that a tagged name of several words inside a sentence may open with a
    word that opens sentences ("All Blacks", "First Union", "Der Spiegel")."""
    if re.match(r" [A-Z]\b", text[t.end : t.end + 3]):
        return False  # "Class A", "Group B"
    opens = not text[spans[t.sentence - 1][0] : t.start].strip(" \"'“‘(")
    if opens and " " not in t.text and (t.text.lower() in lowercase or re.match(r"\w+ly,", text[t.start :])):
        return False  # "Please", "Frankly," open a sentence: common words, whatever the tagger says
    if " " in t.text and text[spans[t.sentence - 1][0] : t.start].strip(" \"'“‘("):
        return _is_name(t.text.split(" ", 1)[1], 1, True, lowercase) or _is_name(t.text, 1, t.text in titled, lowercase)
    return _is_name(t.text, 1, t.text in titled, lowercase)


def _with_tagger(
    text: str, rules: list[Name], tagged: list[Tagged], titled: set[str], lowercase: set[str]
) -> list[Name]:
    """The tagger's names and kinds, with the rules' titled people and known states and bodies beside them.

    A name the rules found with a title is a person whatever the tagger says, and so is a longer person
    name the rules found around a mention the tagger cut short ("Kim" of "Kim Yo-jong"); a name only
    the rules found stays if the word lists know it; a place or MISC entity the tagger found is dropped.
    """
    people = [n.text for n in rules if n.text in titled or (n.kind == "person" and " " in n.text)]
    around = [(m.start(), m.end(), p) for p in people for m in re.finditer(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
    # Bodies the rules found whole, to lengthen a body the tagger cut short; not a headline's run
    # ("Pinochet Officially Under House Arrest") nor one opening with a common word ("Provincial ...").
    longer_names = [
        (n.text, n.kind != "person")
        for n in rules
        if n.kind != "state"
        and 1 < len(n.text.split()) <= 4
        and n.text not in titled
        and n.text.split()[0].lower() not in lowercase
    ]
    spans_of = [
        (m.start(), m.end(), p, body)
        for p, body in longer_names
        for m in re.finditer(rf"(?<!\w){re.escape(p)}(?!\w)", text)
    ]
    seen: dict[str, list[Tagged]] = {}
    lengthened: set[str] = set()
    for t in tagged:
        longer = [
            p
            for a, b, p in around
            if a <= t.start and t.end <= b and (b - a) > (t.end - t.start) and _short_form_of_person(t, p)
        ]
        if longer:
            t = Tagged(longer[0], "person", t.sentence, t.start, t.end)
            lengthened.add(longer[0])
        elif t.kind == "organisation" and (
            body := [
                p
                for a, b, p, is_body in spans_of
                if a <= t.start and t.end <= b and (b - a) > (t.end - t.start) and (is_body or t.end < b)
            ]
        ):
            # A body the tagger cut short: "Economic" of "Asia-Pacific Economic Cooperation" (which the
            # rules took for a person's name: the tagger's body inside it, not at its end, says otherwise).
            t = Tagged(body[0], "organisation", t.sentence, t.start, t.end)
        elif t.kind != "person":
            # A body the tagger ran into a titled person: "Speaker of the House Nancy Pelosi" gave ORG
            # "House Nancy Pelosi", "Secretary General of NATO Jens Stoltenberg" ORG "NATO Jens".
            cut = min((a for a, b, p in around if p in titled and t.start < b and a < t.end), default=None)
            if cut is not None:
                head = text[t.start : cut].strip(" ,")
                if not head or head.split()[-1].lower() in CONNECTORS | TITLE_WORDS:
                    continue
                t = Tagged(head, t.kind, t.sentence, t.start, t.start + len(head))
        seen.setdefault(t.text, []).append(t)
    out: dict[str, Name] = {}
    for name_text, mentions in seen.items():
        kinds = Counter(m.kind for m in mentions)
        kind = "person" if name_text in titled else kinds.most_common(1)[0][0]
        if kind is not None:
            out[name_text] = Name(name_text, kind, mentions[0].sentence, len(mentions))
    first_at = {name_text: mentions[0].start for name_text, mentions in seen.items()}
    bodies = [t for t, mentions in seen.items() if any(m.kind == "organisation" for m in mentions)]
    for name in rules:
        if name.text in titled and any(_contains(t, name.text) and t != name.text for t in bodies):
            continue  # "Guard" after the title word "National": the tagger saw "Iraqi National Guard"
        if name.text in titled or name.text in lengthened:
            out[name.text] = Name(name.text, "person", name.first_sentence, name.mentions)
            first_at.setdefault(name.text, text.find(name.text))
            continue
        overlaps = any(_contains(t, name.text) or _contains(name.text, t) for t in seen)
        if name.text not in out and not overlaps and is_known(name.text):
            out[name.text] = name
            first_at.setdefault(name.text, text.find(name.text))
    return sorted(out.values(), key=lambda n: (n.first_sentence, first_at.get(n.text, 0)))


def _short_form_of_person(t: Tagged, longer: str) -> bool:
    """Whether the tagger's mention `t` is a cut-short form of the rules' person `longer`: a person, or one
    surname-like word the tagger mistyped ("Druyun" of "Darleen Druyun"); never a state, an acronym or a
    body ("Japan" inside "Whenever Japan", "Intelligence Unit" inside "Economist Intelligence Unit")."""
    if t.kind == "person":
        return True
    word = t.text
    return (
        t.kind == "organisation"
        and " " not in word
        and not word.isupper()
        and word.lower() not in ORG_HEADS | ORG_WORDS
        and longer.endswith(" " + word)
    )


def _contains(longer: str, shorter: str) -> bool:
    """Whether `shorter` is `longer` or a run of its whole words: "Security Council" in "National Security Council"."""
    return f" {shorter} " in f" {longer} "


# Months and the words that make a date of them, in the article languages: no name goes on into them.
_DATE_WORDS = frozenset(
    """january february march april june july august september october november december
    januar februar märz juni juli oktober dezember anfang ende mitte janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre enero febrero marzo abril mayo junio julio agosto
    septiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio settembre ottobre
    dicembre""".split()
)
# Words that end the name of a body but name none on their own ("The Center has followed ...").
_GENERIC_BODIES = frozenset("center centre foundation observatory secretariat college bureau authority board".split())


def _is_name(name: str, mid_sentence_mentions: int, titled: bool, lowercase_words: set[str]) -> bool:
    words = name.split()
    if name.lower().endswith(_ADJECTIVE_SUFFIXES):
        return False  # "Seoul-based"
    if all(part in _COMPASS for part in re.split(r"[-\s]", name.lower())):
        return False  # "the North", "South-North relations"
    if words[0].lower().strip(".'’") in COMMON_OPENERS:
        return False
    if re.search(r"\s[A-Z]$", name):
        return False  # "Group A", "Class A"
    if any(w.lower() in _DATE_WORDS for w in words[1:]):
        return False  # "Abdeslam Anfang Oktober" ("early October"): a date ran into the name
    if len(words) == 1 and name.lower() in _GENERIC_BODIES:
        return False  # "the Center" is the Carter Center again, not a body of its own
    if name.endswith(("&", "-")):
        return False  # "Roebuck &" out of "Sears, Roebuck & Co.": a name does not end on a joiner
    if is_demonym(name) and name not in KNOWN_BODIES:
        return False  # "Japanese" on its own is an adjective, not an actor
    if titled or is_known(name) or party_of(name):
        return True
    if len(name) < 2 or name.isdigit():
        return False
    if len(words) == 1 and name.lower() in lowercase_words:
        return False  # "Tensions" opens a sentence; "tensions" elsewhere shows it is a common word
    if len(words) == 1 and name.isupper() and len(name) >= 2:
        return True  # an acronym: ECOWAS, MINUSMA
    return mid_sentence_mentions > 0 or len(words) > 1


def _merge_aliases(names: list[Name]) -> list[Name]:
    """Fold "U.S." into "United States" when the article uses both: one actor, not two."""
    by_text = {n.text: n for n in names}
    out = []
    for name in names:
        canonical = ALIASES.get(name.text) or party_of(name.text)  # "Tories" is the Conservative Party
        if canonical in by_text:
            full = by_text[canonical]
            by_text[canonical] = Name(
                full.text,
                full.kind,
                min(full.first_sentence, name.first_sentence),
                full.mentions + name.mentions,
                (*full.forms, name.text),
            )
            continue
        out.append(name)
    return [by_text.get(n.text, n) for n in out]


def _merge_short_forms(names: list[Name]) -> list[Name]:
    """Fold "Kishida" into "Fumio Kishida" when both appear: the short form is the same person."""
    full = [n for n in names if len(n.text.split()) > 1]
    folded: dict[str, list[str]] = {}
    kept = []
    for name in names:
        if len(name.text.split()) == 1 and name.kind != "state" and name.text not in KNOWN_BODIES:
            longer = [f for f in full if name.text in f.text.split()]
            if len(longer) == 1:
                folded.setdefault(longer[0].text, []).append(name.text)
                continue
        kept.append(name)
    return [Name(n.text, n.kind, n.first_sentence, n.mentions, (*n.forms, *folded.get(n.text, []))) for n in kept]
