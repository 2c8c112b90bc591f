"""open_archive(): the archive's SQLite connection, set up for many processes at once. [disk]

WAL mode (readers never wait for a writer, and a writer killed mid-transaction leaves the last
commit intact), foreign keys on, and a busy timeout, so two cron jobs writing at once take turns
instead of failing. Every write goes through `Archive.transaction()`: BEGIN IMMEDIATE (the write
lock is taken up front, so two writers never deadlock upgrading a read lock), COMMIT or ROLLBACK.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from briefing.archive.migrations import migrate
from briefing.errors import ArchiveError

ARCHIVE_FILE = "archive.db"
BUSY_TIMEOUT_MS = 60_000


class Archive:
    """An open archive: `conn` for reads, `transaction()` for writes."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything in it lands, or nothing does."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def archive_path(home: Path) -> Path:
    return home / ARCHIVE_FILE


def open_archive(path: Path) -> Archive:
    """Open (creating if need be) and migrate the archive at `path`; ArchiveError if it cannot be used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; Archive.transaction() says where each begins.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise ArchiveError(f"cannot open the archive {path}: {exc}") from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: always consistent, durable to the last commit
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ArchiveError(f"cannot use the archive {path}: {exc}", hint="move it aside to start a new one") from None
    except BaseException:
        conn.close()
        raise
    return Archive(conn, path)
