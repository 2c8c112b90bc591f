"""Quotes in another language than the briefing's: a translation beside the verbatim original.

The schema asks for a translation only when the briefing's language differs from the article's, and
verification reads the quote's original text, never its translation.
"""

from __future__ import annotations

from briefing.ingest.files import load_article
from briefing.records import Actor, Briefing, KeyJudgment, Quote, Risk, Scenario
from briefing.schema import base_schema, build_schema, field_guide
from briefing.verify import verify_briefing


def _quote_variants(schema):
    for actor in schema["$defs"]["Actor"]["anyOf"]:
        items = actor["properties"]["quotes"]["items"]
        yield from items.get("anyOf", [items]) if "properties" in items or "anyOf" in items else []


def test_no_translation_field_by_default(seed):
    schema = build_schema(load_article(str(seed)))
    assert all("translation" not in v["properties"] for v in _quote_variants(schema))
    assert "translation" not in base_schema()["$defs"]["Quote"]["properties"]


def test_translation_field_in_every_quote_variant_and_required(seed):
    schema = build_schema(load_article(str(seed)), translate_to="French")
    variants = list(_quote_variants(schema))
    assert variants
    for variant in variants:
        assert variant["properties"]["translation"]["type"] == "string"
        assert "French" in variant["properties"]["translation"]["description"]
        assert variant["required"] == ["text", "speaker", "translation"]
        assert len(variant["properties"]["text"]["enum"]) == 1  # the original text stays pinned to the article


def test_ungrounded_schema_gets_it_too():
    quote = base_schema(translate_to="German")["$defs"]["Quote"]
    assert "translation" in quote["properties"] and "translation" in quote["required"]
    assert quote["additionalProperties"] is False


def test_field_guide_mentions_the_translation():
    assert "translation: The quote translated into French" in field_guide(translate_to="French")
    assert "translation" not in field_guide()


def briefing_with(quote: Quote) -> Briefing:
    return Briefing(
        title="t",
        bluf="b",
        summary="s",
        key_judgments=[KeyJudgment(statement="Talks collapsed", likelihood="likely", confidence="low", evidence=[1])],
        key_actors=[
            Actor(name="Min Jae-sik", kind="person", role="analyst", stance="worried", evidence=[10], quotes=[quote])
        ],
        risks=[
            Risk(
                title="r",
                description="d",
                likelihood="likely",
                impact="high",
                timeframe="weeks",
                indicators=["i"],
                evidence=[1],
            )
        ],
        outlook=[Scenario(development="d", likelihood="likely", signposts=[], evidence=[1])],
        gaps=[],
    )


ORIGINAL = (
    "The situation is precarious, and without dialogue, misunderstandings and miscalculations could lead to conflict"
)
FRENCH = "La situation est précaire et, sans dialogue, les malentendus pourraient mener au conflit"


def test_original_text_verifies_with_a_translation_beside_it(seed):
    article = load_article(str(seed))
    checked, _ = verify_briefing(
        briefing_with(Quote(text=ORIGINAL, speaker="Min Jae-sik", translation=FRENCH)), article
    )
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
    checked, _ = verify_briefing(
        briefing_with(Quote(text=ORIGINAL, speaker="Min Jae-sik", translation=f" {ORIGINAL}. ")), article
    )
    assert checked.key_actors[0].quotes[0].translation is None
