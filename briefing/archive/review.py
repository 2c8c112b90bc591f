"""Judgments that keep score: those past their horizon, their outcomes, what scoring.py needs. [disk]

A judgment's horizon ends on its `due` date (the day its briefing speaks for, plus the days its
timeframe gives, 30 by default: archive/horizon.py). Outcomes are recorded by hand with
`briefing review REF OUTCOME`; recording one again replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from briefing.archive.db import Archive
from briefing.archive.queries import parse_ref
from briefing.archive.scoring import OUTCOMES, Scored
from briefing.errors import ArchiveError

_SELECT = (
    "SELECT j.id, j.due, j.likelihood, j.confidence, j.statement, j.timeframe, b.title, b.made_on, b.model,"
    " o.outcome, o.note FROM judgments j JOIN briefings b ON b.id = j.briefing_id"
    " LEFT JOIN outcomes o ON o.judgment_id = j.id"
)


@dataclass(frozen=True)
class Judgment:
    """One archived key judgment, with its outcome if one is recorded."""

    ref: str
    due: str
    likelihood: str
    confidence: str
    statement: str
    timeframe: str | None
    briefing: str
    made_on: str
    model: str
    outcome: str | None
    note: str | None


def due_judgments(archive: Archive, *, as_of: str, reviewed: bool = False, limit: int = 50) -> list[Judgment]:
    """Judgments whose horizon ended by `as_of`, oldest first; without an outcome unless `reviewed`."""
    where = "j.due <= ?" + ("" if reviewed else " AND o.outcome IS NULL")
    rows = archive.conn.execute(f"{_SELECT} WHERE {where} ORDER BY j.due, j.id LIMIT ?", (as_of, limit)).fetchall()
    return [_judgment(r) for r in rows]


def count_pending(archive: Archive, *, as_of: str) -> tuple[int, int]:
    """(past their horizon without an outcome, not yet due)."""
    row = archive.conn.execute(
        "SELECT sum(j.due <= ? AND o.outcome IS NULL), sum(j.due > ?) FROM judgments j"
        " LEFT JOIN outcomes o ON o.judgment_id = j.id",
        (as_of, as_of),
    ).fetchone()
    return row[0] or 0, row[1] or 0


def record_outcome(archive: Archive, ref: str, outcome: str, note: str | None = None) -> Judgment:
    """Record (or replace) the outcome of judgment `ref` (j12); returns it as now recorded."""
    if outcome not in OUTCOMES:
        raise ArchiveError(f"{outcome!r} is not an outcome", hint="happened, did-not or unclear")
    _, number = parse_ref(ref, kinds="j")
    with archive.transaction() as conn:
        if conn.execute("SELECT 1 FROM judgments WHERE id = ?", (number,)).fetchone() is None:
            raise ArchiveError(f"no judgment j{number} in {archive.path}", hint="`briefing review` lists them")
        conn.execute(
            "INSERT INTO outcomes (judgment_id, outcome, note, recorded_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (judgment_id) DO UPDATE SET outcome = excluded.outcome, note = excluded.note,"
            " recorded_at = excluded.recorded_at",
            (number, outcome, note, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    row = archive.conn.execute(f"{_SELECT} WHERE j.id = ?", (number,)).fetchone()
    return _judgment(row)


def scored_judgments(archive: Archive) -> list[Scored]:
    """Every judgment with a recorded outcome, with the model and prompt of its briefing."""
    rows = archive.conn.execute(
        "SELECT j.likelihood, o.outcome, b.model, b.prompt FROM outcomes o JOIN judgments j ON j.id = o.judgment_id"
        " JOIN briefings b ON b.id = j.briefing_id ORDER BY j.id"
    ).fetchall()
    return [Scored(r["likelihood"], r["outcome"], r["model"], r["prompt"]) for r in rows]


def _judgment(r) -> Judgment:
    return Judgment(
        ref=f"j{r['id']}",
        due=r["due"],
        likelihood=r["likelihood"],
        confidence=r["confidence"],
        statement=r["statement"],
        timeframe=r["timeframe"],
        briefing=r["title"],
        made_on=r["made_on"],
        model=r["model"],
        outcome=r["outcome"],
        note=r["note"],
    )
