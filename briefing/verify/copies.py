"""copied_sentence(), copied_prompt(), copied_headline(): a briefing's text that is someone else's words. Pure.

Thresholds (rapidfuzz scores, 0-100, on case- and typography-folded text) are explained in
analytic.py, which runs these checks with the others: COPIED for a sentence against one article
sentence, COPIED_CLAUSE for a clause lifted out of a longer sentence or out of the prompt. A name
of the prompt's worked example ("Arland", "Basin Commission") that the article never uses is a
copy of the example too, however the sentence around it is worded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from briefing.records import Article
from briefing.text.runs import is_demonym
from briefing.text.sentences import split_sentences
from briefing.verify.index import normalise

COPIED = 80.0
COPIED_CLAUSE = 92.0
HEADLINE = 85.0  # a title this close to the headline repeats it (as DUPLICATE in analytic.py)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘(\[]?[A-ZÀ-Ý0-9])")


def copied_sentence(text: str, article: Article) -> int | None:
    """The number of the article sentence one sentence of `text` copies, or None."""
    for part in split_sentences(text.strip()) or [text]:
        mine = normalise(part)
        if len(mine.split()) < 6:
            continue
        for number, theirs in enumerate(article.sentences, 1):
            other = normalise(theirs)
            if fuzz.ratio(mine, other) >= COPIED:
                return number
            if len(mine) >= 0.5 * len(other) and len(mine) >= 60 and fuzz.partial_ratio(mine, other) >= COPIED_CLAUSE:
                return number
    return None


def copied_prompt(text: str, instructions: str, article_text: str = "") -> str | None:
    """A text lifted from the prompt itself (its worked example, its rules) instead of written about this
    article: a clause of it, or a name of the example ("Arland", "Basin Commission") this article lacks."""
    if not instructions:
        return None
    theirs = normalise(instructions)
    for part in _SENTENCE_SPLIT.split(text.strip()):
        mine = normalise(part)
        if len(mine.split()) >= 5 and fuzz.partial_ratio(mine, theirs) >= COPIED_CLAUSE:
            return "copies the prompt's example or rules instead of writing about this article"
    if article_text:
        foreign = sorted(n for n in prompt_names(instructions) if n not in article_text and _has_name(text, n))
        if foreign:
            return f"names {foreign[0]!r} of the prompt's invented example, which this article never mentions"
        if run := borrowed_words(text, instructions, article_text):
            return f"takes {run!r} from the prompt's invented example, which this article never mentions"
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:'[^\W_]+)?", normalise(text))


@lru_cache(maxsize=8)
def _runs(text: str, n: int) -> frozenset[str]:
    words = _words(text)
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


def borrowed_words(text: str, prompt: str, article: str) -> str | None:
    """Words in a row of `text` that the prompt has and the article has not, too few for the clause
    check: two long words (four letters or more) in a text under five words ("Sears announces water
    rationing"), else five words with three long ones ("whether Japan has offered anything in return
    for a larger share"). Runs of short words ("it is not known whether") are everyone's."""
    words = _words(text)
    n = 2 if len(words) < 5 else 5
    for i in range(len(words) - n + 1):
        run = words[i : i + n]
        joined = " ".join(run)
        if (
            sum(len(w) >= 4 for w in run) >= min(n, 3)
            and joined in _runs(prompt, n)
            and joined not in _runs(article, n)
        ):
            return joined
    return None


_MONTHS_AND_DAYS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


@lru_cache(maxsize=8)
def prompt_names(instructions: str) -> frozenset[str]:
    """The capitalised words a prompt uses inside its sentences (its example's invented places and
    people: "Arland", "Bevia", "Tarn"), months, weekdays, languages ("in German") and the prompt's own
    terms aside."""
    found = set()
    for match in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z]{2,})\b", instructions):
        word = match.group(1)
        if word not in _MONTHS_AND_DAYS and word.lower() not in _PROMPT_TERMS and not is_demonym(word):
            found.add(word)
    return frozenset(found)


_PROMPT_TERMS = frozenset("english json article briefing likelihood confidence impact kind".split())


def _has_name(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def copied_headline(title: str, headline: str) -> str | None:
    """A title that is the article's headline again, not an assessment."""
    if headline and fuzz.ratio(normalise(title), normalise(headline)) >= HEADLINE:
        return "repeats the article's headline instead of giving your assessment"
    return None
