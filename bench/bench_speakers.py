"""Speaker attribution on the development set: briefing's quotation finder against hand-labelled speakers.

Touches nothing but what it reads: bench/devset/articles/ (build it with bench/devset/build.py) and
bench/devset/speakers.json (article id, character offset of the quotation's opening mark in ID.txt, speaker
as the article names them). No model is called.

    PYTHONPATH=. python bench/bench_speakers.py [-v]

Each article is loaded as briefing loads it (load_article: the headline line becomes the title, the body
the text), its names are found (find_names) and its quotations (find_quotations on the body, with those
names). A labelled quotation is *found* when a found quotation opens at its opening mark, or spans it; it
is *right* when the speaker the finder gives matches the label: equal, one containing the other, or the
same last word (case and accents ignored; "Hisham" matches "Hisham Barghouti", "Koizumi" matches
"Junichiro Koizumi"). Accuracy = right / labelled; coverage = found / labelled.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEVSET = ROOT / "bench" / "devset"

try:  # after the package restructure
    from briefing.ingest.files import load_article
    from briefing.text.names import find_names
    from briefing.text.quotations import find_quotations
except ImportError:
    from briefing.names import find_names
    from briefing.quotations import find_quotations
    from briefing.sources import load_article


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'").strip()


def same_speaker(found: str | None, label: str) -> bool:
    if not found:
        return False
    a, b = fold(found), fold(label)
    return a == b or a in b or b in a or a.split()[-1] == b.split()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every labelled quotation")
    args = parser.parse_args()
    labels = json.loads((DEVSET / "speakers.json").read_text())["quotations"]
    by_article: dict[str, list[dict]] = {}
    for label in labels:
        by_article.setdefault(label["article"], []).append(label)
    languages = {a["id"]: a["language"] for a in json.loads((DEVSET / "manifest.json").read_text())["articles"]}
    by_language: dict[str, list[int]] = {}
    total = found_n = right_n = confirmed_n = confirmed_wrong = 0
    print(f"{'article':<30} {'labelled':>8} {'found':>6} {'right':>6}")
    for aid, marks in by_article.items():
        path = DEVSET / "articles" / f"{aid}.txt"
        if not path.exists():
            print(f"{aid}: not built (python bench/devset/build.py)", file=sys.stderr)
            return 1
        file_text = path.read_text()
        article = load_article(str(path))
        # The article's text may differ from the file's (wire ticker links removed), so each label is
        # found again by the 30 characters that open its quotation.
        base = file_text.find(article.text[:200])
        quotes = find_quotations(article.text, find_names(article.text))
        found = right = 0
        for mark in marks:
            at = article.text.find(file_text[mark["offset"] : mark["offset"] + 30])
            at = at if at >= 0 else mark["offset"] - base
            hit = next((q for q in quotes if q.start == at), None) or next(
                (q for q in quotes if q.start <= at < q.end), None
            )
            ok = hit is not None and same_speaker(hit.speaker, mark["speaker"])
            found += hit is not None
            right += ok
            confirmed = hit is not None and getattr(hit, "status", "") == "confirmed"
            confirmed_n += confirmed
            confirmed_wrong += confirmed and not ok
            if args.verbose:
                got = "not found" if hit is None else f"{hit.speaker!r} ({getattr(hit, 'status', '?')})"
                print(f"    {aid}@{mark['offset']}: label {mark['speaker']!r}, finder {got}{'' if ok else '  <-'}")
        total, found_n, right_n = total + len(marks), found_n + found, right_n + right
        tally = by_language.setdefault("English" if languages.get(aid) == "en" else "es/de/fr/it", [0, 0, 0])
        tally[0], tally[1], tally[2] = tally[0] + len(marks), tally[1] + found, tally[2] + right
        print(f"{aid:<30} {len(marks):>8} {found:>6} {right:>6}")
    print(f"{'total':<30} {total:>8} {found_n:>6} {right_n:>6}")
    print(
        f"\naccuracy (right speaker / labelled): {right_n / total:.2f} ({right_n}/{total}); "
        f"coverage (found at all / labelled): {found_n / total:.2f} ({found_n}/{total}); "
        f"right among found: {right_n / max(1, found_n):.2f}"
    )
    print(
        f"confirmed by the article's wording: {confirmed_n}; of them wrong (a confident wrong speaker): "
        f"{confirmed_wrong}; precision of confirmed: {(confirmed_n - confirmed_wrong) / max(1, confirmed_n):.2f}"
    )
    for language, (n, f, r) in by_language.items():
        print(f"  {language}: accuracy {r / n:.2f} ({r}/{n}), coverage {f / n:.2f} ({f}/{n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
