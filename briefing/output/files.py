"""write_output(): put rendered text on disk atomically, under a safe name.   [disk]

A title is untrusted text: `../../etc/passwd`, an absolute path, `CON`, right-to-left override
characters or a 2,000-character headline must all give a short, harmless file name inside the
chosen folder. Writes go to a temp file in the same folder, then `os.replace`, so a reader (or a
killed run) never sees half a file, and an existing file is kept unless --force is given, even one
another process creates while we write (the new name is linked, never renamed over). New files get
the mode the umask gives, a replaced file keeps its mode. The cache writes its entries the same way
(write_atomic), private to the user.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import threading
import unicodedata
from pathlib import Path

from briefing.errors import OutputError

MAX_STEM = 80  # characters
MAX_STEM_BYTES = 160  # UTF-8 bytes: a name, its suffix and the temp file's additions stay far below 255
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_TEMP_SUFFIX = ".tmp"
_UMASK_LOCK = threading.Lock()


def safe_filename(title: str, suffix: str, *, fallback: str = "briefing") -> str:
    """A file name made from `title`: letters, digits and dashes only, never empty or reserved."""
    # Drop control and bidi-formatting characters (RLO and friends) before anything else.
    text = "".join(ch for ch in title if unicodedata.category(ch)[0] != "C")
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).lower())
    # Letters keep their accents and vowel signs (Arabic, Hindi): a mark is part of the word.
    text = "".join(ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else "-" for ch in text)
    stem = re.sub(r"-{2,}", "-", text).strip("-")[:MAX_STEM]
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.strip("-")
    if not stem or stem in _WINDOWS_RESERVED or not stem[0].isalnum():
        stem = f"{fallback}-{stem}".rstrip("-")
    return f"{stem}.{suffix.lstrip('.')}"


def resolve_destination(dest: str | None, title: str, fmt: str) -> Path | None:
    """Where -o points: a file, or a folder (then a safe name from the title). None means stdout."""
    if dest is None:
        return None
    path = Path(dest)
    if is_folder_destination(dest):
        return path / safe_filename(title, fmt)
    return path


def is_folder_destination(dest: str) -> bool:
    """True when -o names a folder (it ends in a slash or exists as one), so file names come from titles."""
    return dest.endswith(("/", os.sep)) or Path(dest).is_dir()


def write_output(text: str | bytes, path: Path, *, force: bool = False) -> Path:
    """Write `text` (or bytes, e.g. a PDF) to `path` atomically; refuse to replace a file unless `force`."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        if path.is_dir():
            raise OutputError(f"{path} is a folder")
        if path.is_file() and not force:
            raise OutputError(f"{path} exists; use --force to replace it")
        # A device, a named pipe or a symbolic link (/dev/stdout, latest.md -> ...) is written through,
        # never replaced: renaming over it would swap the link or the device node for a plain file.
        special = path.is_symlink() or (path.exists() and not path.is_file())
        if special:
            with path.open("wb") as f:
                f.write(data)
        else:
            write_atomic(path, data, replace=force)
    except FileExistsError:
        # Another process took the name between the check above and the write: theirs is kept.
        raise OutputError(f"{path} exists; use --force to replace it") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def write_atomic(
    path: Path, data: bytes, *, durable: bool = True, mode: int | None = None, replace: bool = True
) -> None:
    """Write `data` to a temp file beside `path`, then rename it over `path`: readers, and a run killed
    at any moment, see the old file or the new one, never half of one. Raises OSError, and
    FileExistsError when `replace` is false and `path` exists at the moment of writing.

    The file gets `mode`, or else the mode of the file it replaces, or else what the umask gives a
    new file (0644 under the usual 022), as `open()` would: never the temp file's private 0600.
    The temp file carries its writer's process id; a temp file left by a writer that is gone (killed
    with SIGKILL between the write and the rename) is removed by the next write of the same file.
    `durable` also waits for the data to reach the disk (outputs); a cache entry can do without.
    """
    _sweep_leftovers(path)
    if mode is None:
        mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=_TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _link_new(tmp: str, path: Path) -> None:
    """Give `tmp` the name `path` only if nothing has it yet (os.link never replaces), then drop `tmp`."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename (a narrow race remains)
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _mode_for(path: Path) -> int:
    """The permission bits for `path`: those of the file there now, else 0666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux: /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:  # elsewhere: set and restore, under a lock so no thread of ours sees 0
        old = os.umask(0o077)
        os.umask(old)
    return old


def _temp_prefix(path: Path) -> str:
    return f".{path.name[:60]}."


def _sweep_leftovers(path: Path) -> None:
    """Remove temp files of `path` whose writing process no longer exists."""
    prefix = _temp_prefix(path)
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(_TEMP_SUFFIX)]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and not _process_exists(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def _process_exists(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: leave its file alone
    return True
