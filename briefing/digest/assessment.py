"""build_story_change(): what moved in the assessment of one continuing story since the previous digest. Pure.

Judgments and risks are paired with yesterday's by their wording (fuzzy: the model rewords a little
every day). A judgment whose likelihood or confidence moved is listed with the sentences it now cites
that yesterday's article did not have: the new reporting that moved it. Actors the briefing names for
the first time are new; risks without a partner appeared or went away. An indicator of yesterday's
risks counts as seen when a sentence new today carries most of its words (see `reports`).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from briefing.change_records import IndicatorSeen, JudgmentShift, StoryChange
from briefing.digest.dedupe import normalise_words
from briefing.digest_records import Story

JUDGMENT_SIMILARITY = 60.0
RISK_SIMILARITY = 70.0
STEM = 5  # words compare by their first letters: "sanction", "sanctions", "sanctioned"
MIN_INDICATOR_WORDS = 2
INDICATOR_COVERAGE = 0.6
_STOPWORDS = frozenset(
    "about after again against also been before being between could does from have into more most other over "
    "said says such than that their them then there these they this those under until very were what when "
    "where which while will with would".split()
)


def build_story_change(today: Story, before: Story) -> StoryChange:
    """Compare a story with the one it continues (numbers are each digest's own)."""
    now, then = today.result.briefing, before.result.briefing
    seen = {_key(s) for s in before.result.article.sentences}
    new_sentences = {n for n, s in enumerate(today.result.article.sentences, 1) if _key(s) not in seen}
    change = StoryChange(story=today.number, previous_story=before.number)

    pairs = pair_by_text(
        [j.statement for j in now.key_judgments], [j.statement for j in then.key_judgments], JUDGMENT_SIMILARITY
    )
    for k, judgment in enumerate(now.key_judgments):
        if k not in pairs:
            continue
        old = then.key_judgments[pairs[k]]
        if (old.likelihood, old.confidence) != (judgment.likelihood, judgment.confidence):
            change.judgments_moved.append(
                JudgmentShift(
                    statement=judgment.statement,
                    likelihood_before=old.likelihood,
                    likelihood_after=judgment.likelihood,
                    confidence_before=old.confidence,
                    confidence_after=judgment.confidence,
                    sentences=[n for n in judgment.evidence if n in new_sentences],
                )
            )

    known = {a.name.casefold() for a in then.key_actors}
    change.actors_new = [a.name for a in now.key_actors if a.name.casefold() not in known]

    risks = pair_by_text([r.title for r in now.risks], [r.title for r in then.risks], RISK_SIMILARITY)
    change.risks_appeared = [r.title for k, r in enumerate(now.risks) if k not in risks]
    change.risks_gone = [r.title for j, r in enumerate(then.risks) if j not in set(risks.values())]

    sentences = today.result.article.sentences
    for risk in then.risks:
        for indicator in risk.indicators:
            hits = [n for n in sorted(new_sentences) if reports(sentences[n - 1], indicator)]
            if hits:
                change.indicators_seen.append(IndicatorSeen(risk=risk.title, indicator=indicator, sentences=hits))
    return change


def pair_by_text(today: list[str], before: list[str], threshold: float) -> dict[int, int]:
    """{index in today: index in before}: each text of today with its closest unused one of before."""
    used: set[int] = set()
    pairs: dict[int, int] = {}
    for k, text in enumerate(today):
        best, best_score = None, threshold
        for j, old in enumerate(before):
            score = fuzz.token_set_ratio(text.lower(), old.lower())
            if j not in used and score >= best_score:
                best, best_score = j, score
        if best is not None:
            used.add(best)
            pairs[k] = best
    return pairs


def reports(sentence: str, indicator: str) -> bool:
    """True when `sentence` carries most of the indicator's content words (at least two of them)."""
    wanted = _stems(indicator)
    if len(wanted) < MIN_INDICATOR_WORDS:
        return False
    found = wanted & _stems(sentence)
    return len(found) >= MIN_INDICATOR_WORDS and len(found) / len(wanted) >= INDICATOR_COVERAGE


def _stems(text: str) -> set[str]:
    return {
        w[:STEM] for w in normalise_words(text) if len(w) >= 4 and w not in _STOPWORDS and not re.fullmatch(r"\d+", w)
    }


def _key(sentence: str) -> str:
    return " ".join(normalise_words(sentence))
