"""build_changes(): what changed since the previous digest (--previous). Pure.

A story of today continues one of the previous digest when they share a source URL, when their
texts overlap (the same wire story, updated), or when they name largely the same people and bodies
(a follow-up on the same events). Pairs are matched greedily, best first, each story at most once.
Unmatched stories of today are new; unmatched stories of the previous digest dropped out.

For each continuing story, its risks are paired with yesterday's by title (fuzzy matching, since
the model words a risk a little differently each day), and a risk whose gravity (likelihood rank
plus twice the impact rank) moved is listed as rising or falling.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from briefing.digest.cover import risk_rank
from briefing.digest.dedupe import shingle_set
from briefing.digest_records import Changes, Digest, DroppedStory, RiskChange, Story
from briefing.records import Risk

MATCH_THRESHOLD = 0.5
MIN_SHARED_NAMES = 3
RISK_TITLE_SIMILARITY = 70.0


def build_changes(previous: Digest, stories: list[Story]) -> Changes:
    """Compare today's stories with the previous digest's."""
    scores = []
    for i, today in enumerate(stories):
        for j, before in enumerate(previous.stories):
            score = story_similarity(today, before)
            if score >= MATCH_THRESHOLD:
                scores.append((score, i, j))
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in sorted(scores, key=lambda t: (-t[0], t[1], t[2])):
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)

    changes = Changes(previous_title=previous.title, previous_date=previous.date)
    for i, story in enumerate(stories):
        if i not in matched:
            changes.new.append(story.number)
            continue
        changes.continuing.append(story.number)
        for risk, old, rose in _moved_risks(
            previous.stories[matched[i]].result.briefing.risks, story.result.briefing.risks
        ):
            change = RiskChange(story=story.number, risk=risk.title, before=_level(old), after=_level(risk))
            (changes.risks_rose if rose else changes.risks_fell).append(change)
    for j, story in enumerate(previous.stories):
        if j not in taken:
            b = story.result.briefing
            changes.dropped.append(DroppedStory(title=b.title, bluf=b.bluf, sources=[s.source for s in story.sources]))
    for moved in (changes.risks_rose, changes.risks_fell):
        moved.sort(key=lambda c: c.story)
    return changes


def story_similarity(a: Story, b: Story) -> float:
    """0..1: 1 for a shared URL, else the better of text overlap and overlap of the names they use."""
    urls_a = {s.source for s in a.sources if s.source.startswith(("http://", "https://"))}
    if urls_a & {s.source for s in b.sources}:
        return 1.0
    sa, sb = shingle_set(a.result.article.text), shingle_set(b.result.article.text)
    text = len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0
    na, nb = {m.name for m in a.result.article.names}, {m.name for m in b.result.article.names}
    shared = len(na & nb)
    names = shared / len(na | nb) if shared >= MIN_SHARED_NAMES else 0.0
    return max(text, names)


def _moved_risks(before: list[Risk], after: list[Risk]):
    """(today's risk, yesterday's, rose?) for each pair of same-titled risks whose gravity moved."""
    used: set[int] = set()
    for risk in after:
        best, best_score = None, RISK_TITLE_SIMILARITY
        for k, old in enumerate(before):
            score = fuzz.token_set_ratio(risk.title.lower(), old.title.lower())
            if k not in used and score >= best_score:
                best, best_score = k, score
        if best is None:
            continue
        used.add(best)
        old = before[best]
        rank_before, rank_after = risk_rank(old.likelihood, old.impact), risk_rank(risk.likelihood, risk.impact)
        if rank_before != rank_after:
            yield risk, old, rank_after > rank_before


def _level(risk: Risk) -> str:
    return f"{risk.likelihood}, {risk.impact} impact"
