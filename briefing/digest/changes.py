"""build_changes(): what changed since the previous digest (--previous or the archive). Pure.

A story of today continues an earlier one when they share a source URL, when their texts overlap
(the same wire story, updated), or when they name largely the same people, bodies and places (a
follow-up on the same events). match_stories() pairs them greedily, best first, each at most once;
the archive uses the same rules on the stories it saw within a window of days (archive/tracking.py).
Unmatched stories of today are new; unmatched stories of the previous digest dropped out.

For each continuing story, its risks are paired with yesterday's by title (fuzzy matching, since
the model words a risk a little differently each day), and a risk whose gravity (likelihood rank
plus twice the impact rank) moved is listed as rising or falling; digest/assessment.py says what
else moved in its assessment (judgments, actors, risks that appeared or went away, indicators seen).
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.digest.assessment import build_story_change, pair_by_text
from briefing.digest.cover import risk_rank
from briefing.digest.dedupe import shingle_set
from briefing.digest_records import Changes, Digest, DroppedStory, RiskChange, Story
from briefing.records import Risk

MATCH_THRESHOLD = 0.5
MIN_SHARED_NAMES = 3
RISK_TITLE_SIMILARITY = 70.0


@dataclass(frozen=True)
class Trace:
    """What story matching looks at: the source URLs, the briefed text's shingles and the names it uses."""

    urls: frozenset[str]
    shingles: frozenset[int]
    names: frozenset[str]


def build_trace(story: Story) -> Trace:
    """The trace of one digest story."""
    article = story.result.article
    return trace_of([s.source for s in story.sources], article.text, [m.name for m in article.names])


def trace_of(sources: list[str], text: str, names: list[str]) -> Trace:
    """The trace of any story: its sources (only http(s) URLs count), its text and the names it uses."""
    return Trace(
        urls=frozenset(s for s in sources if s.startswith(("http://", "https://"))),
        shingles=frozenset(shingle_set(text)),
        names=frozenset(names),
    )


def build_changes(previous: Digest, stories: list[Story], *, compared_with: str = "") -> Changes:
    """Compare today's stories with the previous digest's; `compared_with` names where it came from."""
    matched = match_stories([build_trace(s) for s in stories], [build_trace(s) for s in previous.stories])
    changes = Changes(previous_title=previous.title, previous_date=previous.date, compared_with=compared_with)
    for i, story in enumerate(stories):
        if i not in matched:
            changes.new.append(story.number)
            continue
        changes.continuing.append(story.number)
        before = previous.stories[matched[i]]
        for risk, old, rose in _moved_risks(before.result.briefing.risks, story.result.briefing.risks):
            change = RiskChange(story=story.number, risk=risk.title, before=_level(old), after=_level(risk))
            (changes.risks_rose if rose else changes.risks_fell).append(change)
        changes.stories.append(build_story_change(story, before))
    taken = set(matched.values())
    for j, story in enumerate(previous.stories):
        if j not in taken:
            b = story.result.briefing
            changes.dropped.append(DroppedStory(title=b.title, bluf=b.bluf, sources=[s.source for s in story.sources]))
    for moved in (changes.risks_rose, changes.risks_fell):
        moved.sort(key=lambda c: c.story)
    changes.stories.sort(key=lambda c: c.story)
    return changes


def match_stories(today: list[Trace], before: list[Trace]) -> dict[int, int]:
    """{index in today: index in before} for the pairs that are one story, best pairs first, each once."""
    scores = []
    for i, a in enumerate(today):
        for j, b in enumerate(before):
            score = trace_similarity(a, b)
            if score >= MATCH_THRESHOLD:
                scores.append((score, i, j))
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in sorted(scores, key=lambda t: (-t[0], t[1], t[2])):
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)
    return matched


def trace_similarity(a: Trace, b: Trace) -> float:
    """0..1: 1 for a shared URL, else the better of text overlap and overlap of the names they use."""
    if a.urls & b.urls:
        return 1.0
    sa, sb = a.shingles, b.shingles
    text = len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
    shared = len(a.names & b.names)
    names = shared / len(a.names | b.names) if shared >= MIN_SHARED_NAMES else 0.0
    return max(text, names)


def _moved_risks(before: list[Risk], after: list[Risk]):
    """(today's risk, yesterday's, rose?) for each pair of same-titled risks whose gravity moved."""
    pairs = pair_by_text([r.title for r in after], [r.title for r in before], RISK_TITLE_SIMILARITY)
    for k, risk in enumerate(after):
        if k not in pairs:
            continue
        old = before[pairs[k]]
        rank_before, rank_after = risk_rank(old.likelihood, old.impact), risk_rank(risk.likelihood, risk.impact)
        if rank_before != rank_after:
            yield risk, old, rank_after > rank_before


def _level(risk: Risk) -> str:
    return f"{risk.likelihood}, {risk.impact} impact"
