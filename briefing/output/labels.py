"""load_labels(): headings and fixed words in the briefing's language, from labels.toml files. [disk]

Every labels.toml on the template search path is merged, first folder wins; English fills what a
language lacks. Each file is parsed once per version (its mtime and size).
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from briefing.errors import TemplateError
from briefing.output.templating import check_inside
from briefing.settings import builtin_dir
from briefing.text.languages import language_code

LABELS_FILE = "labels.toml"


def load_labels(dirs: list[Path], lang: str) -> dict:
    """The labels of `lang` (English for what it lacks), merging every labels.toml on the path, first wins."""
    merged: dict[str, dict] = {}
    for folder in reversed([*dirs, builtin_dir("templates")]):
        path = Path(folder) / LABELS_FILE
        if not path.is_file():
            continue
        check_inside(path, Path(folder))
        st = path.stat()
        tables = _read_labels(str(path), st.st_mtime_ns, st.st_size)
        for code, table in tables.items():
            if isinstance(table, dict):
                _merge(merged.setdefault(code, {}), table)
    labels = _merge({}, merged.get("en", {}))
    return _merge(labels, merged.get(lang, {})) if lang and lang != "en" else labels


@functools.lru_cache(maxsize=16)
def _read_labels(path: str, mtime_ns: int, size: int) -> dict:
    """One labels.toml, parsed once per version of the file (parsing it took 2/3 of a Markdown render).
    The tables are shared, read-only: _merge copies what it takes and templates run in an immutable sandbox."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: not valid TOML: {exc}") from None


def _merge(into: dict, table: dict) -> dict:
    for key, value in table.items():
        if isinstance(value, dict):
            _merge(into.setdefault(key, {}), value)
        else:
            into[key] = value
    return into


def grounding_line(grounding, labels: dict) -> str:
    counts = {
        "verified": grounding.verified,
        "total": grounding.total,
        "weak": grounding.weak,
        "unverified": grounding.unverified,
        "flagged": grounding.flagged,
    }
    try:
        parts = [labels["grounding_line"].format(**counts)]
        if grounding.weak:
            parts.append(labels["grounding_weak"].format(**counts))
        if grounding.unverified:
            parts.append(labels["grounding_unverified"].format(**counts))
        if grounding.flagged:
            parts.append(labels.get("grounding_flagged", "{flagged} flagged").format(**counts))
    except (KeyError, IndexError, ValueError):
        return grounding.line  # a hand-edited labels.toml with a broken placeholder
    return "; ".join(parts)


def language_tag(language: str) -> str:
    """A BCP 47 tag for <html lang>: 'English' -> 'en', 'pt-BR' -> 'pt-BR', '' -> 'en', unknown -> 'und'."""
    name = str(language or "").strip()
    if not name:
        return "en"
    code = language_code(name)
    if code and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})+", name):
        return name  # a full tag as typed keeps its region
    return code or "und"
