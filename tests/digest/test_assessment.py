"""build_story_change(): what moved in a continuing story's assessment (pure, table-driven)."""

from __future__ import annotations

import pytest

from briefing.digest.assessment import build_story_change, pair_by_text, reports
from briefing.digest_records import Source, Story
from tests.conftest import load_result


def story(number: int, result) -> Story:
    return Story(number=number, id=f"x{number}", sources=[Source(source="a.txt", title="t")], result=result)


def test_a_moved_judgment_new_actor_risks_and_a_seen_indicator():
    before = load_result("full-briefing.json")
    today = before.model_copy(deep=True)
    today.article.sentences.append("Officials confirmed new missile launch preparations near the coast on Sunday.")
    new = len(today.article.sentences)
    moved = today.briefing.key_judgments[0]
    moved.likelihood, moved.evidence = "very likely", [1, new]
    today.briefing.key_actors[0].name = "Lee Jae-myung"
    gone = today.briefing.risks.pop()
    today.briefing.risks[0].title = "Cyber attacks on southern banks"
    before.briefing.risks[1].indicators = ["missile launch preparations near the coast"]

    change = build_story_change(story(2, today), story(5, before))
    assert (change.story, change.previous_story) == (2, 5)
    [shift] = change.judgments_moved
    assert (shift.likelihood_before, shift.likelihood_after) == ("likely", "very likely")
    assert shift.sentences == [new]  # sentence 1 was there yesterday: not what moved it
    assert change.actors_new == ["Lee Jae-myung"]
    assert change.risks_appeared == ["Cyber attacks on southern banks"]
    assert sorted(change.risks_gone) == sorted([before.briefing.risks[0].title, gone.title])
    assert [(i.indicator, i.sentences) for i in change.indicators_seen] == [
        ("missile launch preparations near the coast", [new])
    ]


def test_an_unchanged_story_has_an_empty_change():
    result = load_result("full-briefing.json")
    assert build_story_change(story(1, result), story(1, result.model_copy(deep=True))).empty


@pytest.mark.parametrize(
    ("sentence", "indicator", "seen"),
    [
        ("Troops were moved to the border overnight.", "troop movements to the border", True),
        ("Sanctions were announced by the ministry.", "new sanctions announced", True),
        ("The weather was fine.", "troop movements to the border", False),
        ("The border stayed quiet.", "troop movements to the border", False),  # one word of three is not enough
        ("Anything at all.", "talks", False),  # an indicator of one word is too vague to see
    ],
)
def test_reports(sentence, indicator, seen):
    assert reports(sentence, indicator) is seen


def test_pair_by_text_pairs_rewordings_once_each():
    today = ["Escalation along the DMZ", "Cyber attacks", "Escalation on the DMZ border"]
    before = ["Escalation on the DMZ", "Food shortages"]
    assert pair_by_text(today, before, 70.0) == {0: 0}
