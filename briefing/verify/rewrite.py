"""rewrite_source_talk(): the two commonest ways a small model talks about "the article", rewritten by rule. Pure.

A gap written as "The article does not establish whether X" is a gap about the world said as a
remark about the text: it becomes "It is not known whether X." A sentence that opens with "The
article says that X" is X. Both are mechanical (the words after the lead-in are kept as written),
so they are repairs, recorded as issues like a repaired quote; any other talk about the source is
left to the analytic checks and their re-ask (analytic.py, revise.py).
"""

from __future__ import annotations

import re

from briefing.records import Briefing, Issue
from briefing.verify.paths import get_text, set_text

_SOURCE = r"(?:the|this)\s+(?:article|text|piece|story|report|excerpt)"
_GAP = re.compile(
    rf"^{_SOURCE}\s+(?:does\s+not|doesn't|did\s+not|fails\s+to)\s+"
    r"(?:establish|say|state|mention|specify|explain|clarify|reveal|detail|indicate|address|disclose|make\s+clear)"
    r"(?:\s+clearly)?\s+(?P<rest>(?:whether|if|how|why|what|who|whom|which|when|where)\b.+)$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    rf"^{_SOURCE}\s+(?:says|notes|reports|states|suggests|indicates|shows|argues|explains|reveals|makes\s+clear)"
    r"\s+that\s+(?P<rest>.+)$",
    re.IGNORECASE,
)


def unsourced(text: str, *, gap: bool) -> str | None:
    """`text` without its talk about the source, or None when no rule applies."""
    stripped = " ".join(text.split())
    found = _GAP.match(stripped) if gap else None
    if found:
        rest = found.group("rest").rstrip(" .")
        return f"It is not known {rest}."
    found = _LEAD_IN.match(stripped)
    if found:
        rest = found.group("rest")
        return rest[:1].upper() + rest[1:]
    return None


def rewrite_source_talk(b: Briefing) -> tuple[Briefing, list[Issue]]:
    """A copy of `b` with the rule-based rewrites made, and one 'repaired' issue for each."""
    fixed = b.model_copy(deep=True)
    issues = []
    paths = ["bluf", "summary"]
    paths += [f"key_judgments/{i}/statement" for i in range(len(b.key_judgments))]
    paths += [f"risks/{i}/description" for i in range(len(b.risks))]
    paths += [f"outlook/{i}/development" for i in range(len(b.outlook))]
    paths += [f"gaps/{i}" for i in range(len(b.gaps))]
    for path in paths:
        old = get_text(fixed, path)
        new = unsourced(old, gap=path.startswith("gaps/"))
        if new and new != old:
            set_text(fixed, path, new)
            issues.append(
                Issue(
                    path=path, status="repaired", message=f"rewritten without talk about the source (was {old[:60]!r})"
                )
            )
    return fixed, issues
