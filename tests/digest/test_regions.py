"""Stories under the right region: a group named after a region keeps only stories whose states lie there."""

from __future__ import annotations

from briefing.digest.regions import group_regions, place_by_region
from briefing.records import Mention
from tests.digest.test_cover import cover, result


def story(title: str, *states: tuple[str, int]):
    r = result(title, [("likely", "high")])
    r.article.names = [Mention(name=s, kind="state", sentences=list(range(n))) for s, n in states]
    return r


def test_group_names_say_regions_or_themes():
    assert group_regions("East Asia") == {"Asia"}
    assert group_regions("Asia-Pacific") == {"Asia"}
    assert group_regions("Middle East and North Africa") == {"Middle East", "Africa"}
    assert group_regions("Latin America") == group_regions("The Americas") == {"Americas"}
    assert group_regions("Energy security") == set()
    assert group_regions("Markets") == set()  # no region hides in "Markets"


def test_a_uk_story_filed_under_asia_moves_to_europe():
    results = [story("Tokyo aid", ("Japan", 9), ("China", 7)), story("UK vote", ("Britain", 5))]
    fixed = place_by_region(cover([("Asia", (1, 2))]), results)
    assert [(g.name, g.stories) for g in fixed.groups] == [("Asia", [1]), ("Europe", [2])]


def test_a_misplaced_story_joins_an_existing_group_of_its_region():
    results = [story("a", ("Japan", 3)), story("b", ("Rwanda", 4), ("Congo", 2)), story("c", ("Kenya", 1))]
    fixed = place_by_region(cover([("East Asia", (1, 2)), ("Africa", (3,))]), results)
    assert [(g.name, g.stories) for g in fixed.groups] == [("East Asia", [1]), ("Africa", [3, 2])]


def test_a_story_in_any_region_of_its_top_states_stays():
    # a US-China story under Asia stays; Turkey is in Europe and the Middle East
    results = [story("trade", ("United States", 6), ("China", 5)), story("Ankara", ("Turkey", 4))]
    fixed = place_by_region(cover([("Asia", (1,)), ("Middle East", (2,))]), results)
    assert [(g.name, g.stories) for g in fixed.groups] == [("Asia", [1]), ("Middle East", [2])]


def test_themes_and_stories_without_states_are_left_alone():
    results = [story("markets", ("Japan", 2)), story("no place")]
    fixed = place_by_region(cover([("Markets", (1,)), ("Europe", (2,))]), results)
    assert [(g.name, g.stories) for g in fixed.groups] == [("Markets", [1]), ("Europe", [2])]


def test_states_in_the_languages_briefing_reads_have_regions():
    results = [story("es", ("España", 3)), story("de", ("Deutschland", 2))]
    fixed = place_by_region(cover([("Latin America", (1, 2))]), results)
    assert [(g.name, g.stories) for g in fixed.groups] == [("Europe", [1, 2])]


def test_a_story_naming_no_state_is_placed_by_its_dateline():
    wire = story("Kmart buys Sears")
    wire.article.text = "NEW YORK (Reuters) - Kmart Holding Corp said on Wednesday it would buy Sears."
    fixed = place_by_region(cover([("Middle East", (1,))]), [wire])
    assert [(g.name, g.stories) for g in fixed.groups] == [("Americas", [1])]


def test_a_story_grouped_nowhere_joins_its_regions_group():
    results = [story("sub", ("China", 4), ("Japan", 3)), story("aid", ("Japan", 9)), story("deal")]
    fixed = place_by_region(cover([("East Asia", (1,)), ("Other stories", (2, 3))]), results)
    assert [(g.name, g.stories) for g in fixed.groups] == [("East Asia", [1, 2]), ("Other stories", [3])]
