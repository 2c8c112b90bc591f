"""The per-article schema: grounding by construction, strict-mode shape, limits."""

from __future__ import annotations

import json

from briefing.ingest.files import load_article
from briefing.records import Briefing
from briefing.schema import base_schema, build_schema, field_guide
from briefing.text.article import build_article
from tests.conftest import SEED
from tests.llm_server import instance

ARTICLE = load_article(str(SEED))


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def test_every_object_is_strict():
    for node in walk(build_schema(ARTICLE)):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert set(node["required"]) == set(node["properties"])


def test_hidden_fields_are_not_in_the_schema():
    text = json.dumps(base_schema())
    assert '"verified"' not in text and '"check"' not in text and '"translation"' not in text


def test_actor_names_quotes_and_speakers_come_from_the_article():
    schema = build_schema(ARTICLE)
    variants = schema["$defs"]["Actor"]["anyOf"]
    names = [v["properties"]["name"]["enum"][0] for v in variants]
    assert set(names) == {m.name for m in ARTICLE.names}
    kishida = next(v for v in variants if v["properties"]["name"]["enum"] == ["Fumio Kishida"])
    quote = kishida["properties"]["quotes"]["items"]
    assert quote["properties"]["text"]["enum"] == ["We must remain vigilant and prepared for any contingencies"]
    assert quote["properties"]["speaker"]["enum"] == ["Fumio Kishida"]
    assert kishida["properties"]["evidence"]["items"]["enum"] == [17, 18]
    un = next(v for v in variants if v["properties"]["name"]["enum"] == ["United Nations"])
    assert un["properties"]["quotes"]["items"]["properties"]["speaker"]["enum"] == ["A spokesperson"]


def test_actor_kinds_are_the_name_finders_and_enough_actors_are_asked_for():
    schema = build_schema(ARTICLE)
    kinds = {
        v["properties"]["name"]["enum"][0]: v["properties"]["kind"]["enum"] for v in schema["$defs"]["Actor"]["anyOf"]
    }
    assert kinds["Fumio Kishida"] == ["person"] and kinds["Japan"] == ["state"]
    assert kinds["United Nations"] == ["organisation"]
    assert schema["properties"]["key_actors"]["minItems"] == 6  # the seed names 11: six at least
    few = build_article(
        source="x", title="Deal", text="Kmart Holding Corp agreed to buy Sears. Edward Lampert said it was a good deal."
    )
    variants = build_schema(few)["$defs"]["Actor"]["anyOf"]
    assert {v["properties"]["name"]["enum"][0]: v["properties"]["kind"]["enum"] for v in variants}[
        "Kmart Holding Corp"
    ] == ["organisation"]
    assert build_schema(few)["properties"]["key_actors"]["minItems"] == len(few.names)


def test_evidence_is_bounded_to_the_article():
    schema = build_schema(ARTICLE)
    items = schema["$defs"]["KeyJudgment"]["properties"]["evidence"]["items"]
    assert items == {"type": "integer", "minimum": 1, "maximum": 34}


def test_an_instance_of_the_grounded_schema_validates_as_a_briefing():
    schema = build_schema(ARTICLE)
    Briefing.model_validate(instance(schema, schema["$defs"]))


def test_too_many_names_fall_back_to_free_text():
    names = " ".join(f"Minister Person{i} Name{i} spoke." for i in range(500))
    article = build_article(source="x", title="t", text=names)
    schema = build_schema(article)
    assert "anyOf" not in json.dumps(schema["$defs"]["Actor"])
    assert "enum" not in schema["$defs"]["Actor"]["properties"]["name"]


def test_article_without_quotations_allows_no_quotes():
    article = build_article(source="x", title="t", text="President Anna Berg met Omar Haddad in Oslo. They agreed.")
    schema = build_schema(article)
    for variant in schema["$defs"]["Actor"]["anyOf"]:
        assert variant["properties"]["quotes"]["maxItems"] == 0


def test_field_guide_names_every_field():
    guide = field_guide()
    for field in (
        "title",
        "bluf",
        "summary",
        "key_judgments",
        "likelihood",
        "confidence",
        "evidence",
        "key_actors",
        "quotes",
        "risks",
        "impact",
        "indicators",
        "outlook",
        "signposts",
        "gaps",
    ):
        assert f"- {field}:" in guide


def test_news_outlets_are_never_actors_nor_listed_as_bodies():
    from briefing.prompts import PromptSet, build_messages
    from briefing.settings import load_settings

    article = build_article(
        source="x",
        title="Deal",
        text="NEW YORK (Reuters) - Kmart Holding Corp agreed to buy Sears. Edward Lampert said it was a good deal.",
    )
    assert "Reuters" in {m.name for m in article.names}
    schema = build_schema(article)
    names = [v["properties"]["name"]["enum"][0] for v in schema["$defs"]["Actor"]["anyOf"]]
    assert "Reuters" not in names and "Edward Lampert" in names
    assert schema["properties"]["key_actors"]["minItems"] == len(names)  # as many as there are to give
    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    variables = {"audience": "a", "language": "English", "length": "standard", "vars": {}}
    user = build_messages(article, prompt, variables=variables)[1]["content"]
    bodies = next(line for line in user.splitlines() if line.startswith("States and bodies"))
    assert "Kmart Holding Corp" in bodies and "Reuters" not in bodies
