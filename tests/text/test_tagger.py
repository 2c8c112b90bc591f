"""The English entity tagger: CoNLL-style tokens, and entities on plain news sentences."""

from __future__ import annotations

import pytest

from briefing.text import tagger


def test_tokens_split_as_conll_splits():
    words = [t for t, _, _ in tagger.tokenize("Dr. Min's U.S. visit didn't end, Kim Yo-jong said.")]
    assert words == ["Dr.", "Min", "'s", "U.S.", "visit", "did", "n't", "end", ",", "Kim", "Yo-jong", "said", "."]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Olaf Scholz met officials of the European Commission in Brussels on Monday.",
            [("PER", "Olaf Scholz"), ("ORG", "European Commission"), ("LOC", "Brussels")],
        ),
        (
            "General Motors said on Tuesday that sales fell, Reuters reported.",
            [("ORG", "General Motors"), ("ORG", "Reuters")],
        ),
        # Once a miss ("General Motors fell"): a name does not end in a lowercase word.
        ("Shares of General Motors fell 3 percent on Tuesday.", [("ORG", "General Motors")]),
    ],
)
def test_entities(sentence, expected):
    found = [(kind, sentence[a:b]) for kind, a, b in tagger.find_entities(sentence)]
    assert found == expected


def test_the_weights_are_installed():
    assert tagger.available()
