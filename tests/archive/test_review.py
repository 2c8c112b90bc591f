"""`briefing review`: judgments past their horizon, outcomes recorded, and a Brier score checked by hand."""

from __future__ import annotations

import re

from briefing.archive.db import open_archive
from briefing.archive.record import record_briefing
from tests.conftest import load_result


def archive_two_briefings(home) -> None:
    """seed: 1 judgment (likely; its model qwen...); full: 4 (likely, very likely, likely, roughly even; gpt-4o-mini)."""
    with open_archive(home / "archive.db") as archive:
        record_briefing(archive, load_result("seed-briefing.json"), made_on="2026-01-01")
        full = load_result("full-briefing.json")
        full.briefing.key_judgments[1].timeframe = "by June 2026"  # due on 2026-06-30, not by 2026-02-01
        record_briefing(archive, full, made_on="2026-01-01")


def test_review_lists_due_judgments_records_outcomes_and_reports_a_brier_score(cli, isolated_env):
    archive_two_briefings(isolated_env)
    empty = cli("review", "--report")
    assert empty.exit_code == 0 and "no outcomes recorded yet" in empty.stdout

    listed = cli("review", "--as-of", "2026-02-01")
    assert listed.exit_code == 0, listed.stderr
    assert re.findall(r"^\s+(j\d+)  due 2026-01-31", listed.stdout, re.M) == ["j1", "j2", "j4", "j5"]
    assert "4 judgment(s) past their horizon without an outcome, 1 not yet due" in listed.stdout

    for ref, outcome in [
        ("j1", "happened"),
        ("j2", "happened"),
        ("j3", "did-not"),
        ("j4", "unclear"),
        ("j5", "did-not"),
    ]:
        done = cli("review", ref, outcome, "--note", "checked")
        assert done.exit_code == 0 and done.stdout.startswith(f"{ref}: "), done.stderr
    assert "0 judgment(s) past their horizon" in cli("review", "--as-of", "2026-12-31").stdout
    assert "[happened: checked]" in cli("review", "--all", "--as-of", "2026-12-31").stdout

    report = cli("review", "--report")
    assert report.exit_code == 0, report.stderr
    # By hand: likely = 0.675, very likely = 0.875, roughly even chance = 0.5 (the mid-points of ICD 203's bands).
    # j1 likely happened, j2 likely happened, j3 very likely did not, j5 even did not; j4 is unclear.
    brier = ((1 - 0.675) ** 2 + (1 - 0.675) ** 2 + (0 - 0.875) ** 2 + (0 - 0.5) ** 2) / 4
    assert f"Brier score {brier:.3f} over 4 judgment(s) with a known outcome (1 unclear, not scored)" in report.stdout
    gpt = ((1 - 0.675) ** 2 + 0.875**2 + 0.5**2) / 3
    assert f"By model: gpt-4o-mini: Brier {gpt:.3f}, 3 scored, 1 unclear" in report.stdout
    assert f"By model: qwen2.5-coder-1.5b-instruct-q4_k_m: Brier {(1 - 0.675) ** 2:.3f}, 1 scored" in report.stdout
    assert "By prompt: policy: Brier" in report.stdout
    table = report.stdout.split("By model: gpt-4o-mini")[1].split("By model")[0]
    assert re.search(r"likely\s+0\.675\s+1\s+1\s+1\.00", table)
    assert re.search(r"very likely\s+0\.875\s+1\s+0\s+0\.00", table)


def test_review_bad_input_is_one_line(cli, isolated_env):
    archive_two_briefings(isolated_env)
    for args, code, text in [
        (["j1", "maybe"], 2, "is not happened, did-not or unclear"),
        (["j1"], 2, "give an outcome"),
        (["j99", "happened"], 1, "no judgment j99"),
        (["x1", "happened"], 1, "is not an archive ref"),
        (["--as-of", "soon"], 2, "is not a date"),
    ]:
        result = cli("review", *args)
        assert result.exit_code == code and text in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
