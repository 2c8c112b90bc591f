"""rewrite_by_rule(): what a small model gets wrong in a mechanical way, put right by rule. Pure.

- A whole sentence that lacks only its full stop gets one. A text that stops on a comma or on a
  word that needs a continuation is cut, not unpunctuated: that is left to the checks and the re-ask.
- A gap written as "The article does not establish whether X" is a gap about the world said as a
  remark about the text: it becomes "It is not known whether X."
- A gap written as "X is not mentioned in the article" says "X is not reported."
- A sentence that opens with "The article says that X" is X.

The words the model wrote are kept as written, so these are repairs, recorded as issues like a
repaired quote; any other talk about the source is left to the analytic checks and their re-ask
(analytic.py, revise.py).
"""

from __future__ import annotations

import re

from pydantic import ValidationError
from rapidfuzz import fuzz

from briefing.records import Briefing, Issue
from briefing.verify.analytic import Flaw, cut_phrase, cut_sentence
from briefing.verify.index import normalise
from briefing.verify.paths import get_text, set_text

_SOURCE = r"(?:the|this)\s+(?:article|text|piece|story|report|excerpt)"
_GAP = re.compile(
    rf"^{_SOURCE}\s+(?:does\s+not|doesn't|did\s+not|fails\s+to)\s+"
    r"(?:establish|say|state|mention|specify|explain|clarify|reveal|detail|indicate|address|disclose|make\s+clear)"
    r"(?:\s+clearly)?\s+(?P<rest>(?:whether|if|how|why|what|who|whom|which|when|where)\b.+)$",
    re.IGNORECASE,
)
_PASSIVE_GAP = re.compile(
    r"^(?P<what>.+?\s(?:is|are|was|were))\s+not\s+(?:\w+\s+)?"
    r"(?:mentioned|stated|said|specified|explained|given|disclosed|detailed|addressed|discussed|clarified|made\s+clear)"
    rf"\s+(?:in|by)\s+{_SOURCE}\s*\.?$",
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
    found = _PASSIVE_GAP.match(stripped) if gap else None
    if found:
        return f"{found.group('what')} not reported."
    found = _LEAD_IN.match(stripped)
    if found:
        rest = found.group("rest")
        return rest[:1].upper() + rest[1:]
    return None


def ended(text: str) -> str | None:
    """`text` with the full stop a small model leaves off a whole sentence, or None.

    Only a sentence that ends on a word, a number or a closing quote or bracket gets one; a text
    that stops on a comma or on a word that needs a continuation ("... that it will be") is cut,
    not unpunctuated, and is left to the checks and the re-ask.
    """
    stripped = text.strip()
    if not stripped or cut_sentence(stripped) is None or cut_phrase(stripped) is not None:
        return None
    if not re.search(r"[\w%\"'”’»)\]]$", stripped):
        return None
    return stripped + "."


def tidy(path: str, text: str) -> tuple[str, list[str]]:
    """The rule-based rewrites of the prose text at `path`: (new text, what was done)."""
    done = []
    new = unsourced(text, gap=path.startswith("gaps/"))
    if new is not None:
        text = new
        done.append("rewritten without talk about the source")
    new = ended(text)
    if new is not None:
        text = new
        done.append("full stop added")
    return text, done


def prose_paths(b: Briefing) -> list[str]:
    """The paths of the texts that are whole sentences."""
    paths = ["bluf", "summary"]
    paths += [f"key_judgments/{i}/statement" for i in range(len(b.key_judgments))]
    paths += [f"risks/{i}/description" for i in range(len(b.risks))]
    paths += [f"outlook/{i}/development" for i in range(len(b.outlook))]
    paths += [f"gaps/{i}" for i in range(len(b.gaps))]
    return paths


def rewrite_by_rule(b: Briefing) -> tuple[Briefing, list[Issue]]:
    """A copy of `b` with the rule-based rewrites made, and one 'repaired' issue for each text changed."""
    fixed = b.model_copy(deep=True)
    issues = []
    for path in prose_paths(b):
        old = get_text(fixed, path)
        new, done = tidy(path, old)
        if not done:
            continue
        set_text(fixed, path, new)
        if not _valid(fixed):  # a text cut at its field's limit has no room for the full stop: it stays cut
            set_text(fixed, path, old)
            continue
        issues.append(Issue(path=path, status="repaired", message=f"{'; '.join(done)} (was {old[:60]!r})"))
    return fixed, issues


def _valid(b: Briefing) -> bool:
    try:
        Briefing.model_validate(b.model_dump())
    except ValidationError:
        return False
    return True


REPEAT = 95.0  # token_sort_ratio at which an item is the same item again, not a near paraphrase


def drop_repeats(
    b: Briefing, minimum: dict[str, int], redundant: dict[str, str] | None = None
) -> tuple[Briefing, list[Issue]]:
    """A copy of `b` without items that add nothing, never below the list's minimum.

    The schema's minimums make a small model fill the lists, sometimes with the same item twice;
    a repeat above the minimum says nothing and is dropped (recorded), one within it stays, flagged.
    An item adds nothing when it is the same as an earlier one of its list, or is one of `redundant`
    ({"outlook/2": why}): what still repeats another item or copies the article after the re-ask
    (analytic.redundant_items).
    """
    fixed = b.model_copy(deep=True)
    issues: list[Issue] = []
    redundant = redundant or {}
    texts = {
        "key_judgments": lambda item: item.statement,
        "risks": lambda item: f"{item.title} {item.description}",
        "outlook": lambda item: item.development,
    }
    for field, text_of in texts.items():
        items = list(getattr(fixed, field))
        kept: list = []
        for i, item in enumerate(items):
            why = redundant.get(f"{field}/{i}")
            if why is None and any(
                fuzz.token_sort_ratio(normalise(text_of(item)), normalise(text_of(k))) >= REPEAT for k in kept
            ):
                why = "repeats an earlier item"
            if why and len(items) - (i - len(kept)) > minimum.get(field, 1):
                issues.append(Issue(path=f"{field}/{i}", status="dropped", message=f"{why}; dropped"))
                continue
            kept.append(item)
        setattr(fixed, field, kept)
    return fixed, issues


# The checks after which a gap, indicator or signpost that the re-ask left as it was is better gone:
# the worked example's facts in another story, a fragment of JSON, a repeat, talk about the source.
STRAY_CHECKS = frozenset({"example", "indicator", "duplicate", "meta-talk"})


def drop_strays(b: Briefing, flaws: list[Flaw], min_gaps: int) -> tuple[Briefing, list[Issue]]:
    """A copy of `b` without the gaps, indicators and signposts still failing one of STRAY_CHECKS,
    each list kept at its minimum (a risk keeps one indicator, the briefing `min_gaps` gaps)."""
    fixed = b.model_copy(deep=True)
    strays = {flaw.path: flaw for flaw in flaws if flaw.check in STRAY_CHECKS}
    issues: list[Issue] = []

    def prune(list_path: str, entries: list[str], least: int) -> list[str]:
        kept: list[str] = []
        for k, entry in enumerate(entries):
            flaw = strays.get(f"{list_path}/{k}")
            if flaw is not None and len(kept) + (len(entries) - k - 1) >= least:
                issues.append(Issue(path=f"{list_path}/{k}", status="dropped", message=f"{flaw.reason}; dropped"))
                continue
            kept.append(entry)
        return kept

    fixed.gaps = prune("gaps", list(fixed.gaps), min_gaps)
    for i, risk in enumerate(fixed.risks):
        risk.indicators = prune(f"risks/{i}/indicators", list(risk.indicators), 1)
    for i, scenario in enumerate(fixed.outlook):
        scenario.signposts = prune(f"outlook/{i}/signposts", list(scenario.signposts), 0)
    return fixed, issues


def renumber(issues: list[Issue], dropped: list[Issue]) -> list[Issue]:
    """`issues` with their paths moved past the `dropped` entries ("outlook/2" dropped: outlook/3 is now
    outlook/2; "risks/0/indicators/1" likewise); issues about a dropped entry go with it. The dropped
    records keep their paths."""
    gone: dict[str, list[int]] = {}
    for d in dropped:
        list_path, _, number = d.path.rpartition("/")
        gone.setdefault(list_path, []).append(int(number))
    kept = []
    for issue in issues:
        path: str | None = issue.path
        for list_path, indexes in gone.items():
            if path is None or not path.startswith(list_path + "/"):
                continue
            number, _, tail = path[len(list_path) + 1 :].partition("/")
            if not number.isdigit():
                continue
            index = int(number)
            moved = index - sum(1 for g in indexes if g < index)
            path = None if index in indexes else "/".join(filter(None, [list_path, str(moved), tail]))
        if path is not None:
            kept.append(issue if path == issue.path else issue.model_copy(update={"path": path}))
    return kept
