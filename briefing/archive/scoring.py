"""The Brier score and calibration of judgments whose outcome is known. Pure.

Each ICD 203 likelihood term stands for a band of probability; scoring needs one number, so each
term is scored at the middle of its band in ICD 203's table of expressions of likelihood:

    almost no chance      01-05%   0.03        likely               55-80%   0.675
    very unlikely         05-20%   0.125       very likely          80-95%   0.875
    unlikely              20-45%   0.325       almost certain       95-99%   0.97
    roughly even chance   45-55%   0.50

The Brier score is the mean of (p - o)^2 over judgments with outcome o = 1 (happened) or 0 (did not
happen); 0 is perfect and 0.25 is what always saying "roughly even chance" earns. Outcomes marked
unclear are counted but not scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.records import LIKELIHOODS

PROBABILITY: dict[str, float] = dict(zip(LIKELIHOODS, (0.03, 0.125, 0.325, 0.50, 0.675, 0.875, 0.97)))
HAPPENED, DID_NOT, UNCLEAR = "happened", "did not happen", "unclear"
OUTCOMES = (HAPPENED, DID_NOT, UNCLEAR)


@dataclass(frozen=True)
class Scored:
    """One judgment with a recorded outcome, and who made it."""

    likelihood: str
    outcome: str
    model: str
    prompt: str


@dataclass
class Row:
    """One line of a calibration table: a likelihood term, how often it was used and came true."""

    term: str
    probability: float
    count: int = 0
    happened: int = 0

    @property
    def observed(self) -> float | None:
        return self.happened / self.count if self.count else None


@dataclass
class Score:
    """The Brier score and calibration table of a group of judgments (all, one model, one prompt)."""

    name: str
    brier: float | None
    scored: int
    unclear: int
    rows: list[Row] = field(default_factory=list)


def build_score(name: str, judgments: list[Scored]) -> Score:
    """Score `judgments` (those marked unclear are counted, not scored)."""
    known = [j for j in judgments if j.outcome != UNCLEAR]
    rows = {term: Row(term, PROBABILITY[term]) for term in LIKELIHOODS}
    total = 0.0
    for j in known:
        hit = 1.0 if j.outcome == HAPPENED else 0.0
        total += (PROBABILITY[j.likelihood] - hit) ** 2
        rows[j.likelihood].count += 1
        rows[j.likelihood].happened += int(hit)
    return Score(
        name=name,
        brier=total / len(known) if known else None,
        scored=len(known),
        unclear=len(judgments) - len(known),
        rows=[r for r in rows.values() if r.count],
    )


def build_scores(judgments: list[Scored], by: str) -> list[Score]:
    """One Score per model or per prompt (`by`), in name order."""
    groups: dict[str, list[Scored]] = {}
    for j in judgments:
        groups.setdefault(getattr(j, by), []).append(j)
    return [build_score(name, groups[name]) for name in sorted(groups)]
