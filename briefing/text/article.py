"""build_article(): text -> Article: numbered sentences, the names it mentions, its quotations. Pure."""

from __future__ import annotations

import bisect
import re

from briefing.errors import EmptyInputError
from briefing.records import Article, Mention, Quotation
from briefing.text.controls import clean_name, clean_text, strip_invisible
from briefing.text.gazetteer import ALIASES
from briefing.text.names import find_names
from briefing.text.quotations import find_quotations
from briefing.text.sentences import sentence_spans

# Web-page furniture inside wire copy: "Kmart Holding Corp. (KMRT.O: Quote, Profile, Research)" keeps
# its ticker, loses the links' words (which the name finder read as two people, "Quote" and "Profile").
_TICKER_LINKS = re.compile(r"\s*:\s*Quote,\s*Profile,\s*Research(?:,\s*Stock\s+Buzz)?(?=\s*\))")


def build_article(
    *,
    source: str,
    title: str,
    text: str,
    outlet: str | None = None,
    author: str | None = None,
    published: str | None = None,
) -> Article:
    """Split `text` into numbered sentences and find its names and quotations. Pure.

    Wire copy loses its ticker links' words ("(KMRT.O: Quote, Profile, Research)" -> "(KMRT.O)").

    Text, title, outlet and author arrive from files, pages and feeds: control, bidi-override and
    zero-width characters go here, whatever the way in (text/controls.py)."""
    text = _TICKER_LINKS.sub("", strip_invisible(clean_text(text))).strip()
    title = clean_name(title) or "Untitled article"
    outlet, author = (clean_name(v) or None if v else None for v in (outlet, author))
    if not text:
        raise EmptyInputError(f"{source} has a title but no article text")
    spans = sentence_spans(text)
    names = find_names(text, spans)
    quotations = []
    for found in find_quotations(text, names):
        numbers = [i for i, (a, b) in enumerate(spans, 1) if a < found.end and b > found.start]
        quotations.append(Quotation(text=found.text, sentences=numbers, speaker=found.speaker))
    starts = [a for a, _ in spans]
    mentions = []
    for name in names:
        # Its short forms count: "Barghouti" in a later sentence is Marwan Barghouti (names.py folds them).
        forms = [name.text, *name.forms, *(alias for alias, full in ALIASES.items() if full == name.text)]
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in forms))
        where = [i for i in _sentences_holding(text, forms, spans, starts) if pattern.search(text, *spans[i - 1])]
        # A person's quotations name them by pronoun ("he declared"): those sentences count too.
        where += [n for q in quotations if q.speaker == name.text for n in q.sentences]
        mentions.append(Mention(name=name.text, kind=name.kind, sentences=sorted(set(where))))
    return Article(
        source=source,
        title=title,
        text=text,
        outlet=outlet,
        author=author,
        published=published,
        sentences=[text[a:b] for a, b in spans],
        names=mentions,
        quotations=quotations,
    )


def _sentences_holding(text: str, forms: list[str], spans: list[tuple[int, int]], starts: list[int]) -> list[int]:
    """The numbers of the sentences that contain one of `forms` as a substring, in order: the only
    ones the word-bounded pattern can match in (str.find over the text, not a regex per sentence)."""
    found: set[int] = set()
    for form in forms:
        at = text.find(form)
        while at != -1:
            k = bisect.bisect_right(starts, at) - 1
            if k >= 0 and at + len(form) <= spans[k][1]:
                found.add(k + 1)
            at = text.find(form, at + 1)
    return sorted(found)
