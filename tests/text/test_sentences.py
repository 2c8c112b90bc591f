"""Sentence splitting on real news text: abbreviations, initials, quotations, datelines, CJK."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.text.sentences import sentence_spans, split_sentences
from tests.conftest import SEED


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Min Jae-sik spoke. He left.", ["Dr. Min Jae-sik spoke.", "He left."]),
        (
            "Talks with the U.S. Prime Minister Kishida spoke next.",
            ["Talks with the U.S.", "Prime Minister Kishida spoke next."],
        ),
        ("The U.S. President said no. Then he left.", ["The U.S. President said no.", "Then he left."]),
        ("Aid rose 3.5 percent in Jan. 2024, officials said.", ["Aid rose 3.5 percent in Jan. 2024, officials said."]),
        ("J. R. Smith of Acme Inc. said so. Sales fell.", ["J. R. Smith of Acme Inc. said so.", "Sales fell."]),
        ("Prices rose at 3 p.m. yesterday. Markets fell.", ["Prices rose at 3 p.m. yesterday.", "Markets fell."]),
        (
            '"We must keep talking. Nothing good comes of silence," he said. Then he left.',
            ['"We must keep talking. Nothing good comes of silence," he said.', "Then he left."],
        ),
        ("“It is over. We leave tomorrow.” Then he left.", ["“It is over. We leave tomorrow.”", "Then he left."]),
        ("Is it over? Nobody knows! Wait...", ["Is it over?", "Nobody knows!", "Wait..."]),
        ("Wait... what happened next was strange.", ["Wait... what happened next was strange."]),
        (
            "Seoul, South Korea - Tensions surged. Talks failed.",
            ["Seoul, South Korea - Tensions surged.", "Talks failed."],
        ),
        (
            "HEADLINE WITHOUT PERIOD\nThe body starts here. It goes on.",
            ["HEADLINE WITHOUT PERIOD", "The body starts here.", "It goes on."],
        ),
        (
            "A hard-wrapped line of a long sentence that goes on and on across the line\nbreak and ends here. Next.",
            [
                "A hard-wrapped line of a long sentence that goes on and on across the line\nbreak and ends here.",
                "Next.",
            ],
        ),
        ("会谈破裂了。双方都很失望！下一步呢？", ["会谈破裂了。", "双方都很失望！", "下一步呢？"]),
        ("انهارت المحادثات. هل ستستأنف؟ لا أحد يعرف.", ["انهارت المحادثات.", "هل ستستأنف؟", "لا أحد يعرف."]),
        (
            "Gen. Lee and Sen. Park met Mr. Kim at St. Mary's. They agreed.",
            ["Gen. Lee and Sen. Park met Mr. Kim at St. Mary's.", "They agreed."],
        ),
        # a quotation left open at a paragraph's end ends there: the next paragraphs are sentences of their own
        (
            'It could trigger sales of "nonstrategic assets.\n\nThe deal came after Lampert. Shares rose.',
            ['It could trigger sales of "nonstrategic assets.', "The deal came after Lampert.", "Shares rose."],
        ),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_split(text, expected):
    assert split_sentences(text) == expected


def test_seed_article_has_34_sentences_with_quotes_whole():
    sentences = split_sentences(SEED.read_text())
    assert len(sentences) == 34
    assert (
        sentences[20]
        == "“We must keep the lines of communication open. Nothing good will come from isolationism,” he asserted."
    )
    assert sentences[15].endswith("with both South Korea and the U.S.")
    assert sentences[16].startswith("Prime Minister Fumio Kishida")


@given(st.text(max_size=400))
def test_spans_are_ordered_nonoverlapping_and_cover_the_words(text):
    spans = sentence_spans(text)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        last = end
    # Every non-space character of the text belongs to exactly one sentence.
    covered = sum(end - start for start, end in spans)
    assert covered >= sum(1 for ch in text if not ch.isspace())
