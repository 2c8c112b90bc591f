"""build_stories(): near-duplicate articles become one story; different stories stay apart. Pure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.digest.dedupe import build_stories, is_near_duplicate, shingle_set, text_id
from briefing.text.article import build_article
from tests.articles import make_article


def _article(text: str, source: str = "x"):
    return build_article(source=source, title="t", text=text)


def _body(i: int) -> str:
    return make_article(i).split("\n", 1)[1].strip()


def _sentences(i: int) -> list[str]:
    return _body(i).split(". ")


@pytest.mark.parametrize(
    "a, b, same",
    [
        (_body(1), _body(1).upper().replace(",", " ,").replace(" ", "  "), True),  # spacing, case, punctuation
        (_body(1), ". ".join(_sentences(1)[:-3]), True),  # an outlet trimmed the last three sentences
        (_body(1), _body(1) + " Our correspondent adds that the mood in the capital was tense and uncertain.", True),
        (_body(1), ". ".join(_sentences(1)[:5]) + ". " + ". ".join(_sentences(2)[5:]), False),  # half and half
        (_body(1), _body(2), False),
        (
            _body(3) + " Subscribe to our newsletter for more news every morning.",
            _body(4) + " Subscribe to our newsletter for more news every morning.",
            False,
        ),  # shared boilerplate
        ("Short note.", "Short note!", True),
        ("Short note.", "Another short note.", False),
    ],
)
def test_near_duplicate_rule(a, b, same):
    stories = build_stories([_article(a, "a"), _article(b, "b")])
    assert (len(stories) == 1) is same


def test_chains_merge_and_the_fullest_text_leads():
    full = _body(5)
    trimmed = ". ".join(_sentences(5)[:-2])
    extended = full + " A later paragraph adds reaction from the opposition, which called for an inquiry."
    other = _body(6)
    stories = build_stories(
        [_article(trimmed, "trimmed"), _article(other, "other"), _article(full, "full"), _article(extended, "extended")]
    )
    assert [[a.source for a in s.articles] for s in stories] == [["trimmed", "full", "extended"], ["other"]]
    assert stories[0].lead.source == "extended"
    assert stories[0].id == text_id(extended)


def test_containment_needs_enough_text():
    assert is_near_duplicate(100, 400, 90)  # 90% of the smaller one is in the bigger one
    assert not is_near_duplicate(10, 400, 10)  # ten shingles inside a long text mean little
    assert is_near_duplicate(10, 12, 10)  # but a high Jaccard still counts
    assert not is_near_duplicate(0, 5, 0)


_words = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=6), min_size=1, max_size=40)


@given(_words)
def test_shingles_ignore_case_spacing_and_punctuation(words):
    plain = " ".join(words)
    noisy = "  " + ",\n ".join(w.upper() for w in words) + "!"
    assert shingle_set(plain) == shingle_set(noisy)
    assert text_id(plain) == text_id(noisy)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(range(8)), min_size=1, max_size=8))
def test_every_article_is_in_exactly_one_story(picks):
    articles = [_article(_body(i), f"s{n}") for n, i in enumerate(picks)]
    stories = build_stories(articles)
    sources = [a.source for s in stories for a in s.articles]
    assert sorted(sources) == sorted(a.source for a in articles)
    assert len(stories) == len(set(picks))  # copies of one article always merge, different ones never
