"""Distinct, realistic-looking synthetic news articles for digest tests (seeded, so always the same)."""

from __future__ import annotations

import random
from pathlib import Path

_FIRST = [
    "Anna",
    "Boris",
    "Chen",
    "Dalia",
    "Emeka",
    "Farah",
    "Goran",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
    "Omar",
    "Petra",
    "Quentin",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Viktor",
    "Wei",
    "Yara",
]
_LAST = [
    "Keller",
    "Novak",
    "Okafor",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Varga",
    "Silva",
    "Petrov",
    "Mensah",
    "Rahman",
    "Costa",
    "Nielsen",
    "Kaya",
    "Dubois",
    "Ferreira",
    "Ivanova",
    "Jansen",
    "Bakr",
]
_PLACES = [
    "Arlen",
    "Brevik",
    "Castora",
    "Dunmore",
    "Elvaro",
    "Fenwick",
    "Galdos",
    "Hollin",
    "Istra",
    "Jorvik",
    "Kessel",
    "Lomar",
    "Marrow",
    "Norwen",
    "Ostrava",
    "Pellin",
    "Quarry",
    "Rusk",
    "Selm",
    "Tarvos",
]
_TOPICS = [
    "grain exports",
    "border crossings",
    "a fishing dispute",
    "port tariffs",
    "a pipeline deal",
    "election monitors",
    "a customs union",
    "drone incursions",
    "water rights",
    "a debt restructuring",
    "refugee transfers",
    "satellite launches",
    "rail links",
    "mining licences",
    "cyber attacks",
]
_VERBS = ["warned", "said", "confirmed", "denied", "signalled", "announced", "insisted", "acknowledged"]
_OBJECTS = [
    "the talks would resume next week",
    "further sanctions were under review",
    "troops had been moved closer to the border",
    "the agreement was no longer binding",
    "an inquiry would report within a month",
    "the ministry had recalled its ambassador",
    "prices had risen sharply since the summer",
    "observers had been refused entry",
]


def make_article(i: int, *, extra: str = "") -> str:
    """Article number `i`: a headline, a dozen sentences with named people and places, and a quote."""
    rng = random.Random(i)
    people = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(3)]
    place, other = rng.sample(_PLACES, 2)
    topic = rng.choice(_TOPICS)
    lines = [f"{place} and {other} clash over {topic} (report {i:03d})", ""]
    sentences = [
        f"Officials in {place} and {other} traded accusations on {rng.choice(['Monday', 'Tuesday', 'Friday'])} over {topic}, report number {i:03d} said."
    ]
    for _ in range(10):
        who = rng.choice(people)
        sentences.append(
            f"{who} {rng.choice(_VERBS)} that {rng.choice(_OBJECTS)}, "
            f"according to {rng.choice(['diplomats', 'aides', 'analysts', 'officials'])} in {rng.choice([place, other])}."
        )
    sentences.append(f'"We will not accept {topic} being used as a weapon," said {people[0]}.')
    sentences.append(
        f"The dispute over {topic} is the {rng.randint(2, 9)}th this year, with {rng.randint(10, 900)} people affected."
    )
    body = " ".join(sentences)
    return "\n".join(lines) + body + ("\n\n" + extra if extra else "") + "\n"


def write_articles(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """Write articles start..start+count-1 as art-NNN.txt into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"art-{i:03d}.txt"
        path.write_text(make_article(i), encoding="utf-8")
        paths.append(path)
    return paths


def marker(i: int) -> str:
    """The text that identifies article `i` inside a request."""
    return f"report number {i:03d}"
