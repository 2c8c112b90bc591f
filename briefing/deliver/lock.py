"""hold_lock(): one run of a named brief at a time, through a lock file in BRIEFING_HOME/locks.  [disk]

The lock is an flock(2) on the file, not the file's existence: the kernel drops it the moment its
process ends, however it ends (SIGKILL, a crash, a reboot), so a lock left by a killed run is never
stale; the next run simply takes it. The file holds the holder's pid and start time, for the
message the second run prints and for the note that a killed run's leftovers were taken over. The
file is opened close-on-exec, so Chromium or any other child never inherits the lock. The file is
kept, never deleted: deleting it would let a third run lock a new file while the second still
holds the old one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from briefing.errors import BriefRunningError, ConfigError

log = logging.getLogger(__name__)


def lock_path(home: Path, name: str) -> Path:
    """Where the lock of brief `name` lives (the name is a config.toml table name: safe as it is)."""
    return home / "locks" / f"{name}.lock"


@contextlib.contextmanager
def hold_lock(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at `path` while the block runs; BriefRunningError (exit 5) if a live run holds it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise ConfigError(f"cannot open the lock file {path}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid, since = _holder(fd)
            who = f" (pid {pid}, started {since})" if pid else ""
            raise BriefRunningError(
                f"{what} is already running{who}; not starting a second run",
                hint=f"lock {path}",
            ) from None
        except OSError as exc:
            raise ConfigError(f"cannot lock {path}: {exc.strerror or exc}") from None
        pid, since = _holder(fd)
        if pid and pid != os.getpid():
            log.info("%s: taking over the lock of pid %s (started %s), which is no longer running", what, pid, since)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now().astimezone().isoformat(timespec='seconds')}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # a clean end leaves no pid behind
    finally:
        os.close(fd)  # closing releases the flock


def _holder(fd: int) -> tuple[int | None, str]:
    """The pid and start time written by the lock's holder, if any."""
    try:
        text = os.pread(fd, 200, 0).decode("ascii", "replace").split()
    except OSError:
        return None, ""
    if text and text[0].isdigit():
        return int(text[0]), text[1] if len(text) > 1 else "?"
    return None, ""
