"""ArticleIndex and normalise(): what the verifier's checks look up in an article, computed once. Pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from briefing.records import Article

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


def normalise(text: str) -> str:
    """Fold case, whitespace, quote marks and dashes, so that typography never decides a match."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\"“”„«»‟]", '"', text)
    text = re.sub(r"['‘’‚‛`´]", "'", text)
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = text.replace("…", "...")
    return " ".join(text.lower().split()).strip(" \"'.,;:")


class ArticleIndex:
    """What the checks look up in the article, computed once."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.n = len(article.sentences)
        self.sentence_stems = [word_stems(s) for s in article.sentences]
        self.sentence_norm = [normalise(s) for s in article.sentences]
        self.text_norm = normalise(article.text)
        self.names = sorted((m.name for m in article.names), key=len, reverse=True)
        self.quotations = [(normalise(q.text), q) for q in article.quotations]
        self.mentions = {m.name: m.sentences for m in article.names}

    def names_in(self, text: str) -> set[str]:
        low = normalise(text)
        return {n for n in self.names if normalise(n) in low}

    def best_sentences(self, text: str, limit: int = 2) -> list[int]:
        stems = word_stems(text)
        names = {normalise(n) for n in self.names_in(text)}
        scored = []
        for i, (s_stems, s_norm) in enumerate(zip(self.sentence_stems, self.sentence_norm), 1):
            score = len(stems & s_stems) + 2 * sum(1 for n in names if n in s_norm)
            if score >= 2:
                scored.append((score, -i))
        return [-neg for _, neg in sorted(scored, reverse=True)[:limit]]

    def supports(self, text: str, number: int) -> bool:
        stems = word_stems(text)
        s_norm = self.sentence_norm[number - 1]
        shared_names = any(normalise(n) in s_norm for n in self.names_in(text))
        return shared_names or len(stems & self.sentence_stems[number - 1]) >= 2


def word_stems(text: str) -> set[str]:
    words = re.findall(r"[a-zA-Z][a-zA-Z'-]+", text.lower())
    return {_stem(w) for w in words if w not in _STOPWORDS and len(w) > 2}


def _stem(word: str) -> str:
    word = re.sub(r"'s$|'$", "", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def ids(numbers: Iterable[int]) -> str:
    return ", ".join(f"S{n}" for n in numbers)
