"""The name finder: real names, no junk, titles peeled off, short forms folded."""

from __future__ import annotations

from briefing.text.names import find_names
from tests.conftest import SEED


def test_seed_names_are_real_and_clean():
    names = {n.text: n.kind for n in find_names(SEED.read_text())}
    assert names == {
        "South Korea": "state",
        "North Korea": "state",
        "Yoon Suk-yeol": "person",
        "Min Jae-sik": "person",
        "United States": "state",
        "Kim Yo-jong": "person",
        "Kim Jong-un": "person",
        "Japan": "state",
        "Fumio Kishida": "person",
        "Suh Hoon": "person",
        "United Nations": "organisation",
    }


def test_titles_demonyms_and_possessives_are_peeled():
    text = (
        "Former South Korean National Security Advisor Suh Hoon met Germany's Chancellor Olaf Scholz. "
        "Scholz said little. The European Union's envoy watched."
    )
    names = [n.text for n in find_names(text)]
    assert names == ["Suh Hoon", "Germany", "Olaf Scholz", "European Union"]


def test_sentence_initial_common_words_are_not_names():
    text = "Tensions rose. Despite tensions, Analysts met. Nothing happened. Dialogue helps dialogue."
    assert find_names(text) == []
