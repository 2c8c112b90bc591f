"""Grounding end to end: a remote model that invents quotes and cites sentences that do not exist."""

from __future__ import annotations

import json

import pytest

from briefing.ingest.files import load_article
from briefing.output.saved import load_saved
from tests.conftest import SEED
from tests.llm_server import Reply

ARTICLE = load_article(str(SEED))
INVENTED = "We will never negotiate again under any circumstances"


def answer_with_invented_quote(request):
    """A free-text model: real quotes, plus an invented one in every quotes array, plus S99."""
    briefing = {
        "title": "Talks collapse raises risk of confrontation",
        "bluf": "Talks failed.",
        "summary": "Diplomatic talks between South Korea and North Korea collapsed.",
        "key_judgments": [
            {
                "statement": "Talks between South Korea and North Korea collapsed",
                "likelihood": "almost certain",
                "confidence": "high",
                "evidence": [1, 99],
            }
        ],
        "key_actors": [
            {
                "name": "Kim Yo-jong",
                "kind": "person",
                "role": "sister of North Korean leader Kim Jong-un",
                "stance": "dismissive",
                "evidence": [13],
                "quotes": [
                    {"text": ARTICLE.quotations[1].text, "speaker": "Kim Yo-jong"},
                    {"text": INVENTED, "speaker": "Kim Yo-jong"},
                ],
            },
            {
                "name": "Suh Hoon",
                "kind": "person",
                "role": "Former National Security Advisor",
                "stance": "keep talking",
                "evidence": [20, 21],
                "quotes": [
                    {"text": ARTICLE.quotations[3].text, "speaker": "Suh Hoon"},
                    {"text": INVENTED, "speaker": "Suh Hoon"},
                ],
            },
        ],
        "risks": [
            {
                "title": "Military confrontation",
                "description": "Military confrontations could follow",
                "likelihood": "likely",
                "impact": "high",
                "timeframe": "months",
                "indicators": ["missile tests"],
                "evidence": [30],
            }
        ],
        "outlook": [
            {
                "development": "Backchannel dialogue with North Korea",
                "likelihood": "unlikely",
                "signposts": [],
                "evidence": [32],
            }
        ],
        "gaps": [],
    }
    return Reply(content=json.dumps(briefing))


@pytest.fixture
def inventing(llm):
    llm.respond = answer_with_invented_quote
    return llm


def test_invented_quotes_are_marked_in_every_format(cli, inventing, tmp_path):
    result = cli(
        "generate", SEED, "-f", "md", "-f", "html", "-f", "json", "-o", f"{tmp_path}/", "--base-url", inventing.url
    )
    assert result.exit_code == 0, result.stderr
    saved = json.loads(next(tmp_path.glob("*.json")).read_text())
    quotes = [q for a in saved["briefing"]["key_actors"] for q in a["quotes"]]
    invented = [q for q in quotes if q["text"] == INVENTED]
    real = [q for q in quotes if q["text"] != INVENTED]
    assert invented and all(q["verified"] is False for q in invented)
    assert len(real) == 2 and all(q["verified"] is True for q in real)
    md = next(tmp_path.glob("*.md")).read_text()
    invented_line = next(line for line in md.splitlines() if INVENTED in line)
    assert "unverified" in invented_line
    html = next(tmp_path.glob("*.html")).read_text()
    assert "unverified" in html.split(INVENTED, 1)[1][:400]
    # One grounding re-ask told the model which items failed, then the items were marked; the texts
    # of this hand-made answer that are not analysis (no full stops) were re-asked once by themselves.
    briefings = [r for r in inventing.chat_requests if r.body["response_format"]["json_schema"]["name"] == "briefing"]
    assert len(briefings) == 2 and inventing.chat_requests[:2] == briefings
    reask = inventing.chat_requests[1].body["messages"][-1]["content"]
    assert INVENTED in reask and "could not be verified" in reask


def test_dangling_evidence_is_reported_never_linked(cli, inventing, tmp_path):
    result = cli("generate", SEED, "-f", "json", "-f", "md", "-o", f"{tmp_path}/", "--base-url", inventing.url)
    assert result.exit_code == 0
    saved = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert saved["briefing"]["key_judgments"][0]["evidence"] == [1]
    assert any("S99" in i["message"] for i in saved["grounding"]["issues"])
    assert "S99" not in next(tmp_path.glob("*.md")).read_text()


def test_strict_fails_naming_what_failed(cli, inventing, tmp_path):
    out = tmp_path / "b.md"
    result = cli("generate", SEED, "-o", out, "--base-url", inventing.url, "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.stderr and INVENTED[:30] in result.stderr
    assert not out.exists()


def test_grounded_schema_reaches_the_endpoint(cli, llm):
    assert cli("generate", SEED, "--base-url", llm.url).exit_code == 0
    schema = llm.chat_requests[0].body["response_format"]["json_schema"]["schema"]
    names = {v["properties"]["name"]["enum"][0] for v in schema["$defs"]["Actor"]["anyOf"]}
    assert "Kim Yo-jong" in names and "Suh Hoon" in names


def answer_citing_only_missing_sentences(request):
    """An endpoint that does not enforce the schema: one judgment cites only sentences that do not exist."""
    briefing = json.loads(answer_with_invented_quote(request).content)
    briefing["key_judgments"][0]["evidence"] = [99, 120]
    return Reply(content=json.dumps(briefing))


def test_an_item_citing_only_missing_sentences_is_kept_unverified_and_the_result_loads(cli, llm, tmp_path):
    llm.respond = answer_citing_only_missing_sentences
    result = cli("generate", SEED, "-f", "json", "-f", "md", "-o", f"{tmp_path}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    path = next(tmp_path.glob("*.json"))
    judgment = json.loads(path.read_text())["briefing"]["key_judgments"][0]
    assert judgment["evidence"] == [] and judgment["check"]["status"] == "unverified"
    reloaded = load_saved(path)
    assert reloaded.briefing.key_judgments[0].check.status == "unverified"
    # The model is still asked for at least one citation per item.
    schema = llm.chat_requests[0].body["response_format"]["json_schema"]["schema"]
    assert all(
        schema["$defs"][m]["properties"]["evidence"]["minItems"] == 1 for m in ("KeyJudgment", "Risk", "Scenario")
    )
