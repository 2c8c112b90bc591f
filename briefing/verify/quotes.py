"""place_quotes(): every quote checked verbatim against the article's quotations, speakers as the article says. Pure.

A near miss (fuzzy score >= 90) is replaced by the article's exact words and the repair recorded;
anything else is unverified. Where the article names the speaker, the speaker is set to it, and
the quote moves to that actor when the briefing has one. `attribution` records whether the
article's wording confirms the speaker (confirmed), named another one (corrected) or names no one
(unconfirmed): verified means verbatim only, and the outputs show an unconfirmed speaker as such.
"""

from __future__ import annotations

from briefing.records import Actor, Briefing, Check, Issue, Quote
from briefing.text.quotations import quotable
from briefing.verify.index import ArticleIndex, normalise

FUZZY_REPAIR_THRESHOLD = 90.0


def place_quotes(b: Briefing, index: ArticleIndex, issues: list[Issue]) -> None:
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
                and not same_person(quote.speaker, actor.name)
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
                and not same_person(quote.speaker, actor.name)
            ):
                note = f"the article attributes this quote to {quote.speaker}, not {actor.name}"
                quote.check = Check(status="weak", notes=[note])
                issues.append(Issue(path=path, status="weak", message=note))
            kept.append(quote)
        actor.quotes = kept
    for quote, target in moves:
        if len(target.quotes) < 2:
            target.quotes.append(quote)


def _check_quote(quote: Quote, index: ArticleIndex, path: str, issues: list[Issue]) -> None:
    quote.verified = False
    quote.attribution = None
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
            quote.text = quotable(match.text)  # within the schema's bound: the result must load again
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
    # Verbatim says nothing about who spoke: only the article's own wording can confirm the speaker.
    if not match.speaker:
        quote.attribution = "unconfirmed"
    elif same_person(quote.speaker, match.speaker):
        quote.attribution = "confirmed"
    else:
        quote.attribution = "corrected"
    if match.speaker and not same_person(quote.speaker, match.speaker):
        issues.append(
            Issue(
                path=path,
                status="repaired",
                message=f"speaker corrected from {quote.speaker!r} to {match.speaker!r}, as the article says",
            )
        )
        quote.speaker = match.speaker


def _fuzzy_quotation(norm: str, index: ArticleIndex):
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
        if same_person(quote.speaker, actor.name):
            return actor
    return None


def same_person(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if na == nb or na in nb or nb in na:
        return True
    return na.split()[-1] == nb.split()[-1] and len(na.split()[-1]) > 3


def _is_named(speaker: str) -> bool:
    first = speaker.split()[0].lower() if speaker.split() else ""
    return first not in ("a", "an", "one", "the", "another") and speaker[:1].isupper()
