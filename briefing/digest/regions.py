"""place_by_region(): each story under a region group it happens in, checked against the states it names. Pure.

The cover call groups stories by region or theme, and the small model sometimes files a story under a
region none of its states is in (a UK story under "Asia"). A group whose name says a region is checked:
a story is misplaced when none of the three states its article names most lies in that region; it
moves to a group of its own region (the existing one, or a new one named after the region while the
cover has room for groups); a story the model grouped nowhere ("Other stories") joins its region's
group when the cover has one. A story that names no state is placed by the large cities it names (its
dateline, say). Theme groups ("Energy", "Markets") and stories that name neither are left as the model
placed them.
"""

from __future__ import annotations

import re

from briefing.digest.cover import OTHER_GROUP
from briefing.digest_records import MAX_GROUPS, Cover, StoryGroup
from briefing.records import BriefingResult
from briefing.text.world import CITY_REGIONS, STATE_REGIONS

# Words in a group's name that mean a region, lowercase; the display name is the key.
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "Europe": ("europe", "european", "balkan", "baltic", "nordic", "scandinavia", "eurozone", "britain", "uk"),
    "Middle East": ("middle east", "mideast", "gulf", "near east", "levant", "mena", "arab world"),
    "Africa": ("africa", "african", "sahel", "horn of"),
    "Asia": ("asia", "asian", "indo-pacific", "pacific rim", "korean peninsula", "subcontinent"),
    "Americas": ("america", "americas", "american", "caribbean", "united states", "u.s.", "latin"),
    "Oceania": ("oceania", "australasia", "pacific islands"),
}
TOP_STATES = 3  # a story belongs where any of the states it names most lies


def place_by_region(cover: Cover, results: list[BriefingResult]) -> Cover:
    """The cover with misplaced stories moved to a group of their own region (numbers are 1-based)."""
    groups = [(g.name, list(g.stories)) for g in cover.groups]
    for name, members in list(groups):
        regions = group_regions(name)
        other = name == OTHER_GROUP  # the stories the model grouped nowhere
        if not regions and not other:
            continue  # a theme, not a region
        for number in [n for n in members if 1 <= n <= len(results)]:
            result = results[number - 1]
            if not other:
                story = story_regions(result)
                if not story or story & regions:
                    continue  # placed right, or nothing to say where it belongs
            # A misplaced story may open a group of its own region; an ungrouped one only joins one.
            target = _region_group(groups, story_home(result), create=not other)
            if target is not None and target is not members:
                members.remove(number)
                target.append(number)
    kept = [StoryGroup(name=n, stories=m) for n, m in groups if m]
    return cover.model_copy(update={"groups": kept}) if kept else cover


def _region_group(groups: list[tuple[str, list[int]]], home: str, *, create: bool) -> list[int] | None:
    """The members of the first group named for region `home`; a new group named `home` when there is
    none, `create` is set and the cover has room for another (it is appended to `groups`)."""
    if not home:
        return None
    target = next((m for n, m in groups if n != OTHER_GROUP and home in group_regions(n)), None)
    if target is None and create and len(groups) < MAX_GROUPS:
        target = []
        groups.append((home, target))
    return target


def group_regions(name: str) -> set[str]:
    """The regions a group's name says: "East Asia" -> {"Asia"}; "Energy" -> set()."""
    low = f" {name.lower()} "
    found = set()
    for region, words in REGION_WORDS.items():
        if any(_has_word(low, w) for w in words):
            found.add(region)
    if "north africa" in low:
        found.add("Middle East")  # "Middle East and North Africa", "North Africa"
    return found


def story_regions(result: BriefingResult) -> set[str]:
    """The regions of the states the story's article names most (or of its cities, if it names no state)."""
    regions: set[str] = set()
    for place, table in _top_places(result):
        regions |= table.get(place, set())
    return regions


def story_home(result: BriefingResult) -> str:
    """The region of the state (or city) the article names most (its first region when it has two)."""
    for place, table in _top_places(result):
        if place in table:
            return sorted(table[place], key=list(REGION_WORDS).index)[0]
    return ""


def _top_places(result: BriefingResult) -> list[tuple[str, dict[str, set[str]]]]:
    named = [m for m in result.article.names if m.kind == "state" and m.name in STATE_REGIONS]
    named.sort(key=lambda m: -len(m.sentences))
    if named:
        return [(m.name, STATE_REGIONS) for m in named[:TOP_STATES]]
    text = result.article.text
    head = text[:200].upper()  # a dateline: "NEW YORK (Reuters) -"
    counts = {
        city: len(re.findall(rf"(?<!\w){re.escape(city)}(?!\w)", text)) + (city.upper() in head)
        for city in CITY_REGIONS
        if city in text or city.upper() in head
    }
    ranked = sorted((c for c in counts if counts[c]), key=lambda c: -counts[c])
    return [(c, CITY_REGIONS) for c in ranked[:TOP_STATES]]


def _has_word(text: str, word: str) -> bool:
    at = text.find(word)
    while at >= 0:
        before, after = text[at - 1], text[at + len(word)] if at + len(word) < len(text) else " "
        if not before.isalnum() and not after.isalpha():
            return True
        at = text.find(word, at + 1)
    return False
