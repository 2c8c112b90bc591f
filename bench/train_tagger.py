"""Train briefing's English name tagger (briefing/text/tagger.py) on the CoNLL-2003 training set.

Touches: reads the pinned mirror under /work/.mirror (bring it with the fetch verb, github:zhangjiawei98/BARTNER),
writes briefing/text/data/tagger-en.json.gz. The test set is never read here (bench_names.py --conll scores it).

    python bench/train_tagger.py [--epochs 6] [--min-count 2] [--prune 0.05]

An averaged perceptron (Collins 2002): greedy left to right, the two previous labels as features, weights
averaged over every update. Training sentences in a fixed shuffled order (seed 13); features seen fewer than
--min-count times are dropped, and averaged weights smaller than --prune; prints entity F1 on the dev set
(exact spans) after each epoch.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.text.tagger import LABELS, WEIGHTS, features, tag  # noqa: E402

REPO = "zhangjiawei98/BARTNER"
COMMIT = "9b3c463fc7e49539f782bc2a9dd133c5e603da74"
FILES = {
    "train": ("data/conll2003/train.txt", "ba02e7c06b2ce141883017efa0780612e0e9377f239321a1cbfd13d846a7c3e6"),
    "dev": ("data/conll2003/dev.txt", "308f1f2e66df39b18f95870cef6d2b7cb16f8eb994f6b848d3172895b2af1def"),
}


def load(part: str) -> list[tuple[list[str], list[str]]]:
    path, sha = FILES[part]
    where = Path("/work/.mirror") / REPO.replace("/", "+") / "repo"
    if not where.is_dir():
        raise SystemExit(f"missing mirror {where}: bring it with the fetch verb, source github:{REPO}")
    data = subprocess.run(["git", "--git-dir", str(where), "show", f"{COMMIT}:{path}"], check=True, capture_output=True)
    if hashlib.sha256(data.stdout).hexdigest() != sha:
        raise SystemExit(f"checksum mismatch for {path}")
    sentences, words, labels = [], [], []
    for line in data.stdout.decode("utf-8").splitlines() + [""]:
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if words:
                sentences.append((words, _bio(labels)))
            words, labels = [], []
            continue
        words.append(parts[0])
        labels.append(parts[-1])
    return sentences


def _bio(labels: list[str]) -> list[str]:
    """IOB1 or IOB2 -> IOB2 (an I- after O or another type opens an entity)."""
    out, prev = [], "O"
    for label in labels:
        if label.startswith("I-") and prev[2:] != label[2:]:
            label = "B-" + label[2:]
        out.append(label)
        prev = label
    return out


def _shouting(words: list[str]) -> bool:
    letters = [c for w in words for c in w if c.isalpha()]
    return len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def spans(labels: list[str]) -> set[tuple[str, int, int]]:
    out, start, kind = set(), None, None
    for i, label in enumerate(labels + ["O"]):
        if start is not None and not (label.startswith("I-") and label[2:] == kind):
            out.add((kind, start, i))
            start = None
        if label.startswith("B-") or (label.startswith("I-") and start is None):
            start, kind = i, label[2:]
    return out


def evaluate(weights, sentences) -> float:
    tp = fp = fn = 0
    for words, gold in sentences:
        found, want = spans(tag(words, weights)), spans(gold)
        tp, fp, fn = tp + len(found & want), fp + len(found - want), fn + len(want - found)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return 2 * p * r / max(1e-9, p + r)


def train(sentences, epochs: int, min_count: int, dev, save=None) -> dict[str, dict[str, float]]:
    counts: Counter[str] = Counter()
    for words, gold in sentences:
        shouting = _shouting(words)
        for i in range(len(words)):
            prev, prev2 = (gold[i - 1] if i else "<s>"), (gold[i - 2] if i > 1 else "<s>")
            counts.update(features(words, i, prev, prev2, shouting))
    keep = {f for f, c in counts.items() if c >= min_count}
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    totals: dict[tuple[str, str], float] = defaultdict(float)
    stamps: dict[tuple[str, str], int] = defaultdict(int)
    step = 0
    order = list(range(len(sentences)))
    random.Random(13).shuffle(order)

    def update(feat: str, label: str, delta: float) -> None:
        key = (feat, label)
        current = weights[feat].get(label, 0.0)
        totals[key] += (step - stamps[key]) * current
        stamps[key] = step
        weights[feat][label] = current + delta

    best: tuple[float, int, dict[str, dict[str, float]]] = (-1.0, 0, {})
    for epoch in range(epochs):
        for k in order:
            words, gold = sentences[k]
            shouting = _shouting(words)
            labels: list[str] = []
            for i in range(len(words)):
                step += 1
                prev = labels[-1] if labels else "<s>"
                prev2 = labels[-2] if len(labels) > 1 else "<s>"
                feats = [f for f in features(words, i, prev, prev2, shouting) if f in keep]
                scores = dict.fromkeys(LABELS, 0.0)
                for f in feats:
                    for label, w in weights.get(f, {}).items():
                        scores[label] += w
                guess = max(LABELS, key=lambda label: (scores[label], label == "O"))
                if guess != gold[i]:
                    for f in feats:
                        update(f, gold[i], 1.0)
                        update(f, guess, -1.0)
                labels.append(guess)
        averaged = _average(weights, totals, stamps, step)
        score = evaluate(averaged, dev)
        print(f"epoch {epoch + 1}: dev entity F1 {score:.3f}", flush=True)
        if score > best[0]:
            best = (score, epoch + 1, averaged)
            if save is not None:
                save(averaged)  # each better epoch is written at once: a run cut short keeps its best
    print(f"kept epoch {best[1]} (best dev F1 {best[0]:.3f})")
    return best[2]


def _average(weights, totals, stamps, step) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for feat, row in weights.items():
        for label, w in row.items():
            key = (feat, label)
            total = totals[key] + (step - stamps[key]) * w
            out.setdefault(feat, {})[label] = total / step
    return out


def speed(sentences, weights=None) -> float:
    """Milliseconds per 1,000 words to tag `sentences` (best of three passes)."""
    import time

    words = sum(len(w) for w, _ in sentences)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for w, _ in sentences:
            tag(w, weights)
        best = min(best, time.perf_counter() - started)
    return 1000 * best / words * 1000


def write(weights: dict[str, dict[str, float]], prune: float) -> dict[str, dict[str, float]]:
    """Drop averaged weights under `prune`, write the weights file, return what was kept."""
    packed: dict[str, list[list[float]]] = {}
    for feat, row in weights.items():
        kept = [[LABELS.index(label), round(w, 2)] for label, w in row.items() if abs(w) >= prune]
        if kept:
            packed[feat] = kept
    WEIGHTS.parent.mkdir(exist_ok=True)
    with gzip.open(WEIGHTS, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump({"labels": list(LABELS), "weights": packed}, f, separators=(",", ":"))
    return {f: {LABELS[int(k)]: w for k, w in row} for f, row in packed.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--prune", type=float, default=0.05)
    parser.add_argument("--speed", action="store_true", help="only time the installed weights on the dev set")
    args = parser.parse_args()
    if args.speed:
        dev = load("dev")
        print(f"dev entity F1 {evaluate(None, dev):.3f}; {speed(dev):.1f} ms per 1,000 words")
        return
    train_set, dev = load("train"), load("dev")
    print(f"train: {len(train_set)} sentences; dev: {len(dev)}", flush=True)
    weights = train(train_set, args.epochs, args.min_count, dev, lambda w: write(w, args.prune))
    pruned = write(weights, args.prune)
    print(f"kept {len(pruned)} features; dev entity F1 after pruning {evaluate(pruned, dev):.3f}")
    print(f"wrote {WEIGHTS} ({WEIGHTS.stat().st_size // 1024} KB); {speed(dev, pruned):.1f} ms per 1,000 words")


if __name__ == "__main__":
    main()
