"""get_text() and set_text(): a text of a briefing or a digest cover addressed by its path ("risks/0/title"). Pure.

The analytic checks name the texts they flag by path; the re-ask, the rule-based rewrites and the
marks find them again with these.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def get_text(b: BaseModel, path: str) -> str:
    """The text at `path` of a briefing or a cover ("key_judgments/1/statement", "gaps/0", "bluf")."""
    node: Any = b
    for part in path.split("/"):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return str(node)


def set_text(b: BaseModel, path: str, text: str) -> None:
    """Put `text` at `path` in `b` (in place)."""
    *parents, last = path.split("/")
    node: Any = b
    for part in parents:
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    if last.isdigit():
        node[int(last)] = text
    else:
        setattr(node, last, text)
