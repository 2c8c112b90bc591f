"""Long articles: estimate tokens, cut the article into parts that fit, renumber. Pure.

A part is itself an Article (its own sentences numbered 1..k, its own names and quotations), plus
the offset of its first sentence in the whole article. A briefing of a part is shifted by that
offset, so every evidence id in the merged briefing points at the right sentence of the whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.records import Article, Briefing
from briefing.text.article import build_article

_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """A conservative token count: ~3.5 characters per token for alphabetic text, one per CJK character."""
    wide = len(_WIDE.findall(text))
    return int((len(text) - wide) / 3.5) + wide + 4


def estimate_messages(messages: list[dict[str, str]]) -> int:
    return sum(estimate_tokens(m["content"]) + 4 for m in messages)


@dataclass(frozen=True)
class Part:
    """A stretch of consecutive sentences of the article, briefed on its own."""

    article: Article
    offset: int  # the whole article's number of this part's sentence 1, minus one


def split_article(article: Article, max_tokens: int) -> list[Part]:
    """Cut `article` at sentence boundaries into parts of at most `max_tokens` (estimated) each."""
    parts: list[Part] = []
    start = 0
    while start < len(article.sentences):
        size = 0
        end = start
        while end < len(article.sentences):
            cost = estimate_tokens(article.sentences[end]) + 4  # the "[Sn] " label and newline
            if end > start and size + cost > max_tokens:
                break
            size += cost
            end += 1
        text = "\n".join(article.sentences[start:end])
        title = f"{article.title} (part {len(parts) + 1})"
        part = build_article(
            source=article.source,
            title=title,
            text=text,
            outlet=article.outlet,
            author=article.author,
            published=article.published,
        )
        # The part's own splitter must agree with the whole's numbering; fall back to the whole's cut.
        if len(part.sentences) != end - start:
            part = part.model_copy(update={"sentences": article.sentences[start:end]})
        parts.append(Part(part, start))
        start = end
    return parts


def shift_evidence(briefing: Briefing, offset: int) -> Briefing:
    """Renumber a part's briefing so its evidence ids point into the whole article."""
    shifted = briefing.model_copy(deep=True)
    items: list = [*shifted.key_judgments, *shifted.key_actors, *shifted.risks, *shifted.outlook]
    for item in items:
        item.evidence = [n + offset for n in item.evidence]
    return shifted
