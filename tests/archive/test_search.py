"""`briefing history`, `history search` (FTS5, ranked, snippets), `render archive:REF`, prune and export."""

from __future__ import annotations

import json
import re
from datetime import date

from briefing.archive.db import open_archive
from briefing.archive.record import record_briefing
from tests.conftest import load_result


def archive_three(home) -> None:
    """b1 names Fumio Kishida as an actor; b2 only mentions him in its article; b3 has neither."""
    with open_archive(home / "archive.db") as archive:
        full = load_result("full-briefing.json")
        record_briefing(archive, full, made_on="2020-03-01")
        seed = load_result("seed-briefing.json")
        seed.article.text += "\n\nFumio Kishida spoke later."
        record_briefing(archive, seed, made_on="2020-03-02")
        other = load_result("seed-briefing.json")
        other.article.text = "Grain exports through the Black Sea resumed on Monday, officials in Odesa said."
        other.briefing.title = "Grain corridor reopens"
        other.briefing.key_actors[0].name = "Odesa port authority"
        record_briefing(archive, other, made_on="2020-03-03")


def test_search_finds_an_actor_and_a_phrase_ranked_with_snippets(cli, isolated_env):
    archive_three(isolated_env)
    actor = cli("history", "search", "Kishida")
    assert actor.exit_code == 0, actor.stderr
    assert re.findall(r"^\s+(b\d+)  ", actor.stdout, re.M) == ["b1", "b2"]  # the actor outranks a mention
    assert "**Kishida**" in actor.stdout and "score " in actor.stdout

    phrase = cli("history", "search", '"Black Sea resumed"')
    assert re.findall(r"^\s+(b\d+)  ", phrase.stdout, re.M) == ["b3"]
    assert "Grain exports through the **Black Sea resumed** on Monday" in phrase.stdout

    assert "no matches for 'zeppelin'" in cli("history", "search", "zeppelin").stdout


def test_an_fts_syntax_error_is_one_clear_line_and_exit_2(cli, isolated_env):
    archive_three(isolated_env)
    for query in ['"unclosed phrase', "Kishida AND", "(talks"]:
        result = cli("history", "search", query)
        assert result.exit_code == 2, (query, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {query!r} is not a valid search query (")
        assert "Traceback" not in result.stderr


def test_history_lists_renders_prunes_and_exports(cli, isolated_env, tmp_path):
    archive_three(isolated_env)
    listed = cli("history", "-n", "2")
    assert re.findall(r"^\s+(b\d+)  ", listed.stdout, re.M) == ["b3", "b2"]
    rendered = cli("render", "archive:b3", "-f", "md")
    assert rendered.exit_code == 0 and "Grain corridor reopens" in rendered.stdout
    missing = cli("render", "archive:d9")
    assert missing.exit_code == 1 and "no digest d9" in missing.stderr

    exported = cli("history", "export", "-o", tmp_path / "all.jsonl")
    assert exported.exit_code == 0, exported.stderr
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert {r["table"] for r in rows} >= {"articles", "briefings", "judgments", "risks"}
    briefing = next(r for r in rows if r["table"] == "briefings" and r["id"] == 3)
    assert briefing["json"]["briefing"]["title"] == "Grain corridor reopens"  # the saved JSON, parsed

    with open_archive(isolated_env / "archive.db") as archive:
        record_briefing(archive, load_result("seed-briefing.json"), made_on=date.today().isoformat())
    assert cli("history", "prune", "--older-than", "soon").exit_code == 2
    pruned = cli("history", "prune", "--older-than", "180d")
    # the seed article stays: today's briefing is of it
    assert pruned.exit_code == 0 and "pruned 0 digests, 3 briefings, 2 articles" in pruned.stdout
    assert re.findall(r"^\s+(b\d+)  ", cli("history").stdout, re.M) == ["b4"]  # today's stays
    assert cli("history", "search", "Odesa").stdout.startswith("no matches")
    with open_archive(isolated_env / "archive.db") as archive:
        assert archive.conn.execute("SELECT count(*) FROM judgments").fetchone()[0] == 1
        assert archive.conn.execute("PRAGMA foreign_key_check").fetchall() == []
