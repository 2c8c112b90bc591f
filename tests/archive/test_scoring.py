"""The pure parts of keeping score: timeframes -> horizons, ICD 203 probabilities, Brier score."""

from __future__ import annotations

from datetime import date

import pytest

from briefing.archive.horizon import DEFAULT_HORIZON_DAYS, horizon_days
from briefing.archive.maintenance import parse_age
from briefing.archive.scoring import PROBABILITY, Scored, build_score
from briefing.errors import ArchiveError
from briefing.records import LIKELIHOODS

DAY = date(2026, 3, 3)


@pytest.mark.parametrize(
    ("timeframe", "days"),
    [
        (None, DEFAULT_HORIZON_DAYS),
        ("", DEFAULT_HORIZON_DAYS),
        ("The talks collapsed", DEFAULT_HORIZON_DAYS),
        ("within two weeks", 14),
        ("3 months", 90),
        ("next week", 7),
        ("in the coming weeks", 30),
        ("coming days", 7),
        ("within a year", 365),
        ("by June 2026", 119),
        ("by 2026-04-02", 30),
        ("by 2027", 668),
        ("by 2026-02-30", DEFAULT_HORIZON_DAYS),  # not a date: the default, not a crash
    ],
)
def test_horizon_days(timeframe, days):
    assert horizon_days(timeframe, DAY) == days


def test_every_icd_203_term_has_a_probability_in_rising_order():
    values = [PROBABILITY[t] for t in LIKELIHOODS]
    assert values == sorted(values) and values[3] == 0.5 and len(values) == 7


def test_brier_score_and_calibration_by_hand():
    judgments = [
        Scored("likely", "happened", "m", "p"),
        Scored("likely", "did not happen", "m", "p"),
        Scored("almost certain", "happened", "m", "p"),
        Scored("unlikely", "unclear", "m", "p"),
    ]
    score = build_score("all", judgments)
    assert score.brier == pytest.approx(((1 - 0.675) ** 2 + 0.675**2 + (1 - 0.97) ** 2) / 3)
    assert (score.scored, score.unclear) == (3, 1)
    assert [(r.term, r.count, r.happened, r.observed) for r in score.rows] == [
        ("likely", 2, 1, 0.5),
        ("almost certain", 1, 1, 1.0),
    ]
    assert build_score("none", [Scored("likely", "unclear", "m", "p")]).brier is None


@pytest.mark.parametrize(("text", "days"), [("180d", 180), ("26w", 182), ("6m", 180), ("1y", 365), (" 2D ", 2)])
def test_parse_age(text, days):
    assert parse_age(text) == days


@pytest.mark.parametrize("text", ["soon", "0d", "180", "-5d", "1.5y"])
def test_parse_age_refuses(text):
    with pytest.raises(ArchiveError):
        parse_age(text)
