"""build_stories(): merge near-duplicate articles (one wire story, several outlets) into stories. Pure.

Each article's text is normalised (lower case, letters and digits only) and cut into overlapping
word 5-grams ("shingles"). Two articles tell the same story when their shingle sets overlap
strongly: a Jaccard similarity of at least 0.5, or one holding at least 0.8 of the other's shingles
(an outlet that trims the wire copy or adds a paragraph of its own). Chains merge too: if A matches
B and B matches C, all three are one story. An inverted index from shingle to articles means only
pairs that share text are ever compared, so a day's few hundred articles take milliseconds.

The story is briefed from its fullest text (the longest), and lists every article as a source.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from briefing.records import Article

SHINGLE_WORDS = 5
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
MIN_SHINGLES_FOR_CONTAINMENT = 20  # below this, one short text "contained" in another means little


@dataclass(frozen=True)
class StoryDraft:
    """Near-duplicate articles, before briefing: the one to brief and all of them, in input order."""

    id: str
    lead: Article
    articles: list[Article]


def build_stories(articles: list[Article]) -> list[StoryDraft]:
    """Group near-duplicates; stories come in the order of their first article."""
    shingles = [shingle_set(a.text) for a in articles]
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in similar_pairs(shingles):
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(root(i), []).append(i)
    stories = []
    for members in groups.values():
        lead = max(members, key=lambda i: (len(articles[i].text), -i))
        stories.append(
            StoryDraft(id=text_id(articles[lead].text), lead=articles[lead], articles=[articles[i] for i in members])
        )
    return stories


def similar_pairs(shingles: list[set[int]]) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose shingle sets are near-duplicates."""
    index: dict[int, list[int]] = {}
    for i, s in enumerate(shingles):
        for h in s:
            index.setdefault(h, []).append(i)
    pairs = []
    for i, s in enumerate(shingles):
        shared = Counter(j for h in s for j in index[h] if j > i)
        for j, common in shared.items():
            if is_near_duplicate(len(s), len(shingles[j]), common):
                pairs.append((i, j))
    return pairs


def is_near_duplicate(size_a: int, size_b: int, common: int) -> bool:
    """The overlap rule: Jaccard >= 0.5, or containment >= 0.8 of a text long enough to judge."""
    if not size_a or not size_b:
        return False
    jaccard = common / (size_a + size_b - common)
    smaller = min(size_a, size_b)
    contained = smaller >= MIN_SHINGLES_FOR_CONTAINMENT and common / smaller >= CONTAINMENT_THRESHOLD
    return jaccard >= JACCARD_THRESHOLD or contained


def shingle_set(text: str) -> set[int]:
    """Hashed word 5-grams of the normalised text (a text shorter than five words is one shingle)."""
    words = normalise_words(text)
    if len(words) < SHINGLE_WORDS:
        return {_hash(" ".join(words))} if words else set()
    return {_hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(len(words) - SHINGLE_WORDS + 1)}


def normalise_words(text: str) -> list[str]:
    """Lower-case words of letters and digits: punctuation, quotes and spacing do not matter."""
    return re.findall(r"\w+", text.lower())


def text_id(text: str) -> str:
    """A short stable id of a text, independent of spacing and punctuation."""
    return hashlib.sha256(" ".join(normalise_words(text)).encode()).hexdigest()[:12]


def _hash(shingle: str) -> int:
    # blake2b, not hash(): Python salts str hashes per process, and ids must not change between runs.
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
