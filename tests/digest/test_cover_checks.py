"""The digest cover: depth by schema, the analytic checks on its texts, one focused re-ask, marks."""

from __future__ import annotations

import json

from briefing.digest.cover import build_cover_schema
from briefing.digest_records import Cover, CoverRisk, StoryGroup, TopLine, WatchItem
from briefing.verify.analytic import cover_flaws
from tests.articles import write_articles
from tests.llm_server import Reply, schema_instance_for


def a_cover(**changes) -> Cover:
    fields = {
        "headline": "Gas and grain dominate a tense day",
        "bluf": "Europe's gas storage and the grain corridor are the day's pressure points.",
        "top_lines": [
            TopLine(line="Gas storage is filling more slowly than planned.", stories=[1]),
            TopLine(line="The grain corridor faces new insurance costs.", stories=[2]),
        ],
        "top_risks": [
            CoverRisk(
                title="Winter gas shortfall",
                description="Low storage could force rationing in a cold winter.",
                likelihood="unlikely",
                impact="high",
                stories=[1],
            )
        ],
        "watch": [WatchItem(item="The Commission's storage report due on Friday.", stories=[1])],
        "groups": [StoryGroup(name="Europe", stories=[1, 2])],
    }
    return Cover(**{**fields, **changes})


def test_cover_schema_asks_for_depth():
    schema = build_cover_schema(5)["properties"]
    assert schema["top_lines"]["minItems"] == 3
    assert schema["top_risks"]["minItems"] == 2 and schema["watch"]["minItems"] == 2
    assert build_cover_schema(2)["properties"]["top_lines"]["minItems"] == 2


def test_a_clean_cover_has_no_flaws():
    assert cover_flaws(a_cover()) == []


def test_cover_flaws_name_meta_talk_cut_text_and_repeats():
    cover = a_cover(
        bluf="The stories show that Europe's gas storage is low, while",
        top_lines=[
            TopLine(line="The article highlights slow gas storage.", stories=[1]),
            TopLine(line="Gas storage is filling more slowly than planned.", stories=[1]),
            TopLine(line="Gas storage is filling more slowly than planned.", stories=[2]),
        ],
    )
    found = {(f.path, f.check) for f in cover_flaws(cover)}
    assert ("bluf", "cut") in found
    assert ("top_lines/0/line", "meta-talk") in found
    assert ("top_lines/2/line", "duplicate") in found
    assert not any(path == "top_lines/1/line" for path, _ in found)


def test_the_cover_reask_sends_only_its_failing_texts_and_marks_what_stays(cli, llm, tmp_path):
    def answer(request):
        name = request.body["response_format"]["json_schema"]["name"]
        data = schema_instance_for(request.body)
        if name == "cover":
            data["top_lines"][0]["line"] = "The article says gas storage is low."
            data["watch"][0]["item"] = "Whether the Commission's report, due on Friday,"
        if name == "revision":
            data = {
                "top_lines_0_line": "Gas storage is filling too slowly for a cold winter.",
                "watch_0_item": "The article still,",
            }
        return Reply(content=json.dumps(data))

    llm.respond = answer
    write_articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    result = cli(
        "digest", tmp_path / "in", "-f", "json", "-f", "md", "-f", "html", "-o", f"{out}/",
        "--date", "2026-03-04", "--base-url", llm.url,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    names = [r.body["response_format"]["json_schema"]["name"] for r in llm.chat_requests]
    assert names.count("cover") == 1 and names.count("revision") == 1
    revision = next(r.body for r in llm.chat_requests if r.body["response_format"]["json_schema"]["name"] == "revision")
    assert set(revision["response_format"]["json_schema"]["schema"]["properties"]) == {
        "top_lines_0_line",
        "watch_0_item",
    }
    ask = revision["messages"][-1]["content"]
    assert "top_lines_0_line" in ask and "watch_0_item" in ask and "cover of the daily brief" in ask
    digest = json.loads((out / "daily-brief-2026-03-04.json").read_text())
    assert digest["cover"]["top_lines"][0]["line"] == "Gas storage is filling too slowly for a cold winter."
    # The rewrite of the watch item was worse (meta-talk and cut): the first text stays, marked.
    assert digest["cover"]["watch"][0]["item"] == "Whether the Commission's report, due on Friday,"
    assert [(i["path"], i["check"]) for i in digest["cover_issues"]] == [("watch/0/item", "cut")]
    assert "flagged: ends mid-sentence" in (out / "daily-brief-2026-03-04.md").read_text()
    assert "flagged: ends mid-sentence" in (out / "daily-brief-2026-03-04.html").read_text()
