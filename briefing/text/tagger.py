"""An English named-entity tagger: an averaged perceptron over word, shape and context features. [disk: its weights]

Statistics where rules run out: the rules in names.py find capitalised runs well but cannot tell a club
from a person or a town from a firm. This tagger labels each token B-/I- PER, ORG, LOC, MISC or O,
left to right (greedy, the previous two labels are features), with weights learned from the
CoNLL-2003 English training set by bench/train_tagger.py (pinned source, checksum checked) and
shipped as briefing/text/data/tagger-en.json.gz (read once, on first use). names.py combines its
spans with the rules' titles, aliases and the house rules of kinds.py; it runs on English text only.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from briefing.text.gazetteer import DEMONYMS, ORG_WORDS, TITLE_WORDS
from briefing.text.world import CITIES, GIVEN_NAMES, STATES

WEIGHTS = Path(__file__).parent / "data" / "tagger-en.json.gz"
LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")

# Tokens as CoNLL writes them: initialisms, words with inner hyphens or apostrophes, 's and n't, numbers, marks.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sen|Rep|Gov|Prof|Co|Corp|Inc|Ltd)\."
    r"|\w+(?=n['’]t\b)|n['’]t\b|['’]s\b|\w+(?:[-.&]\w+|['’](?!s\b)\w+)*|[^\w\s]"
)
_LOWER_STATES = {s.lower() for s in STATES}
_LOWER_CITIES = {c.lower() for c in CITIES}
_LOWER_DEMONYMS = {d.lower() for d in DEMONYMS}


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each token of `text`, split as CoNLL splits."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]", "X", word)
    shape = re.sub(r"[a-zà-ÿ]", "x", shape)
    shape = re.sub(r"[0-9]", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)  # runs cut to two: "Xxxxx" -> "Xxx"


def features(words: Sequence[str], i: int, prev: str, prev2: str, shouting: bool) -> list[str]:
    """The features of token `i` given the two labels before it."""
    w = words[i]
    low = w.lower()
    p1 = words[i - 1].lower() if i > 0 else "<s>"
    p2 = words[i - 2].lower() if i > 1 else "<s>"
    n1 = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    n2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    shape = _shape(w)
    feats = [
        "b",
        "w=" + low,
        "s=" + shape,
        "p1=" + p1,
        "n1=" + n1,
        "p2=" + p2,
        "n2=" + n2,
        "suf3=" + low[-3:],
        "suf4=" + low[-4:],
        "pre3=" + low[:3],
        "t1=" + prev,
        "t12=" + prev + "|" + prev2,
        "t1w=" + prev + "|" + low,
        "t1s=" + prev + "|" + shape,
        "p1s=" + p1 + "|" + shape,
        "sn1=" + shape + "|" + n1,
        "ps=" + (_shape(words[i - 1]) if i > 0 else "<s>") + "|" + shape,
        "ns=" + shape + "|" + (_shape(words[i + 1]) if i + 1 < len(words) else "</s>"),
    ]
    if i == 0:
        feats.append("first|" + shape)
    if shouting:
        feats.append("caps-line|" + shape)
    if low in _LOWER_STATES:
        feats.append("g=state")
    if low in _LOWER_CITIES:
        feats.append("g=city")
    if low in GIVEN_NAMES:
        feats.append("g=given")
    if low in _LOWER_DEMONYMS:
        feats.append("g=demonym")
    if low in ORG_WORDS:
        feats.append("g=orgword")
    if p1 in TITLE_WORDS:
        feats.append("g=after-title")
    if n1 in ORG_WORDS:
        feats.append("g=before-orgword")
    return feats


@cache
def _weights() -> dict[str, dict[str, float]]:
    with gzip.open(WEIGHTS, "rt", encoding="utf-8") as f:
        packed = json.load(f)
    labels = packed["labels"]
    return {feat: {labels[k]: v for k, v in row} for feat, row in packed["weights"].items()}


def available() -> bool:
    """Whether the weights are installed (a source checkout without them falls back to the rules)."""
    return WEIGHTS.exists()


def tag(words: Sequence[str], weights: dict[str, dict[str, float]] | None = None) -> list[str]:
    """The label of each word of one sentence, left to right."""
    weights = _weights() if weights is None else weights
    letters = [c for w in words for c in w if c.isalpha()]
    shouting = len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    labels: list[str] = []
    for i in range(len(words)):
        prev = labels[-1] if labels else "<s>"
        prev2 = labels[-2] if len(labels) > 1 else "<s>"
        scores = dict.fromkeys(LABELS, 0.0)
        for feat in features(words, i, prev, prev2, shouting):
            for label, weight in weights.get(feat, {}).items():
                scores[label] += weight
        best = max(LABELS, key=lambda label: (scores[label], label == "O"))
        if best.startswith("I-") and prev[2:] != best[2:]:
            best = "B-" + best[2:]  # an entity starts with B-
        labels.append(best)
    return labels


def find_entities(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of each entity the tagger finds in `text` (one sentence or a few)."""
    tokens = tokenize(text)
    if not tokens:
        return []
    labels = tag([t for t, _, _ in tokens])
    out: list[tuple[str, int, int]] = []
    last: list[int] = []  # index of each entity's last word that is not a lowercase word
    for k, ((word, start, end), label) in enumerate(zip(tokens, labels)):
        if label.startswith("B-"):
            out.append((label[2:], start, end))
            last.append(k if not word.islower() else -1)
        elif label.startswith("I-") and out and out[-1][0] == label[2:]:
            out[-1] = (out[-1][0], out[-1][1], end)
            if not word.islower():
                last[-1] = k
    # A name does not end in a lowercase word: "Shares of General Motors fell" names General Motors.
    return [(kind, start, tokens[k][2]) for (kind, start, _), k in zip(out, last) if k >= 0]
