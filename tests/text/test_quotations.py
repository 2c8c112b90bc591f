"""Quotation finding and attribution on real-world patterns."""

from __future__ import annotations

import pytest

from briefing.text.names import find_names
from briefing.text.quotations import find_quotations
from tests.conftest import SEED


def quotes(text):
    return [(q.text, q.speaker) for q in find_quotations(text, find_names(text))]


def test_seed_article_quotations_and_speakers():
    found = quotes(SEED.read_text())
    assert found == [
        (
            "The situation is precarious, and without dialogue, misunderstandings and miscalculations could lead to conflict",
            "Min Jae-sik",
        ),
        ("From our perspective, discussions only occurred to appease international expectations", "Kim Yo-jong"),
        ("We must remain vigilant and prepared for any contingencies", "Fumio Kishida"),
        ("We must keep the lines of communication open. Nothing good will come from isolationism", "Suh Hoon"),
        ("Dialogue must continue to prevent any escalation.", "A spokesperson"),
        ("The situation is only likely to escalate if talks remain stalled.", "An anonymous South Korean official"),
        (
            "Things are delicate, and we cannot afford to lose the possibility of dialogue",
            "One senior diplomatic strategist",
        ),
        ("sovereignty against imperialist aggressions.", "Kim Jong-un"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"We will not back down," said Prime Minister Anna Berg.', [("We will not back down", "Anna Berg")]),
        ("“We will not back down,” Berg said. Anna Berg leads the party.", [("We will not back down", "Anna Berg")]),
        (
            'Minister Anna Berg said: "The plan is dead. We start again."',
            [("The plan is dead. We start again.", "Anna Berg")],
        ),
        (
            "“He told me ‘never again’ and left,” said Tom Okafor.",
            [("He told me ‘never again’ and left", "Tom Okafor")],
        ),
        ('The talks\' failure worried Omar Haddad. "It is bad news," he said.', [("It is bad news", "Omar Haddad")]),
        ("Officials called it a 'strategic pause' in the fighting.", [("strategic pause", None)]),
        ("It was a “success”, they said.", []),
        ('"Storage is full," said Germany\'s economy minister, Jonas Weber.', [("Storage is full", "Jonas Weber")]),
        (
            "“Rates stay high,” said the bank's chief economist, Ana Ruiz.",
            [("Rates stay high", "Ana Ruiz")],
        ),  # one scare-quoted word is not a quotation
    ],
)
def test_patterns(text, expected):
    assert quotes(text) == expected
