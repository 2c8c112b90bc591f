"""Verification reads a quote's original text, never its translation."""

from __future__ import annotations

from briefing.models import Actor, Briefing, KeyJudgment, Quote, Risk, Scenario
from briefing.sources import load_article
from briefing.verify import verify_briefing


def briefing_with(quote: Quote) -> Briefing:
    return Briefing(
        title="t", bluf="b", summary="s",
        key_judgments=[KeyJudgment(statement="Talks collapsed", likelihood="likely", confidence="low", evidence=[1])],
        key_actors=[Actor(name="Min Jae-sik", kind="person", role="analyst", stance="worried", evidence=[10],
                          quotes=[quote])],
        risks=[Risk(title="r", description="d", likelihood="likely", impact="high", timeframe="weeks",
                    indicators=["i"], evidence=[1])],
        outlook=[Scenario(development="d", likelihood="likely", signposts=[], evidence=[1])],
        gaps=[],
    )


ORIGINAL = "The situation is precarious, and without dialogue, misunderstandings and miscalculations could lead to conflict"
FRENCH = "La situation est précaire et, sans dialogue, les malentendus pourraient mener au conflit"


def test_original_text_verifies_with_a_translation_beside_it(seed):
    article = load_article(str(seed))
    checked, _ = verify_briefing(briefing_with(Quote(text=ORIGINAL, speaker="Min Jae-sik", translation=FRENCH)), article)
    quote = checked.key_actors[0].quotes[0]
    assert quote.verified and quote.check.status == "verified"
    assert quote.translation == FRENCH


def test_a_translated_quote_in_place_of_the_original_is_unverified(seed):
    article = load_article(str(seed))
    checked, grounding = verify_briefing(briefing_with(Quote(text=FRENCH, speaker="Min Jae-sik")), article)
    assert not checked.key_actors[0].quotes[0].verified
    assert grounding.sections["quotes"].unverified == 1


def test_a_translation_that_repeats_the_quote_is_dropped(seed):
    article = load_article(str(seed))
    checked, _ = verify_briefing(briefing_with(Quote(text=ORIGINAL, speaker="Min Jae-sik", translation=f" {ORIGINAL}. ")), article)
    assert checked.key_actors[0].quotes[0].translation is None
