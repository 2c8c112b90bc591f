"""Analysis quality on the development set: runs the briefing CLI on each article and scores the saved JSONs.

Touches: bench/devset/articles/ (read; build it with bench/devset/build.py), the model endpoint (through the
CLI, one `briefing generate` subprocess per article, exactly as a user runs it), and the --out folder, where
each result is kept as ID.json (the CLI's own JSON) and ID.md (`briefing render`), with times.json.

    flock /tmp/model.lock env BRIEFING_HOME=/tmp/bhome-bench python bench/bench_analysis.py --out /tmp/devset-before
    python bench/bench_analysis.py --score-only /tmp/devset-before [--json]
    python bench/bench_analysis.py --only kmart-sears-reuters,es-alvarez-cascos --base-url http://... --model M

The saved JSONs are read as plain JSON (no briefing module is imported), so the scores mean the same before
and after a restructure of the package. Columns (per article; totals, or means where marked):

- kj / risks / outl: numbers of key judgments, risks, outlook items.
- meta: texts that talk about the source ("the article", "the text", "this piece", "the author", "the
  report" when the article itself never says "report"; el artículo, l'articolo, l'article, der Artikel...).
- copied: bluf, summary, each judgment and each outlook development with a sentence whose rapidfuzz
  `fuzz.ratio` (normalised Levenshtein, 0-1) to one article sentence exceeds 0.8.
- cut: prose fields (bluf, summary, judgment statements, risk descriptions, outlook developments, gaps)
  that do not end in . ! ? (optionally followed by a closing quote or bracket).
- badind: risk indicators and outlook signposts with no letters, made only of numbers or S-ids, or under
  3 words.
- dup: pairs among the judgments, risks (title + description) and outlook items with fuzz.ratio > 0.85.
- kind: actor-kind errors: an actor that is a place (not a state) or an outlet, kind person for a body or a
  state, or a body/state given as a person's kind. Expected kinds come from bench/devset/actors.json
  (hand labels of the names the model produced), then generic rules: outlet names, body words (Ministry,
  Corp, Party, Court...), then the name finder's kind when it is state or organisation.
- junk: actors that are no actor at all: made-up or garbled names ("Sears Shares"), indices ("BSE
  Sensex"), common nouns; labelled "none" in actors.json.
- spk / spk✓: rendered quotes whose speaker differs from the hand label (bench/devset/speakers.json); spk✓
  counts those among them that the briefing marks verified.
- refcov: share of the people and bodies named in the reference summary (bench/devset/reference_actors.json,
  picked by hand) found among the key actors; alias-tolerant (same surname / last word, or one name
  containing the other, accents and case ignored). Mean over articles with a list.
- example: texts copied from the worked example in prompts/policy.system.j2: a name of its invented
  story ("Arland", "Basin Commission") that the article never uses, or a clause of 5+ words with
  rapidfuzz `partial_ratio` >= 90 to the example's text.
- fixed / flag: texts the analytic re-ask rewrote so that they pass (grounding issues "repaired" with a
  check), and texts still flagged by an analytic check in the saved result.
- tokens: completion tokens of all the requests of the article (usage.completion_tokens; mean).
- secs: wall seconds of the `briefing generate` call (mean).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "bench" / "devset"
ARTICLES = DEVSET / "articles"

META = re.compile(
    r"\b(?:the|this) (?:article|text|piece|author|writer|passage|excerpt|story|source text)s?\b"
    r"|\b(?:the article|the text) (?:says|states|reports|discusses|describes|mentions|highlights)"
    r"|\b(?:el|este) (?:artículo|texto|autor)\b|\bla (?:noticia|autora)\b"
    r"|\bl['’](?:articolo|autore|article|auteur)\b|\bil testo\b|\ble texte\b|\bcet article\b"
    r"|\b(?:der|des|dem|den|im) (?:Artikel|Artikels|Text|Textes|Autor|Autors)\b|\bdiese[rsm]? (?:Artikel|Text)\b",
    re.IGNORECASE,
)
THE_REPORT = re.compile(r"\b(?:the|this) report\b", re.IGNORECASE)
ENDS = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
S_ID = re.compile(r"^[\s\[\]()S\d,;.\-–#]*$")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
OUTLETS = {
    "reuters",
    "associated press",
    "ap",
    "afp",
    "agence france-presse",
    "bbc",
    "cnn",
    "new york times",
    "the new york times",
    "asia times",
    "japan times",
    "the japan times",
    "xinhua",
    "izvestia",
    "france 3",
    "voice of america",
    "voa",
    "news24",
    "el país",
    "el pais",
    "süddeutsche zeitung",
    "il post",
    "economic times",
    "the economic times",
    "washington post",
    "congressional record",
}
BODY_WORDS = re.compile(
    r"\b(?:ministry|government|party|council|commission|court|army|police|center|centre|bank|union|committee|"
    r"agency|forces|department|office|senate|congress|parliament|assembly|community|organi[sz]ation|corp|inc|"
    r"co\.|company|holdings|group|front|movement|militia|rebels|nations|authority|republic|kingdom|state|"
    r"audiencia|fiscalía|partido|ministerio|gobierno|bundes\w*|polizei|regierung|gouvernement|assemblée|"
    r"carabinieri|procura)\b",
    re.IGNORECASE,
)
PLACE_KINDS = {"place", "outlet"}
BODY_KINDS = {"organisation", "organization", "state", "group", "body"}


def example_text() -> str:
    """The worked example of the default prompt (its invented article and briefing), or "" without one."""
    path = ROOT / "prompts" / "policy.system.j2"
    source = path.read_text() if path.exists() else ""
    start = source.find("An example")
    return source[start : source.find("{% endif %}", start)] if start >= 0 else ""


EXAMPLE = example_text()
# The example's invented names: capitalised words inside its sentences ("of Arland and Bevia met in Corin").
EXAMPLE_NAMES = set(re.findall(r"(?<=[a-z,] )([A-Z][a-z]{2,})\b", EXAMPLE)) - {"Tuesday", "June", "July", "August"}
EXAMPLE_NAMES = EXAMPLE_NAMES - {"Basin", "Commission"} | {"Basin Commission"}


def example_leak(text: str, article_text: str) -> bool:
    if any(re.search(rf"\b{name}\b", text) and name not in article_text for name in EXAMPLE_NAMES):
        return True
    return len(text.split()) >= 5 and fuzz.partial_ratio(text.lower(), EXAMPLE.lower()) >= 90


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def load_json(path: Path, default):
    return json.loads(path.read_text()) if path.exists() else default


# --- running ----------------------------------------------------------------------------------------------


def briefing_bin() -> str:
    local = ROOT / ".venv" / "bin" / "briefing"
    return str(local) if local.exists() else (shutil.which("briefing") or "briefing")


def run(ids: list[str], out: Path, args) -> None:
    out.mkdir(parents=True, exist_ok=True)
    times = load_json(out / "times.json", {})
    for n, aid in enumerate(ids, 1):
        cmd = [
            briefing_bin(),
            "generate",
            str(ARTICLES / f"{aid}.txt"),
            "-f",
            "json",
            "-o",
            str(out / f"{aid}.json"),
            "--no-cache",
            "--force",
        ]
        if args.base_url:
            cmd += ["--base-url", args.base_url]
        if args.model:
            cmd += ["--model", args.model]
        if args.length:
            cmd += ["--length", args.length]
        if args.log:
            cmd += ["-vv"]
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), check=False)
        seconds = time.perf_counter() - started
        times[aid] = {"seconds": round(seconds, 1), "exit": done.returncode, "stderr": done.stderr[-2000:]}
        (out / "times.json").write_text(json.dumps(times, indent=1))
        if args.log:
            (out / f"{aid}.log").write_text(done.stderr)
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
        print(f"[{n}/{len(ids)}] {aid}: {seconds:.0f} s {status}", flush=True)
        if done.returncode == 0:
            subprocess.run(
                [
                    briefing_bin(),
                    "render",
                    str(out / f"{aid}.json"),
                    "-f",
                    "md",
                    "-o",
                    str(out / f"{aid}.md"),
                    "--force",
                ],
                capture_output=True,
                text=True,
                check=False,
            )


# --- scoring ----------------------------------------------------------------------------------------------


def prose_fields(b: dict) -> list[str]:
    texts = [b.get("bluf") or "", b.get("summary") or ""]
    texts += [j.get("statement") or "" for j in b.get("key_judgments", [])]
    texts += [r.get("description") or "" for r in b.get("risks", [])]
    texts += [o.get("development") or "" for o in b.get("outlook", [])]
    texts += list(b.get("gaps", []))
    return [t for t in texts if t.strip()]


def all_texts(b: dict) -> list[str]:
    texts = [b.get("title") or ""] + prose_fields(b)
    for a in b.get("key_actors", []):
        texts += [a.get("role") or "", a.get("stance") or ""]
    for r in b.get("risks", []):
        texts += [r.get("title") or ""] + list(r.get("indicators", []))
    for o in b.get("outlook", []):
        texts += list(o.get("signposts", []))
    return [t for t in texts if t.strip()]


def copied(text: str, sentences: list[str]) -> bool:
    for part in SENTENCE.split(text.strip()):
        if len(part) >= 20 and any(fuzz.ratio(part, s) > 80 for s in sentences):
            return True
    return False


def bad_signpost(text: str) -> bool:
    return not re.search(r"[^\W\d_]", text) or bool(S_ID.match(text)) or len(text.split()) < 3


def expected_kind(name: str, labels: dict, article_names: dict) -> str | None:
    """The kind a name should have: the hand label, else an outlet, else a body by its words, else the
    name finder's kind when it says state or organisation (its "person" is a guess, not evidence)."""
    folded = {fold(k): v for k, v in labels.items()}
    if fold(name) in folded:
        return folded[fold(name)]
    if fold(name).removeprefix("the ") in OUTLETS:
        return "outlet"
    if BODY_WORDS.search(name):
        return "organisation"
    if article_names.get(fold(name)) in BODY_KINDS:
        return article_names[fold(name)]
    return None


def kind_error(actor: dict, expected: str | None) -> bool:
    kind = (actor.get("kind") or "").lower()
    return (
        expected in PLACE_KINDS
        or (expected == "person" and kind != "person")
        or (expected in BODY_KINDS and kind == "person")
    )


def quote_spans(file_text: str, offsets: list[int]) -> list[tuple[int, int]]:
    spans = []
    for at in offsets:
        closing = r"''" if file_text.startswith("``", at) else r"[\"”»“]"  # AP copy quotes ``like this''
        close = re.search(closing, file_text[at + 2 :])
        spans.append((at, at + 2 + close.start() if close else len(file_text)))
    return spans


def same_speaker(a: str | None, b: str) -> bool:
    if not a:
        return False
    fa, fb = fold(a), fold(b)
    return fa == fb or fa in fb or fb in fa or fa.split()[-1] == fb.split()[-1]


def alias_match(ref: str | list[str], names: list[str]) -> bool:
    """A reference name (or any of its listed aliases) among the actors: equal, one containing the other
    as whole words, or the same last word (surname), case and accents ignored."""
    for alias in [ref] if isinstance(ref, str) else ref:
        r = fold(alias).removeprefix("the ")
        for n in names:
            f = fold(n).removeprefix("the ")
            if (
                r == f
                or re.search(rf"\b{re.escape(r)}\b", f)
                or re.search(rf"\b{re.escape(f)}\b", r)
                or r.split()[-1] == f.split()[-1]
            ):
                return True
    return False


def score_one(aid: str, data: dict, labels: dict) -> dict:
    b = data["briefing"]
    art = data["article"]
    sentences = art.get("sentences", [])
    kj, risks, outl = b.get("key_judgments", []), b.get("risks", []), b.get("outlook", [])
    says_report = bool(re.search(r"\breport", art.get("text", ""), re.IGNORECASE))
    meta = sum(1 for t in all_texts(b) if META.search(t) or (not says_report and THE_REPORT.search(t)))
    copy_fields = [b.get("bluf") or "", b.get("summary") or ""] + [j.get("statement") or "" for j in kj]
    copy_fields += [o.get("development") or "" for o in outl]
    n_copied = sum(1 for t in copy_fields if t and copied(t, sentences))
    cut = sum(1 for t in prose_fields(b) if not ENDS.search(t))
    signs = [i for r in risks for i in r.get("indicators", [])] + [s for o in outl for s in o.get("signposts", [])]
    badind = sum(1 for s in signs if bad_signpost(s))
    items = [j.get("statement") or "" for j in kj] + [f"{r.get('title', '')} {r.get('description', '')}" for r in risks]
    items += [o.get("development") or "" for o in outl]
    dup = sum(
        1
        for i in range(len(items))
        for k in range(i + 1, len(items))
        if fuzz.ratio(items[i].lower(), items[k].lower()) > 85
    )
    article_names = {fold(n["name"]): n["kind"] for n in art.get("names", [])}
    kind_labels = labels["actors"].get(aid, {})
    actors = b.get("key_actors", [])
    expected = {a["name"]: expected_kind(a["name"], kind_labels, article_names) for a in actors}
    kind_errs = [a["name"] for a in actors if kind_error(a, expected[a["name"]])]
    junk = [name for name, kind in expected.items() if kind == "none"]
    # speakers: rendered quotes against the hand labels, located in the article file
    file_text = (ARTICLES / f"{aid}.txt").read_text() if (ARTICLES / f"{aid}.txt").exists() else ""
    marks = [x for x in labels["speakers"] if x["article"] == aid]
    spans = quote_spans(file_text, [x["offset"] for x in marks])
    spk = spk_verified = quotes = 0
    for a in actors:
        for q in a.get("quotes", []):
            quotes += 1
            at = file_text.find((q.get("text") or "").strip()[:60])
            for label, (s, e) in zip(marks, spans):
                if at != -1 and s < at <= e:
                    if not same_speaker(q.get("speaker") or a.get("name"), label["speaker"]):
                        spk += 1
                        spk_verified += bool(q.get("verified"))
                    break
    issues = (data.get("grounding") or {}).get("issues", [])
    example = sum(1 for t in all_texts(b) if example_leak(t, art.get("text", "")))
    refs = labels["reference"].get(aid)
    refcov = (sum(alias_match(r, [a["name"] for a in actors]) for r in refs) / len(refs)) if refs else None
    return {
        "id": aid,
        "kj": len(kj),
        "risks": len(risks),
        "outl": len(outl),
        "meta": meta,
        "copied": n_copied,
        "cut": cut,
        "badind": badind,
        "signposts": len(signs),
        "dup": dup,
        "kind": len(kind_errs),
        "kind_names": kind_errs,
        "junk": len(junk),
        "junk_names": junk,
        "actors": len(actors),
        "quotes": quotes,
        "spk": spk,
        "spk_verified": spk_verified,
        "refcov": refcov,
        "example": example,
        "fixed": sum(1 for i in issues if i.get("status") == "repaired" and i.get("check")),
        "flag": sum(1 for i in issues if i.get("status") == "flagged"),
        "tokens": (data.get("usage") or {}).get("completion_tokens"),
        "secs": None,
    }


def score_dir(folder: Path, ids: list[str]) -> list[dict]:
    labels = {
        "actors": load_json(DEVSET / "actors.json", {}),
        "speakers": load_json(DEVSET / "speakers.json", []),
        "reference": load_json(DEVSET / "reference_actors.json", {}),
    }
    labels["actors"] = {k: v for k, v in labels["actors"].items() if not k.startswith("_")}
    labels["reference"] = {k: v for k, v in labels["reference"].items() if not k.startswith("_")}
    if isinstance(labels["speakers"], dict):
        labels["speakers"] = labels["speakers"].get("quotations", [])
    times = load_json(folder / "times.json", {})
    rows = []
    for aid in ids:
        path = folder / f"{aid}.json"
        if not path.exists():
            rows.append({"id": aid, "missing": True, "secs": times.get(aid, {}).get("seconds")})
            continue
        data = json.loads(path.read_text())
        row = score_one(aid, data, labels)
        row["secs"] = times.get(aid, {}).get("seconds") or round(sum((data.get("timings") or {}).values()), 1)
        rows.append(row)
    return rows


COLUMNS = [
    "kj",
    "risks",
    "outl",
    "meta",
    "copied",
    "cut",
    "badind",
    "dup",
    "kind",
    "junk",
    "spk",
    "spk_verified",
    "refcov",
    "example",
    "fixed",
    "flag",
    "tokens",
    "secs",
]
HEAD = [
    "kj",
    "risks",
    "outl",
    "meta",
    "copied",
    "cut",
    "badind",
    "dup",
    "kind",
    "junk",
    "spk",
    "spk✓",
    "refcov",
    "exmpl",
    "fixed",
    "flag",
    "tokens",
    "secs",
]


def table(rows: list[dict]) -> str:
    lines = [f"{'article':<30}" + "".join(f"{h:>7}" for h in HEAD)]
    for r in rows:
        if r.get("missing"):
            lines.append(f"{r['id']:<30}  (no result)")
            continue
        cells = []
        for c in COLUMNS:
            v = r.get(c)
            cells.append(
                f"{'-' if v is None else (f'{v:.2f}' if c == 'refcov' else (f'{v:.0f}' if c == 'secs' else v)):>7}"
            )
        lines.append(f"{r['id']:<30}" + "".join(cells))
    done = [r for r in rows if not r.get("missing")]
    if done:
        tot = []
        for c in COLUMNS:
            vals = [r[c] for r in done if r.get(c) is not None]
            if c in ("refcov", "tokens", "secs"):
                tot.append(f"{(sum(vals) / len(vals)) if vals else 0:>7.{2 if c == 'refcov' else 0}f}")
            else:
                tot.append(f"{sum(vals):>7}")
        lines.append(f"{'total (refcov...secs: means)':<30}" + "".join(tot))
        signs = sum(r["signposts"] for r in done)
        lines.append(
            f"{len(done)} of {len(rows)} articles briefed; {sum(r['actors'] for r in done)} actors, "
            f"{sum(r['quotes'] for r in done)} quotes, {signs} indicators/signposts"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path("/tmp/devset-run"), help="folder for ID.json, ID.md, times.json"
    )
    parser.add_argument("--score-only", type=Path, metavar="DIR", help="rescore saved JSONs, run nothing")
    parser.add_argument("--only", help="comma-separated article ids")
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--length", choices=["short", "standard", "long"])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--log", action="store_true", help="run each article with -vv and keep its log as ID.log")
    args = parser.parse_args()
    manifest = json.loads((DEVSET / "manifest.json").read_text())
    ids = [a["id"] for a in manifest["articles"] if a["kind"] != "long"]
    ids += [a["id"] for a in manifest["articles"] if a["kind"] == "long"]  # the slowest one last
    if args.only:
        ids = [i for i in ids if i in set(args.only.split(","))]
    folder = args.score_only or args.out
    if not args.score_only:
        missing = [i for i in ids if not (ARTICLES / f"{i}.txt").exists()]
        if missing:
            print(f"articles not built: {missing}; run python bench/devset/build.py", file=sys.stderr)
            return 1
        run(ids, folder, args)
    rows = score_dir(folder, ids)
    print(json.dumps(rows, indent=1, ensure_ascii=False) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
