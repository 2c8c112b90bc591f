"""load_saved(): read a briefing or digest saved with -f json; render_saved() renders one again. [disk]"""

from __future__ import annotations

from pathlib import Path

from briefing.digest_records import Digest
from briefing.output.render import render_briefing, render_digest
from briefing.records import BriefingResult


def render_saved(
    path: Path,
    fmt: str,
    *,
    template: str | None = None,
    dirs: list[Path] | None = None,
    variables: dict[str, str] | None = None,
    classification: str | None = None,
) -> tuple[str, str]:
    """Load a saved briefing or digest and render it; returns (text, title for the file name)."""
    saved = load_saved(path)
    if isinstance(saved, Digest):
        text = render_digest(
            saved, fmt, template=template, dirs=dirs, variables=variables, classification=classification
        )
        return text, saved_title(saved)
    text = render_briefing(saved, fmt, template=template, dirs=dirs, variables=variables, classification=classification)
    return text, saved_title(saved)


def saved_title(saved: BriefingResult | Digest) -> str:
    """The title a saved briefing or digest gives its output file name."""
    return f"{saved.title} {saved.date}" if isinstance(saved, Digest) else saved.briefing.title


def load_saved(path: Path, *, expect: str | None = None) -> BriefingResult | Digest:
    """Read a briefing or digest saved with -f json (by its `kind`, or `expect`); a clear InputError otherwise."""
    import json

    from pydantic import ValidationError

    from briefing.errors import InputError

    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not JSON; `briefing render` takes a file saved with -f json") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise InputError(f"{path} is not JSON; `briefing render` takes a file saved with -f json") from None
    kind = expect or (data.get("kind") if isinstance(data, dict) else None)
    model = Digest if kind == "digest" else BriefingResult
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "top level"
        what = "digest" if kind == "digest" else "briefing"
        raise InputError(f"{path} is not a {what} saved with -f json ({where}: {first['msg']})") from None
