"""The digest cover: schema narrowed to the stories, citations checked, stories grouped and renumbered."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from briefing.digest.cover import build_cover_schema, build_fallback_cover, order_stories, verify_cover
from briefing.digest_records import Cover, CoverRisk, StoryGroup, TopLine, WatchItem
from briefing.records import Article, Briefing, BriefingResult, Issue, ModelInfo, PromptInfo
from briefing.schema import base_schema
from tests.llm_server import instance


def result(title: str, risks: list[tuple[str, str]]) -> BriefingResult:
    data = instance(base_schema(), base_schema()["$defs"])
    data["title"] = title
    data["bluf"] = f"Bottom line of {title}."
    template = data["risks"][0]
    data["risks"] = [
        {**template, "title": f"{title} risk {i}", "likelihood": lk, "impact": im} for i, (lk, im) in enumerate(risks)
    ]
    return BriefingResult(
        article=Article(source=title, title=title, text="x"),
        briefing=Briefing.model_validate(data),
        model=ModelInfo(name="m", endpoint="e"),
        prompt=PromptInfo(name="policy"),
    )


def cover(groups, top=((1,),), risks=((1,),), watch=((1,),)) -> Cover:
    return Cover(
        headline="h",
        bluf="b",
        top_lines=[TopLine(line=f"line {i}", stories=list(s)) for i, s in enumerate(top)],
        top_risks=[
            CoverRisk(title=f"r{i}", description="d", likelihood="likely", impact="high", stories=list(s))
            for i, s in enumerate(risks)
        ],
        watch=[WatchItem(item=f"w{i}", stories=list(s)) for i, s in enumerate(watch)],
        groups=[StoryGroup(name=name, stories=list(s)) for name, s in groups],
    )


def test_schema_allows_only_existing_story_numbers():
    schema = build_cover_schema(3)
    for name in ("TopLine", "CoverRisk", "WatchItem", "StoryGroup"):
        prop = schema["$defs"][name]["properties"]["stories"]
        assert prop["items"] == {"type": "integer", "minimum": 1, "maximum": 3}
        assert prop["maxItems"] <= 3
    assert schema["additionalProperties"] is False and set(schema["required"]) == set(schema["properties"])


def test_verify_drops_bad_citations_and_groups_every_story_once():
    raw = cover(
        [("Europe", [2, 9, 2]), ("europe", [4]), ("Asia", [2, 1]), ("Empty", [7])],
        top=[(1, 9), (8,)],
        risks=[(3,)],
        watch=[(0, 2)],
    )
    checked = verify_cover(raw, 5)
    assert [(g.name, g.stories) for g in checked.groups] == [
        ("Europe", [2, 4]),
        ("Asia", [1]),
        ("Other stories", [3, 5]),
    ]
    assert [t.stories for t in checked.top_lines] == [[1]]  # the line citing only story 8 is gone
    assert [w.stories for w in checked.watch] == [[2]]


def test_verify_refuses_a_cover_with_nothing_left():
    with pytest.raises(ValidationError):
        verify_cover(cover([("A", [1])], top=[(7,)]), 2)


def test_order_renumbers_group_by_group():
    checked = verify_cover(cover([("Asia", [3, 1]), ("Europe", [2])], top=[(2, 3)], risks=[(1,)], watch=[(3,)]), 3)
    ordered, old_numbers = order_stories(checked)
    assert old_numbers == [3, 1, 2]
    assert [g.stories for g in ordered.groups] == [[1, 2], [3]]
    assert ordered.top_lines[0].stories == [3, 1] and ordered.top_risks[0].stories == [2]
    assert ordered.watch[0].stories == [1]


def test_fallback_cover_ranks_the_gravest_risks_first():
    results = [
        result("Calm", [("unlikely", "low")]),
        result("Grave", [("very likely", "severe"), ("likely", "moderate")]),
    ]
    fallback = build_fallback_cover(results, title="Daily brief")
    assert fallback.top_lines[0].line == "Grave" and fallback.top_lines[0].stories == [2]
    assert [r.title for r in fallback.top_risks] == ["Grave risk 0", "Grave risk 1", "Calm risk 0"]
    assert fallback.bluf == "Bottom line of Grave."
    assert fallback.groups[0].stories == [1, 2]


VARS = {"audience": "senior policy makers", "language": "English", "length": "standard"}


def test_a_user_cover_prompt_can_extend_the_builtin_one(tmp_path):
    """The README promises `builtin/NAME` in every prompt; the cover prompt uses the same loaders."""
    from briefing.digest.cover import COVER_PROMPT, build_cover_messages
    from briefing.prompts import BUILTIN_ORIGIN, PromptSet
    from briefing.settings import builtin_dir

    (tmp_path / f"{COVER_PROMPT}.system.j2").write_text('{% extends "builtin/' + COVER_PROMPT + '.system.j2" %}\n')
    (tmp_path / f"{COVER_PROMPT}.user.j2").write_text(
        '{% include "builtin/' + COVER_PROMPT + '.user.j2" %}\nHOUSE STYLE: name the desk.\n'
    )
    prompt = PromptSet(COVER_PROMPT, [tmp_path, builtin_dir("prompts")], ["user", BUILTIN_ORIGIN])
    builtin = PromptSet(COVER_PROMPT, [builtin_dir("prompts")], [BUILTIN_ORIGIN])
    stories = [result("Dam talks", [("likely", "high")])]
    mine = build_cover_messages(stories, prompt, title="Daily brief", date="2026-12-02", variables=VARS, boundary="b0")
    theirs = build_cover_messages(
        stories, builtin, title="Daily brief", date="2026-12-02", variables=VARS, boundary="b0"
    )
    assert mine[0]["content"] == theirs[0]["content"]  # the extended system prompt is the built-in one
    assert mine[1]["content"].startswith(theirs[1]["content"].rstrip()[:200])
    assert "HOUSE STYLE: name the desk." in mine[1]["content"]


def test_a_line_written_twice_is_written_once():
    from briefing.digest.cover import undouble

    assert undouble("Talks stall: Talks stall.") == "Talks stall."
    assert undouble("Talks stall: both sides walk out.") == "Talks stall: both sides walk out."


def test_each_story_gets_a_top_line_before_a_second_one_about_the_same_story():
    from briefing.digest.cover import complete_top_lines

    results = [result(f"story {i}", [("likely", im)]) for i, im in enumerate(("high", "low", "severe"), 1)]
    four_about_one = cover([("All", (1, 2, 3))], top=((1,), (1,), (3,), (1,)))
    flags = [Issue(path=f"top_lines/{i}/line", status="flagged", message=f"m{i}", check="cut") for i in (1, 2)]
    fixed, issues = complete_top_lines(four_about_one, results, flags)
    lines = fixed.top_lines
    assert [t.stories for t in lines] == [[1], [3], [2]]  # one per story, the gravest uncovered one first
    assert lines[1].line == "line 2" and lines[2].line == "Bottom line of story 2."  # its own bottom line
    # the flag of old line 2 (now line 1) follows it; old line 1 was dropped, and its flag with it
    assert [(i.path, i.message) for i in issues] == [("top_lines/1/line", "m2")]


def test_an_item_about_one_story_that_cites_another_cites_the_right_one():
    from briefing.digest.cover import fix_citations

    sub, deal = (
        result("Submarine intrusion near Okinawa", [("likely", "high")]),
        result("Kmart buys Sears", [("likely", "low")]),
    )
    sub.briefing.bluf = "China apologised after its submarine intruded into Japanese waters near Okinawa."
    deal.briefing.bluf = "Kmart will buy Sears in a deal worth 11.5 billion dollars."
    wrong = cover(
        [("All", (1, 2))],
        top=((2,), (1, 2)),
        risks=((2,),),
        watch=((1,),),
    )
    wrong = wrong.model_copy(
        update={
            "top_lines": [
                wrong.top_lines[0].model_copy(update={"line": "China apologised for the submarine near Okinawa."}),
                wrong.top_lines[1],
            ],
            "watch": [wrong.watch[0].model_copy(update={"item": "Whether Sears shareholders approve the Kmart deal."})],
        }
    )
    fixed = fix_citations(wrong, [sub, deal])
    assert fixed.top_lines[0].stories == [1]  # about the submarine, cited the deal
    assert fixed.top_lines[1].stories == [1, 2]  # several stories: left alone
    assert fixed.watch[0].stories == [2]
    assert fixed.top_risks[0].stories == [2]  # "r0: d" says nothing of either story: left alone
