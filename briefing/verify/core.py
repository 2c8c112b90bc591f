"""verify_briefing(): check every item of a briefing against its article. Pure, no LLM.

- Evidence ids must exist: ids outside [S1]..[Sn] are dropped and reported, never rendered.
- A cited sentence must support its item: it shares a name the article uses, or at least two
  content words with the item. Otherwise the citation is weak, and the best-matching sentences are
  offered instead.
- Quotes must be the article's own quotations (after normalising whitespace, quote marks, dashes
  and case); the check reads the original `text`, never the `translation` beside it. A near miss
  (fuzzy score >= 90) is replaced by the article's exact words and the repair recorded; anything
  else is unverified. Where the article names the speaker, the speaker is set to
  it, and the quote moves to that actor when the briefing has one.
- Actor names must occur in the article. Duplicate actors and quotes are merged.
The model's own `verified` values are never trusted: every flag is set here.
"""

from __future__ import annotations

import re

from briefing.records import Actor, Article, Briefing, Check, Grounding, Issue, Quote, SectionCount
from briefing.verify.index import ArticleIndex, ids, normalise
from briefing.verify.quotes import place_quotes


def verify_briefing(briefing: Briefing, article: Article) -> tuple[Briefing, Grounding]:
    """Return a checked copy of `briefing` (flags, repairs, merges) and its grounding summary."""
    b = briefing.model_copy(deep=True)
    index = ArticleIndex(article)
    issues: list[Issue] = []
    counts = {name: SectionCount() for name in ("key_judgments", "key_actors", "quotes", "risks", "outlook")}

    _end_cut_text(b, issues)
    b.key_actors = _merge_actors(b.key_actors, issues)
    place_quotes(b, index, issues)

    for i, judgment in enumerate(b.key_judgments):
        judgment.check = _check_evidence(judgment, judgment.statement, index, f"key_judgments/{i}", issues)
        _count(counts["key_judgments"], judgment.check)
    for i, actor in enumerate(b.key_actors):
        actor.check = _check_actor(actor, index, f"key_actors/{i}", issues)
        _count(counts["key_actors"], actor.check)
        for quote in actor.quotes:
            _count(counts["quotes"], quote.check or Check(status="unverified"))
    for i, risk in enumerate(b.risks):
        text = f"{risk.title} {risk.description} {' '.join(risk.indicators)}"
        risk.check = _check_evidence(risk, text, index, f"risks/{i}", issues)
        _count(counts["risks"], risk.check)
    for i, scenario in enumerate(b.outlook):
        text = f"{scenario.development} {' '.join(scenario.signposts)}"
        scenario.check = _check_evidence(scenario, text, index, f"outlook/{i}", issues)
        _count(counts["outlook"], scenario.check)
    return b, Grounding(sections=counts, issues=issues)


def _end_cut_text(node, issues: list[Issue], path: str = "") -> None:
    """Text the length limit cut mid-sentence ends at its last full sentence instead ("...region, as").

    Constrained decoding stops a string at the schema's maxLength wherever it is; a reader should see
    whole sentences. Quotes are left alone: they are the article's words, checked elsewhere.
    """
    from pydantic import BaseModel

    if not isinstance(node, BaseModel) or isinstance(node, Quote):
        return
    for name, field in type(node).model_fields.items():
        value = getattr(node, name)
        limit = next((m.max_length for m in field.metadata if getattr(m, "max_length", None)), None)
        if (
            isinstance(value, str)
            and limit
            and len(value) >= limit - 12  # the last token may stop a few characters short of the limit
            and not value.rstrip().endswith((".", "!", "?", "”", '"'))
        ):
            cut = max(value.rfind(". "), value.rfind("! "), value.rfind("? "))
            if cut >= len(value) // 3:
                setattr(node, name, value[: cut + 1])
                issues.append(
                    Issue(
                        path=f"{path}{name}",
                        status="repaired",
                        message="text cut off at its length limit now ends at its last full sentence",
                    )
                )
        elif isinstance(value, list):
            for i, item in enumerate(value):
                _end_cut_text(item, issues, f"{path}{name}/{i}/")


def failed_items(grounding: Grounding) -> list[str]:
    """One line per unverified item, for --strict messages and the grounding re-ask."""
    return [f"{i.path}: {i.message}" for i in grounding.issues if i.status == "unverified"]


def _check_evidence(item, text: str, index: ArticleIndex, path: str, issues: list[Issue]) -> Check:
    valid = _validids(item, index, path, issues)
    if not valid:
        issues.append(Issue(path=path, status="unverified", message="cites no sentence of the article"))
        return Check(
            status="unverified", notes=["cites no sentence of the article"], suggested=index.best_sentences(text)
        )
    supporting = [n for n in valid if index.supports(text, n)]
    if supporting:
        if len(supporting) < len(valid):
            # Lazy runs ("S1-S4") cite sentences that say nothing about the item: keep the ones that do.
            dropped = [n for n in valid if n not in supporting]
            item.evidence = supporting
            issues.append(
                Issue(
                    path=path,
                    status="repaired",
                    message=f"citation {ids(dropped)} dropped: it does not mention what this item says",
                )
            )
        return Check(status="verified")
    suggested = [n for n in index.best_sentences(text) if n not in valid]
    note = "the cited sentences do not mention what this item says"
    issues.append(Issue(path=path, status="weak", message=note + (f"; see {ids(suggested)}" if suggested else "")))
    return Check(status="weak", notes=[note], suggested=suggested)


def _validids(item, index: ArticleIndex, path: str, issues: list[Issue]) -> list[int]:
    valid = list(dict.fromkeys(n for n in item.evidence if 1 <= n <= index.n))
    dangling = [n for n in item.evidence if not 1 <= n <= index.n]
    if dangling:
        issues.append(
            Issue(
                path=path,
                status="dropped",
                message=f"evidence {ids(dangling)} does not exist (the article has {index.n} sentences)",
            )
        )
    item.evidence = valid
    return valid


def _check_actor(actor: Actor, index: ArticleIndex, path: str, issues: list[Issue]) -> Check:
    named = _named_in_article(actor.name, index)
    valid = _validids(actor, index, path, issues)
    if not named:
        note = f"{actor.name!r} is not named in the article"
        issues.append(Issue(path=path, status="unverified", message=note))
        return Check(status="unverified", notes=[note])
    known = index.mentions.get(actor.name)
    mentions = (
        known if known is not None else [i for i, s in enumerate(index.sentence_norm, 1) if _mentions(actor.name, s)]
    )
    if valid and any(n in mentions for n in valid):
        return Check(status="verified")
    if not valid and mentions:
        actor.evidence = mentions[:2]
        issues.append(
            Issue(
                path=path,
                status="repaired",
                message=f"evidence set to {ids(mentions[:2])}, where the article names them",
            )
        )
        return Check(status="verified")
    note = f"the cited sentences do not mention {actor.name}"
    issues.append(Issue(path=path, status="weak", message=note))
    return Check(status="weak", notes=[note], suggested=mentions[:3])


def _named_in_article(name: str, index: ArticleIndex) -> bool:
    return bool(name.strip()) and normalise(name) in index.text_norm


def _mentions(name: str, sentence_norm: str) -> bool:
    n = normalise(name)
    if n in sentence_norm:
        return True
    last = n.split()[-1] if n.split() else n
    return len(n.split()) > 1 and len(last) > 3 and re.search(rf"\b{re.escape(last)}\b", sentence_norm) is not None


def _merge_actors(actors: list[Actor], issues: list[Issue]) -> list[Actor]:
    merged: dict[str, Actor] = {}
    for i, actor in enumerate(actors):
        key = normalise(actor.name)
        if key in merged:
            keep = merged[key]
            # The schema caps an actor at two quotes: keep the first two distinct ones.
            distinct: dict[str, Quote] = {}
            for quote in [*keep.quotes, *actor.quotes]:
                distinct.setdefault(normalise(quote.text), quote)
            keep.quotes = list(distinct.values())[:2]
            keep.evidence = list(dict.fromkeys([*keep.evidence, *actor.evidence]))[:4]
            issues.append(
                Issue(path=f"key_actors/{i}", status="dropped", message=f"duplicate of actor {actor.name!r}, merged")
            )
        else:
            merged[key] = actor
    return list(merged.values())


def _count(section: SectionCount, check: Check) -> None:
    setattr(section, check.status, getattr(section, check.status) + 1)
