"""`briefing review`: judgments past their horizon, their outcomes, and the Brier score by model and prompt."""

from __future__ import annotations

from typing import Annotated

import typer

from briefing.cli import app
from briefing.cli.common import cli_errors
from briefing.cli.history import open_user_archive
from briefing.cli.options import ProfileOpt

_OUTCOMES = {
    "happened": "happened",
    "did-not": "did not happen",
    "did-not-happen": "did not happen",
    "unclear": "unclear",
}


@app.command()
def review(
    judgment: Annotated[
        str | None, typer.Argument(help="A judgment's ref (j12) to record an outcome for.", show_default=False)
    ] = None,
    outcome: Annotated[str | None, typer.Argument(help="happened, did-not or unclear.", show_default=False)] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, or where it was seen.", show_default=False)] = None,
    report: Annotated[
        bool, typer.Option("--report", help="Print the Brier score and calibration by model and by prompt.")
    ] = False,
    reviewed: Annotated[bool, typer.Option("--all", help="List those with an outcome too.")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="List judgments due by this date, YYYY-MM-DD [default: today].", show_default=False
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="List at most this many.")] = 50,
    profile: ProfileOpt = None,
) -> None:
    """List key judgments whose horizon has passed, record what happened, and keep score.

    Each key judgment is archived with its likelihood and a horizon: the timeframe the model gave,
    or 30 days from the day of its briefing. Scoring maps the ICD 203 terms to fixed probabilities
    (almost no chance 0.03, very unlikely 0.125, unlikely 0.325, roughly even chance 0.5, likely
    0.675, very likely 0.875, almost certain 0.97).

    Examples:

      briefing review

      briefing review j12 happened --note "talks resumed on 3 April"

      briefing review --report
    """
    with cli_errors():
        if report:
            if judgment or outcome:
                raise typer.BadParameter("--report takes no judgment or outcome")
            _report(profile)
            return
        if judgment is not None:
            if outcome not in _OUTCOMES:
                raise typer.BadParameter(
                    f"{outcome!r} is not happened, did-not or unclear"
                    if outcome
                    else "give an outcome: happened, did-not or unclear",
                    param_hint="OUTCOME",
                )
            _record(judgment, _OUTCOMES[outcome], note, profile)
            return
        _list(_check_day(as_of), reviewed=reviewed, limit=limit, profile=profile)


def _list(day: str, *, reviewed: bool, limit: int, profile) -> None:
    from briefing.archive.review import count_pending, due_judgments

    with open_user_archive(profile) as archive:
        rows = due_judgments(archive, as_of=day, reviewed=reviewed, limit=limit)
        pending, later = count_pending(archive, as_of=day)
    for j in rows:
        done = f"  [{j.outcome}{': ' + j.note if j.note else ''}]" if j.outcome else ""
        typer.echo(f"{j.ref:>6}  due {j.due}  {j.likelihood} ({j.confidence})  {j.statement}{done}")
        typer.echo(f"        from “{j.briefing}” of {j.made_on}, {j.model}{', ' + j.timeframe if j.timeframe else ''}")
    typer.echo(
        f"{pending} judgment(s) past their horizon without an outcome, {later} not yet due"
        + ("; record one with: briefing review REF happened|did-not|unclear" if pending else "")
    )


def _record(ref: str, outcome: str, note: str | None, profile) -> None:
    from briefing.archive.review import record_outcome

    with open_user_archive(profile) as archive:
        j = record_outcome(archive, ref, outcome, note)
    typer.echo(f"{j.ref}: {outcome}{' (' + note + ')' if note else ''}: {j.statement}")


def _report(profile) -> None:
    from briefing.archive.review import scored_judgments
    from briefing.archive.scoring import build_score, build_scores

    with open_user_archive(profile) as archive:
        judgments = scored_judgments(archive)
    if not judgments:
        typer.echo("no outcomes recorded yet: `briefing review` lists the judgments past their horizon")
        return
    overall = build_score("all", judgments)
    if overall.brier is None:
        typer.echo(f"{overall.unclear} outcome(s) recorded, all unclear: nothing to score yet")
        return
    typer.echo(
        f"Brier score {overall.brier:.3f} over {overall.scored} judgment(s) with a known outcome"
        f"{f' ({overall.unclear} unclear, not scored)' if overall.unclear else ''}; 0 is perfect, "
        "0.25 is always saying roughly even chance."
    )
    for by in ("model", "prompt"):
        for score in build_scores(judgments, by):
            brier = "-" if score.brier is None else f"{score.brier:.3f}"
            typer.echo(f"\nBy {by}: {score.name}: Brier {brier}, {score.scored} scored, {score.unclear} unclear")
            typer.echo(f"  {'likelihood':<20} {'p':>6} {'n':>4} {'happened':>9} {'observed':>9}")
            for row in score.rows:
                observed = "-" if row.observed is None else f"{row.observed:.2f}"
                typer.echo(f"  {row.term:<20} {row.probability:>6.3f} {row.count:>4} {row.happened:>9} {observed:>9}")


def _check_day(text: str | None) -> str:
    import datetime

    if text is None:
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2026-03-04", param_hint="--as-of") from None
