"""Two digests writing into one archive at once, and a digest killed while it writes (subprocesses)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.articles import write_articles
from tests.llm_server import LLMServer


def digest_args(folder, llm, title: str, out) -> list[str]:
    return [sys.executable, "-m", "briefing", "digest", str(folder), "--base-url", llm.url, "--title", title,
            "--date", "2026-03-04", "-j", "2", "-f", "json", "-o", str(out)]  # fmt: skip


def count(db, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def test_two_concurrent_digests_both_land(tmp_path, isolated_env):
    write_articles(tmp_path / "morning", 5, start=0)
    write_articles(tmp_path / "evening", 5, start=3)  # articles 3 and 4 are in both
    with LLMServer(latency=0.05) as llm:
        runs = [
            subprocess.Popen(
                digest_args(tmp_path / name, llm, name.title(), tmp_path / f"{name}.json"),
                env=dict(os.environ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )  # fmt: skip
            for name in ("morning", "evening")
        ]
        errors = [p.communicate(timeout=120)[1].decode() for p in runs]
    assert [p.returncode for p in runs] == [0, 0], errors
    assert all("archived as archive:d" in e for e in errors)
    db = sqlite3.connect(isolated_env / "archive.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(r[0] for r in db.execute("SELECT title FROM digests")) == ["Evening", "Morning"]
    assert count(db, "SELECT count(*) FROM digest_stories") == 10
    assert count(db, "SELECT count(*) FROM articles") == 8  # the two shared articles once each
    assert count(db, "SELECT count(*) FROM briefings") == 8
    shared = db.execute(
        "SELECT count(DISTINCT story_id) FROM digest_stories GROUP BY briefing_id HAVING count(*) = 2"
    ).fetchall()
    assert shared == [(1,), (1,)]  # a story both ran is one story, with one id


def test_a_digest_killed_while_writing_leaves_a_consistent_archive_and_resumes(tmp_path, isolated_env):
    write_articles(tmp_path / "in", 8)
    path = isolated_env / "archive.db"
    with LLMServer(latency=0.15) as llm:
        args = digest_args(tmp_path / "in", llm, "Daily brief", tmp_path / "d.json")
        process = subprocess.Popen(args, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            recorded = 0
            while recorded < 3 and time.monotonic() < deadline:
                if path.exists():
                    try:
                        with sqlite3.connect(path, timeout=5) as db:
                            recorded = count(db, "SELECT count(*) FROM briefings")
                    except sqlite3.OperationalError:
                        recorded = 0  # the writer is still creating the tables
                time.sleep(0.005)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = count(db, "SELECT count(*) FROM briefings")
        assert 3 <= kept < 8 and count(db, "SELECT count(*) FROM digests") == 0
        # every briefing kept is whole: its judgments, risks and search row landed with it
        assert count(db, "SELECT count(*) FROM briefings WHERE id NOT IN (SELECT briefing_id FROM risks)") == 0
        assert count(db, "SELECT count(*) FROM search") == kept
        db.close()

        done = subprocess.run(args, env=dict(os.environ), capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert count(db, "SELECT count(*) FROM briefings") == 8  # the missing ones, once each
    assert count(db, "SELECT count(DISTINCT article_id) FROM briefings") == 8
    assert count(db, "SELECT count(*) FROM digests") == 1 and count(db, "SELECT count(*) FROM digest_stories") == 8
    assert count(db, "SELECT count(*) FROM search") == 9
