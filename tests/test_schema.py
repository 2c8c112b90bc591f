"""The per-article schema: a translation field beside quotes only when the briefing's language differs."""

from __future__ import annotations

from briefing.schema import base_schema, build_schema, field_guide
from briefing.sources import load_article


def test_no_translation_field_by_default(seed):
    schema = build_schema(load_article(str(seed)))
    assert all("translation" not in v["properties"] for v in schema["$defs"]["Quote"]["anyOf"])
    assert "translation" not in base_schema()["$defs"]["Quote"]["properties"]


def test_translation_field_in_every_quote_variant_and_required(seed):
    schema = build_schema(load_article(str(seed)), translate_to="French")
    variants = schema["$defs"]["Quote"]["anyOf"]
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
