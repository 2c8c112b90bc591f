"""request_revisions(): the texts that fail the analytic checks, re-asked once, each by itself.   [net]

One request names every failing text with its reason and asks for a new version of that text
only: the schema holds exactly those fields, so nothing else of the briefing is sent back or can
change. The conversation is the briefing's own (system prompt and article, already in the
server's prompt cache), then the list of texts to rewrite. `apply_revisions` puts the new texts in
place; what still fails afterwards is marked by `mark_flaws` (pure), never dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from briefing.digest_records import Cover
from briefing.llm.structured import Answer, request_object
from briefing.records import Briefing, Check, Grounding, Issue
from briefing.session import Session
from briefing.verify.analytic import Flaw
from briefing.verify.paths import get_text, set_text

M = TypeVar("M", bound=BaseModel)

MAX_REVISIONS = 12  # one request stays small; the rest are marked as they are


# How long each kind of text may be: (maxLength, minLength), as in schema.py (minimum lengths
# only: patterns make the embedded runtime crawl). The digest cover's texts have their own paths.
_LIMITS = {
    "title": (120, 10),
    "bluf": (400, 40),
    "summary": (900, 80),
    "key_actors/stance": (240, 20),
    "risks/title": (80, 10),
    "risks/indicators": (120, 15),
    "outlook/signposts": (120, 15),
    "gaps": (200, 30),
    "headline": (120, 10),
    "top_lines/line": (240, 30),
    "top_risks/title": (80, 10),
    "top_risks/description": (300, 30),
    "watch/item": (240, 30),
}


def _rule(path: str, *, cover: bool = False) -> tuple[int, int]:
    """(maxLength, minLength) of the text at `path`; judgments, descriptions and developments by default."""
    field = _field(path)
    if cover and field == "bluf":
        return 600, 40
    return _LIMITS.get(field, (300, 30))


def revision_messages(
    messages: list[dict[str, str]], b: BaseModel, flaws: list[Flaw], *, what: str = "briefing of this article"
) -> list[dict[str, str]]:
    """The briefing's (or cover's) own messages, then the texts to rewrite, each with its reason (a new list)."""
    lines = [_line(b, flaw) for flaw in flaws]
    ask = (
        f"Your {what} has texts that need rewriting. Rewrite each one below, keeping its "
        "meaning where it is right, so that it is analysis in your own words, a complete sentence where it "
        "is one, and says something no other item says. Do not copy article sentences or write about "
        '"the article".\n' + "\n".join(lines) + "\nAnswer with one JSON object giving the new text of each "
        "under its own name (key_judgments_1_statement is the second judgment: counting starts at 0)."
    )
    return [*messages[:2], {"role": "user", "content": ask}]


def _line(b: BaseModel, flaw: Flaw) -> str:
    """One text to rewrite: its key, why it fails and what to write instead.

    Shown its text, the small model wrote most of them back unchanged, prefixed "Now" from the
    line's wording (bench/README.md §7j). So a text whose words are the flaw is not shown again and
    is asked for afresh: a copy of the worked example or of an article sentence, and any failing
    indicator or signpost (sentence numbers, an article sentence, a phrase cut short). A text that
    only needs mending (cut, a phrase about the source, a thin stance) is shown, to be mended.
    """
    key = answer_key(flaw.path)
    if flaw.check == "example":
        return f"- {key}: {flaw.reason}; write a new one about this article's events."
    if what := _watched(b, flaw.path):  # an indicator or signpost: a short phrase, asked for afresh
        why = _NOT_AN_INDICATOR.get(flaw.check, "it is no event to watch for")
        return f'- {key}: {why}; write news that would show "{what}", in a few words: who does what.'
    if flaw.check == "copied":
        return f"- {key}: {flaw.reason}; {_INSTEAD.get(_field(flaw.path), _INSTEAD['judgment'])}."
    return f'- {key} ({flaw.reason}): "{get_text(b, flaw.path)}"'


# Why a failing indicator or signpost fails, without its text (the reasons quote it).
_NOT_AN_INDICATOR = {
    "indicator": "sentence numbers are no indicator",
    "copied": "an article sentence reports what has happened, not news still to come",
}

# What to write instead of a copy, by field ("judgment" for judgments, descriptions, developments).
_INSTEAD = {
    "title": "write your own assessment in one line instead",
    "summary": "write it anew in your own words: who did what, when, the key number, in two to four short sentences",
    "judgment": "write instead, in your own words, what it means or what follows from it",
}


def _field(path: str) -> str:
    return re.sub(r"/\d+", "", path)


def _watched(b: BaseModel, path: str) -> str | None:
    """The risk or development an indicator or signpost at `path` is about ("risks/1/indicators/0")."""
    found = re.fullmatch(r"(risks|outlook)/(\d+)/(?:indicators|signposts)/\d+", path)
    if not found or isinstance(b, Cover):
        return None
    field = "title" if found[1] == "risks" else "development"
    return get_text(b, f"{found[1]}/{found[2]}/{field}")


def revision_schema(flaws: list[Flaw], *, cover: bool = False) -> tuple[dict, type]:
    """The JSON schema and the pydantic model of the answer: one string per failing text, nothing else."""
    # Each text under its own path, so the model cannot shift one text into the next one's place (with
    # numbered keys t1, t2... the small model wrote each answer for the text listed after it).
    properties = {}
    fields: dict[str, Any] = {}
    for i, flaw in enumerate(flaws):
        limit, least = _rule(flaw.path, cover=cover)
        properties[answer_key(flaw.path)] = {"type": "string", "maxLength": limit, "minLength": least}
        fields[f"t{i}"] = (str, Field(max_length=limit, alias=answer_key(flaw.path)))
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    model = create_model("Revision", __config__=ConfigDict(extra="forbid"), **fields)
    return schema, model


def request_revisions(
    session: Session, messages: list[dict[str, str]], b: BaseModel, flaws: list[Flaw], *, max_tokens: int
) -> tuple[dict[str, str], Answer]:
    """Ask once for new versions of the failing texts of a briefing or a cover; {path: new text} and the answer."""
    flaws = flaws[:MAX_REVISIONS]
    cover = isinstance(b, Cover)
    schema, model = revision_schema(flaws, cover=cover)
    settings = session.settings
    answer: Answer = request_object(
        session.client,
        revision_messages(messages, b, flaws, what="cover of the daily brief" if cover else "briefing of this article"),
        schema,
        model,
        endpoint=session.endpoint,
        max_tokens=max_tokens,
        temperature=settings.temperature,
        modes=session.modes,
        reasks=0,
    )
    texts = answer.value.model_dump(by_alias=True)
    return {
        flaw.path: _unecho(" ".join(str(texts[answer_key(flaw.path)]).split()), flaw.path) for flaw in flaws
    }, answer


def answer_key(path: str) -> str:
    """The answer's key for the text at `path`: "key_judgments/1/statement" -> "key_judgments_1_statement"
    (property names of letters, digits and underscores suit every structured-output endpoint)."""
    return path.replace("/", "_")


_ECHO = re.compile(
    r"^(?:t\d+\s*[:.)-]\s*)?(?:(?:[a-z_]+(?:/[a-z_0-9]+)+|[a-z]+(?:_[a-z]+)*_\d+(?:_[a-z0-9]+)*)\s*[:,-]\s*)?"
)
# "The bluf states that X", "The risk 0 description says: X": the small model announces its text.
_ANNOUNCED = re.compile(
    r"^(?:the\s+)?(?:bluf|bottom\s+line|summary|title|gap|risk|outlook|judge?ment|key\s+judge?ment|indicator"
    r"|signpost|stance|development|description|line|item|headline)s?(?:\s*/?\s*\d+)*(?:\s+[a-z_]+(?:/\d+)*)?"
    r"\s+(?:states|says|reads|notes)(?:\s+that)?\s*[:,]?\s*",
    re.IGNORECASE,
)


def _unecho(text: str, path: str) -> str:
    """The new text without the label the request gave it: the model echoes "t3:" or "key_actors/2/stance: ...".

    Also "stance: ..." (the path's last part), the request's own 'now "..."' wrapper, and an announcement
    of the field ("The bluf states that X" -> "X")."""
    rest = text[_ECHO.match(text).end() :]  # type: ignore[union-attr]  # every part is optional: it always matches
    field = path.rsplit("/", 1)[-1]
    if rest.lower().startswith(field + ":"):
        rest = rest[len(field) + 1 :]
    if rest.startswith('now "') and rest.endswith('"'):
        rest = rest[5:-1]
    announced = _ANNOUNCED.match(rest)
    if announced and len(rest) > announced.end():
        rest = rest[announced.end() :].strip(" '\"")
        rest = rest[:1].upper() + rest[1:]
    return rest.strip() or text


def apply_revisions(b: M, texts: dict[str, str]) -> M:
    """A copy of `b` (a briefing or a cover) with the new texts in place (empty answers are ignored)."""
    revised = b.model_copy(deep=True)
    for path, text in texts.items():
        if text.strip():
            set_text(revised, path, text.strip())
    return revised


def keep_fixed(original: M, texts: dict[str, str], flaws_of: Callable[[M], list[Flaw]]) -> tuple[M, list[str]]:
    """A copy of `original` with only the rewrites that pass their checks (the others keep the first
    text), and the paths of those kept.

    One at a time, in the order asked (the most important first): a rewrite is kept when it passes,
    keeps the briefing within its fields' limits, and gives no other text a new flaw. The small
    model wrote one judgment of fr-brexit-conseillers as the same sentence as an outlook item whose
    own rewrite failed: each passed alone, and together they were a repeat (bench/README.md §7k).
    """
    kept: dict[str, str] = {}
    now = _reasons(flaws_of(original))
    for path, text in texts.items():
        if not text.strip():
            continue
        candidate = apply_revisions(original, {**kept, path: text})
        try:  # within its field's limits: "summary." one past 900 characters would no longer load
            type(original).model_validate(candidate.model_dump())
        except ValidationError:
            continue
        after = _reasons(flaws_of(candidate))
        if path in after or any(not reasons <= now.get(other, set()) for other, reasons in after.items()):
            continue
        kept[path] = text
        now = after
    return apply_revisions(original, kept), list(kept)


def _reasons(flaws: list[Flaw]) -> dict[str, set[str]]:
    """{path: its flaws' reasons, one by one} (a Flaw joins several with "; ")."""
    return {flaw.path: set(flaw.reason.split("; ")) for flaw in flaws}


def reask_repairs(original: BaseModel, paths: list[str], flaws: list[Flaw]) -> list[Issue]:
    """One 'repaired' issue per text the re-ask rewrote so that it passes: the check it failed, the old text."""
    checks = {flaw.path: flaw.check for flaw in flaws}
    return [
        Issue(
            path=path,
            status="repaired",
            message=f"rewritten on request ({checks.get(path)}; was {get_text(original, path)[:60]!r})",
            check=checks.get(path),
        )
        for path in paths
    ]


def mark_flaws(b: Briefing, grounding: Grounding, flaws: list[Flaw]) -> tuple[Briefing, Grounding]:
    """Mark what still fails: on its item's check (a ⚠ in every output) and as a flagged issue, counted."""
    marked = b.model_copy(deep=True)
    issues = [i for i in grounding.issues if i.status != "flagged"]
    counts: dict[str, int] = {}
    for flaw in flaws:
        issues.append(Issue(path=flaw.path, status="flagged", message=flaw.reason, check=flaw.check))
        counts[flaw.check] = counts.get(flaw.check, 0) + 1
        item = _item_of(marked, flaw.path)
        if item is not None:
            check = item.check or Check()
            if flaw.check not in check.flags:
                check.flags.append(flaw.check)
            item.check = check
    return marked, grounding.model_copy(update={"issues": issues, "analytic": counts})


def flagged_items(grounding: Grounding) -> list[str]:
    """One line per text still failing an analytic check, for --strict."""
    return [f"{i.path}: {i.message}" for i in grounding.issues if i.status == "flagged"]


def _item_of(b: Briefing, path: str):
    """The judgment, actor, risk or outlook item a text belongs to, or None (title, BLUF, summary, gaps)."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] in ("key_judgments", "key_actors", "risks", "outlook") and parts[1].isdigit():
        items = getattr(b, parts[0])
        index = int(parts[1])
        return items[index] if index < len(items) else None
    return None


def describe(texts: dict[str, str]) -> str:
    """The revisions as one JSON line, for the debug log."""
    return json.dumps(texts, ensure_ascii=False)[:2000]
