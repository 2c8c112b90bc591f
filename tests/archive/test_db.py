"""The archive file: migrations forward from an older version, WAL and foreign keys, clear errors.

tests/fixtures/archive-v1.db was written by the version-1 schema (migrations.V1) with the seed
briefing (tests/fixtures/seed-briefing.json) recorded as b1 and a digest d1 of it (story
s0000000001), before search and outcomes existed.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from briefing.archive.db import open_archive
from briefing.archive.migrations import LATEST
from briefing.archive.queries import search
from briefing.archive.record import record_briefing
from briefing.archive.review import due_judgments, record_outcome
from briefing.archive.timeline import build_timeline
from briefing.errors import ArchiveError
from tests.conftest import FIXTURES, load_result


def test_an_archive_of_version_1_opens_migrates_and_is_searchable(tmp_path):
    path = tmp_path / "archive.db"
    shutil.copy(FIXTURES / "archive-v1.db", path)
    with open_archive(path) as archive:
        conn = archive.conn
        assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == [1, 2]
        assert LATEST == 2
        assert [i.ref for i in search(archive, "Japan", limit=5)] == ["b1"]  # an actor, indexed by the migration
        assert [i.ref for i in search(archive, '"fostering dialogue around nuclear disarmament"', limit=5)] == [
            "b1"
        ]  # article text
        assert [i.ref for i in search(archive, "Korean talks collapse", limit=5)][0] == "d1"  # the digest's headline
        assert [d.digest for d in build_timeline(archive, "s0000000001").days] == ["archive:d1"]
        [due] = due_judgments(archive, as_of="2026-03-03")
        assert record_outcome(archive, due.ref, "happened").outcome == "happened"
        record_briefing(archive, load_result("full-briefing.json"), made_on="2026-03-04")
        assert conn.execute("SELECT count(*) FROM briefings").fetchone()[0] == 2
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_archive(path) as again:  # a second open applies nothing
        assert again.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 2


def test_wal_foreign_keys_and_atomic_results(tmp_path):
    with open_archive(tmp_path / "archive.db") as archive:
        conn = archive.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            with archive.transaction() as tx:
                tx.execute("INSERT INTO judgments (briefing_id, position, statement, likelihood, confidence,"
                           " horizon_days, due, evidence) VALUES (99, 1, 'x', 'likely', 'low', 30, '2026-01-01', '[]')")  # fmt: skip
        result = load_result("seed-briefing.json")
        first = record_briefing(archive, result, made_on="2026-03-03")
        assert record_briefing(archive, result, made_on="2026-03-05") == first  # the same briefing, once
        assert conn.execute("SELECT count(*) FROM judgments").fetchone()[0] == len(result.briefing.key_judgments)


def test_a_newer_or_broken_archive_is_a_clear_error(tmp_path):
    newer = tmp_path / "newer.db"
    with open_archive(newer) as archive:
        archive.conn.execute("INSERT INTO schema_version VALUES (99, 'later')")
    with pytest.raises(ArchiveError, match="made by a newer briefing"):
        open_archive(newer)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ArchiveError, match="cannot use the archive"):
        open_archive(broken)


def test_a_run_with_a_broken_archive_warns_and_writes_its_output(cli, llm, tmp_path, seed, isolated_env):
    isolated_env.mkdir(parents=True)
    (isolated_env / "archive.db").write_bytes(b"garbage" * 1000)
    result = cli("generate", seed, "--base-url", llm.url, "-o", tmp_path / "b.md")
    assert result.exit_code == 0, result.stderr
    assert "this run is not archived" in result.stderr and (tmp_path / "b.md").is_file()
    assert (isolated_env / "archive.db").read_bytes() == b"garbage" * 1000  # nothing the user had is lost


def test_no_archive_flag_and_config_switch(cli, llm, tmp_path, seed, isolated_env):
    assert cli("generate", seed, "--base-url", llm.url, "--no-archive").exit_code == 0
    assert not (isolated_env / "archive.db").exists()
    (isolated_env / "config.toml").write_text("[defaults]\narchive = false\n")
    assert cli("digest", seed, "--base-url", llm.url).exit_code == 0
    assert not (isolated_env / "archive.db").exists()
    (isolated_env / "config.toml").write_text("[defaults]\narchive = true\n")
    assert cli("generate", seed, "--base-url", llm.url).exit_code == 0
    with open_archive(isolated_env / "archive.db") as archive:
        assert archive.conn.execute("SELECT count(*) FROM briefings").fetchone()[0] == 1
