"""write_output(): put rendered text on disk atomically, under a safe name.   [disk]

A title is untrusted text: `../../etc/passwd`, an absolute path, `CON`, right-to-left override
characters or a 2,000-character headline must all give a short, harmless file name inside the
chosen folder. Writes go to a temp file in the same folder, then `os.replace`, so a reader (or a
killed run) never sees half a file, and an existing file is kept unless --force is given.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from briefing.errors import OutputError

MAX_STEM = 80
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_filename(title: str, suffix: str, *, fallback: str = "briefing") -> str:
    """A file name made from `title`: letters, digits and dashes only, never empty or reserved."""
    text = unicodedata.normalize("NFKC", title)
    # Drop control and bidi-formatting characters (RLO and friends) before anything else.
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = text.lower()
    stem = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    stem = re.sub(r"-{2,}", "-", stem)[:MAX_STEM].strip("-_")
    if not stem or stem.split(".")[0] in _WINDOWS_RESERVED:
        stem = f"{fallback}-{stem}" if stem else fallback
    return f"{stem}.{suffix.lstrip('.')}"


def resolve_destination(dest: str | None, title: str, fmt: str) -> Path | None:
    """Where -o points: a file, or a folder (then a safe name from the title). None means stdout."""
    if dest is None:
        return None
    path = Path(dest)
    if dest.endswith(("/", os.sep)) or path.is_dir():
        return path / safe_filename(title, fmt)
    return path


def write_output(text: str | bytes, path: Path, *, force: bool = False) -> Path:
    """Write `text` (or bytes, e.g. a PDF) to `path` atomically; refuse to replace a file unless `force`."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
    if path.exists() and not force:
        raise OutputError(f"{path} exists; use --force to replace it")
    if path.is_dir():
        raise OutputError(f"{path} is a folder")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        binary = isinstance(text, bytes)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path
