"""Recorder: the archive as `generate` and `digest` use it, which never makes a run fail. [disk]

A run records each briefing as it lands (one transaction each), finds the previous digest of the
same title, gives the day's stories their ids and records the digest once its outputs are written.
If the archive cannot be opened or written (a newer schema, a full disk, a lock held past the busy
timeout), the run says so once on stderr, goes on unarchived, and its outputs are written as usual.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from briefing.archive.db import Archive, archive_path, open_archive
from briefing.archive.queries import latest_digest
from briefing.archive.record import record_briefing, record_digest
from briefing.archive.tracking import track_stories
from briefing.digest_records import Digest
from briefing.errors import ArchiveError
from briefing.records import BriefingResult

log = logging.getLogger(__name__)
T = TypeVar("T")


class Recorder:
    """An open archive for one run; `made_on` is the day its briefings speak for (a digest's --date)."""

    def __init__(self, archive: Archive, *, made_on: str, window_days: int) -> None:
        self.archive: Archive | None = archive
        self.made_on = made_on
        self.window_days = window_days

    @classmethod
    def open(cls, settings, *, enabled: bool = True, made_on: str | None = None) -> Recorder | None:
        """The run's recorder, or None when the archive is off (--no-archive, `archive = false`) or unusable."""
        if not enabled or not settings.archive:
            return None
        path = archive_path(settings.home)
        try:
            archive = open_archive(path)
        except ArchiveError as exc:
            log.warning("%s; this run is not archived", exc)
            return None
        return cls(archive, made_on=made_on or date.today().isoformat(), window_days=int(settings.story_window_days))

    def record_briefing(self, result: BriefingResult) -> None:
        self._guard(lambda a: record_briefing(a, result, made_on=self.made_on), None)

    def previous_digest(self, title: str, day: str) -> tuple[str, Digest] | None:
        """('archive:dN', digest) of the latest earlier digest of `title`, or None."""
        found = self._guard(lambda a: latest_digest(a, title, before=day), None)
        return None if found is None else (f"archive:{found[0]}", found[1])

    def track(self, digest: Digest, previous: Digest | None) -> None:
        """Set each story's archive id (before the digest is rendered, so every format shows it)."""
        self._guard(lambda a: track_stories(a, digest, previous, window_days=self.window_days), None)

    def record_digest(self, digest: Digest) -> str | None:
        """Record the digest; returns its ref (archive:dN), or None if it could not be."""
        digest_id = self._guard(lambda a: record_digest(a, digest), None)
        return None if digest_id is None else f"archive:d{digest_id}"

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None

    def _guard(self, action: Callable[[Archive], T], fallback: T) -> T:
        if self.archive is None:
            return fallback
        try:
            return action(self.archive)
        except (ArchiveError, sqlite3.Error, OSError, ValueError) as exc:
            log.warning("the archive %s failed (%s); the rest of this run is not archived", self.archive.path, exc)
            self.close()
            return fallback
