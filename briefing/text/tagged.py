"""The tagger's names in an English article, typed by the house rules. Pure (the tagger reads its weights once).

tagger.py labels tokens PER, ORG, LOC, MISC; here each entity becomes a name the way the rules would
keep it: a person, an organisation, a state; a place (LOC that is no state) only when it stands for a
government ("Beijing warned"); MISC (nationalities, events) never. Titles before a name, a leading
"the" and a possessive are not part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.text import tagger
from briefing.text.gazetteer import KNOWN_BODIES, ORG_HEADS, ORG_WORDS, TITLE_WORDS
from briefing.text.kinds import guess_kind, is_known, is_outlet, is_place, is_shouting, is_state, party_of
from briefing.text.speech import SAY_VERBS
from briefing.text.world import CAPITALS, GOVERNMENT_SEATS

_ACTS = SAY_VERBS | {"has", "have", "had", "will", "would", "wants", "accused", "rejected", "agreed", "refused"}


@dataclass(frozen=True)
class Tagged:
    """One mention the tagger found: the name as written, its kind by the house rules, its sentence."""

    text: str
    kind: str | None  # None: a place or a MISC entity, not an actor
    sentence: int  # 1-based
    start: int  # offset in the article
    end: int


def tagged_names(text: str, spans: list[tuple[int, int]]) -> list[Tagged]:
    """Each entity mention the tagger finds, sentence by sentence, typed by the house rules."""
    out = []
    for number, (start, end) in enumerate(spans, 1):
        sentence = text[start:end]
        shouting = is_shouting(sentence)
        for label, a, b in tagger.find_entities(sentence):
            name = _clean(sentence[a:b])
            if not name or (shouting and label != "PER" and not is_known(name)):
                continue  # an all-capitals headline: "JAPAN GET LUCKY WIN" names Japan, not a firm called Lucky
            follows = re.match(r"\s*([\w']+)", sentence[b:])
            acts = bool(follows and follows.group(1).lower() in _ACTS)
            at = start + a + sentence[a:b].find(name)
            out.append(Tagged(name, _kind(name, label, acts), number, at, at + len(name)))
    return out


def _clean(name: str) -> str:
    name = re.sub(r"\s*['’]s?$", "", name.strip())
    words = name.split()
    # A body keeps the words that would be a title before a person: "Foreign Affairs Ministry".
    body = len(words) > 1 and words[-1].lower() in ORG_HEADS | ORG_WORDS
    while words and (
        (words[0].lower().rstrip(".") in TITLE_WORDS and not body) or words[0].lower() in ("the", "dr.", "mr.")
    ):
        words = words[1:]
    while len(words) > 1 and words[-1].lower().rstrip(".") in TITLE_WORDS and words[-2].lower() not in ORG_HEADS:
        words = words[:-1]  # "Bank of England Governor": the governor's title, not part of the bank's name
    name = " ".join(words).strip(" -,")
    return name if re.search(r"(?:[A-Z]\.){2,}$", name) else name.rstrip(".")


def _kind(name: str, label: str, acts: bool) -> str | None:
    if is_state(name):
        return "state"
    if party_of(name) or is_outlet(name) or name in GOVERNMENT_SEATS or name in KNOWN_BODIES:
        return "organisation"
    if label == "MISC":
        return None
    if label == "LOC" or is_place(name):
        return "organisation" if acts and (name in CAPITALS or name in GOVERNMENT_SEATS) else None
    if label == "PER":
        return "person"
    return "organisation" if label == "ORG" else guess_kind(name, titled=False)
