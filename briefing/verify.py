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
import unicodedata
from collections.abc import Iterable

from briefing.records import Actor, Article, Briefing, Check, Grounding, Issue, Quote, SectionCount

FUZZY_REPAIR_THRESHOLD = 90.0
_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just me
    more most my no nor not now of off on once only or other our out over own same she should so
    some such than that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your said says
    says according amid among new one two would may might must could still even""".split()
)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly")


def verify_briefing(briefing: Briefing, article: Article) -> tuple[Briefing, Grounding]:
    """Return a checked copy of `briefing` (flags, repairs, merges) and its grounding summary."""
    b = briefing.model_copy(deep=True)
    index = _ArticleIndex(article)
    issues: list[Issue] = []
    counts = {name: SectionCount() for name in ("key_judgments", "key_actors", "quotes", "risks", "outlook")}

    _end_cut_text(b, issues)
    b.key_actors = _merge_actors(b.key_actors, issues)
    _place_quotes(b, index, issues)

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
            and len(value) >= limit - 2
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


def normalise(text: str) -> str:
    """Fold case, whitespace, quote marks and dashes, so that typography never decides a match."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\"“”„«»‟]", '"', text)
    text = re.sub(r"['‘’‚‛`´]", "'", text)
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = text.replace("…", "...")
    return " ".join(text.lower().split()).strip(" \"'.,;:")


class _ArticleIndex:
    """What the checks look up in the article, computed once."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.n = len(article.sentences)
        self.sentence_stems = [_stems(s) for s in article.sentences]
        self.sentence_norm = [normalise(s) for s in article.sentences]
        self.text_norm = normalise(article.text)
        self.names = sorted((m.name for m in article.names), key=len, reverse=True)
        self.quotations = [(normalise(q.text), q) for q in article.quotations]
        self.mentions = {m.name: m.sentences for m in article.names}

    def names_in(self, text: str) -> set[str]:
        low = normalise(text)
        return {n for n in self.names if normalise(n) in low}

    def best_sentences(self, text: str, limit: int = 2) -> list[int]:
        stems = _stems(text)
        names = {normalise(n) for n in self.names_in(text)}
        scored = []
        for i, (s_stems, s_norm) in enumerate(zip(self.sentence_stems, self.sentence_norm), 1):
            score = len(stems & s_stems) + 2 * sum(1 for n in names if n in s_norm)
            if score >= 2:
                scored.append((score, -i))
        return [-neg for _, neg in sorted(scored, reverse=True)[:limit]]

    def supports(self, text: str, number: int) -> bool:
        stems = _stems(text)
        s_norm = self.sentence_norm[number - 1]
        shared_names = any(normalise(n) in s_norm for n in self.names_in(text))
        return shared_names or len(stems & self.sentence_stems[number - 1]) >= 2


def _check_evidence(item, text: str, index: _ArticleIndex, path: str, issues: list[Issue]) -> Check:
    valid = _valid_ids(item, index, path, issues)
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
                    message=f"citation {_ids(dropped)} dropped: it does not mention what this item says",
                )
            )
        return Check(status="verified")
    suggested = [n for n in index.best_sentences(text) if n not in valid]
    note = "the cited sentences do not mention what this item says"
    issues.append(Issue(path=path, status="weak", message=note + (f"; see {_ids(suggested)}" if suggested else "")))
    return Check(status="weak", notes=[note], suggested=suggested)


def _valid_ids(item, index: _ArticleIndex, path: str, issues: list[Issue]) -> list[int]:
    valid = list(dict.fromkeys(n for n in item.evidence if 1 <= n <= index.n))
    dangling = [n for n in item.evidence if not 1 <= n <= index.n]
    if dangling:
        issues.append(
            Issue(
                path=path,
                status="dropped",
                message=f"evidence {_ids(dangling)} does not exist (the article has {index.n} sentences)",
            )
        )
    item.evidence = valid
    return valid


def _check_actor(actor: Actor, index: _ArticleIndex, path: str, issues: list[Issue]) -> Check:
    named = _named_in_article(actor.name, index)
    valid = _valid_ids(actor, index, path, issues)
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
                message=f"evidence set to {_ids(mentions[:2])}, where the article names them",
            )
        )
        return Check(status="verified")
    note = f"the cited sentences do not mention {actor.name}"
    issues.append(Issue(path=path, status="weak", message=note))
    return Check(status="weak", notes=[note], suggested=mentions[:3])


def _named_in_article(name: str, index: _ArticleIndex) -> bool:
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
            keep.quotes.extend(actor.quotes)
            keep.evidence = list(dict.fromkeys([*keep.evidence, *actor.evidence]))[:4]
            issues.append(
                Issue(path=f"key_actors/{i}", status="dropped", message=f"duplicate of actor {actor.name!r}, merged")
            )
        else:
            merged[key] = actor
    return list(merged.values())


def _place_quotes(b: Briefing, index: _ArticleIndex, issues: list[Issue]) -> None:
    """Verify every quote, repair near misses and speakers, drop duplicates, move misplaced ones."""
    seen: set[str] = set()
    moves: list[tuple[Quote, Actor]] = []
    for i, actor in enumerate(b.key_actors):
        kept = []
        for j, quote in enumerate(actor.quotes):
            path = f"key_actors/{i}/quotes/{j}"
            _check_quote(quote, index, path, issues)
            key = normalise(quote.text)
            if key in seen:
                issues.append(Issue(path=path, status="dropped", message="the same quote appears twice; kept once"))
                continue
            seen.add(key)
            target = _speaker_actor(quote, b.key_actors)
            if (
                quote.verified
                and target is not None
                and target is not actor
                and not _same_person(quote.speaker, actor.name)
            ):
                issues.append(
                    Issue(
                        path=path,
                        status="repaired",
                        message=f"quote moved from {actor.name} to {target.name}, who the article says spoke it",
                    )
                )
                moves.append((quote, target))
                continue
            if (
                quote.verified
                and target is None
                and _is_named(quote.speaker)
                and not _same_person(quote.speaker, actor.name)
            ):
                note = f"the article attributes this quote to {quote.speaker}, not {actor.name}"
                quote.check = Check(status="weak", notes=[note])
                issues.append(Issue(path=path, status="weak", message=note))
            kept.append(quote)
        actor.quotes = kept
    for quote, target in moves:
        if len(target.quotes) < 2:
            target.quotes.append(quote)


def _check_quote(quote: Quote, index: _ArticleIndex, path: str, issues: list[Issue]) -> None:
    quote.verified = False
    norm = normalise(quote.text)
    if quote.translation is not None and (not quote.translation.strip() or normalise(quote.translation) == norm):
        quote.translation = None  # asked for "just in case" and the quote was already in that language
    match = None
    for q_norm, q in index.quotations:
        if norm and norm in q_norm:
            match = q
            break
    if match is None and norm:
        match = _fuzzy_quotation(norm, index)
        if match is not None:
            issues.append(
                Issue(
                    path=path,
                    status="repaired",
                    message=f"quote repaired to the article's exact words (was {quote.text[:60]!r})",
                )
            )
            quote.text = match.text
    if match is None:
        # Not one of the article's quotations: it may still be in the text, outside quotation marks,
        # which makes it a paraphrase of the narrative, not a quote.
        where = (
            "appears in the article only as narrative, not as a quotation"
            if norm and norm in index.text_norm
            else "does not occur in the article"
        )
        quote.check = Check(status="unverified", notes=[f"this quote {where}"])
        issues.append(Issue(path=path, status="unverified", message=f"quote {quote.text[:80]!r} {where}"))
        return
    quote.verified = True
    quote.check = Check(status="verified")
    if match.speaker and not _same_person(quote.speaker, match.speaker):
        issues.append(
            Issue(
                path=path,
                status="repaired",
                message=f"speaker corrected from {quote.speaker!r} to {match.speaker!r}, as the article says",
            )
        )
        quote.speaker = match.speaker


def _fuzzy_quotation(norm: str, index: _ArticleIndex):
    from rapidfuzz import fuzz

    best, best_score = None, 0.0
    for q_norm, q in index.quotations:
        score = fuzz.ratio(norm, q_norm)
        if len(norm) >= 20:
            score = max(score, fuzz.partial_ratio(norm, q_norm) if len(norm) >= 0.6 * len(q_norm) else 0)
        if score > best_score:
            best, best_score = q, score
    return best if best_score >= FUZZY_REPAIR_THRESHOLD else None


def _speaker_actor(quote: Quote, actors: list[Actor]) -> Actor | None:
    for actor in actors:
        if _same_person(quote.speaker, actor.name):
            return actor
    return None


def _same_person(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if na == nb or na in nb or nb in na:
        return True
    return na.split()[-1] == nb.split()[-1] and len(na.split()[-1]) > 3


def _is_named(speaker: str) -> bool:
    first = speaker.split()[0].lower() if speaker.split() else ""
    return first not in ("a", "an", "one", "the", "another") and speaker[:1].isupper()


def _count(section: SectionCount, check: Check) -> None:
    setattr(section, check.status, getattr(section, check.status) + 1)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-zA-Z][a-zA-Z'-]+", text.lower())
    return {_stem(w) for w in words if w not in _STOPWORDS and len(w) > 2}


def _stem(word: str) -> str:
    word = re.sub(r"'s$|'$", "", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _ids(numbers: Iterable[int]) -> str:
    return ", ".join(f"S{n}" for n in numbers)
