"""Development set builder: writes bench/devset/articles/ID.txt and ID.summary.txt from pinned public corpora.

Reads bench/devset/manifest.json (each article: id, kind, language, repo, pinned commit, path, selector,
sha256 of the extracted text and of the reference summary), takes each file out of a bare mirror under
/work/.mirror with `git show COMMIT:PATH`, extracts the article and its human reference summary, strips
markup, and checks the checksums. Nothing it writes is committed (bench/devset/articles/ is ignored).

    python bench/devset/build.py            # build and check every article
    python bench/devset/build.py --record   # (maintainer) write the checksums of what was built into the manifest

A missing mirror is reported with the `fetch` call that brings it (github:OWNER/NAME).

Sources and selectors:
- "wikinewssum": WikinewsSum (airKlizz/WikinewsSum, endataset.json, one JSON record a line). The article is
  one of the record's source pages (`source`: its index), cut from the first line containing `start` to the
  line containing `end`, minus `drop` lines; the reference summary is the Wikinews article itself (written
  by Wikinews editors from the sources), with its wiki markup removed.
- "euroeval": the example records in EuroEval's dataset docs (MLSUM-es/de, OrangeSum, IlPost), the
  `example`-th ```json block after the `section` heading; `text` is the article, `target_text` the
  reference summary. These records carry no headline: the manifest's `title` is written by us
  (`title_source: "editor"`), from the article's first sentence.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
OUT = HERE / "articles"
MIRRORS = Path("/work/.mirror")


def git_dir(repo: str) -> Path:
    return MIRRORS / repo.replace("/", "+") / "repo"


def git_show(repo: str, commit: str, path: str) -> str:
    where = git_dir(repo)
    if not where.is_dir():
        raise SystemExit(f"missing mirror {where}: bring it with the fetch verb, source github:{repo}")
    return subprocess.run(
        ["git", "--git-dir", str(where), "show", f"{commit}:{path}"], check=True, capture_output=True, text=True
    ).stdout


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tidy_line(line: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", html.unescape(line)).strip()


def cut_lines(text: str, start: str | None, end: str | None, drop: list[str]) -> str:
    """The lines from the one containing `start` to the one containing `end` (both kept), minus `drop`."""
    lines = [_tidy_line(x) for x in text.splitlines()]
    first = next(i for i, x in enumerate(lines) if start in x) if start else 0
    last = next(i for i in range(first, len(lines)) if end in lines[i]) if end else len(lines) - 1
    kept = lines[first : last + 1]
    if start:  # the start line may begin with junk before the article ("... MUMBAI: Equities")
        kept[0] = kept[0][kept[0].index(start) :]
    if end:
        kept[-1] = kept[-1][: kept[-1].index(end) + len(end)]
    paragraphs: list[str] = []
    for line in (x for x in kept if x and x not in drop):
        if paragraphs and line[0].islower():  # a sentence broken by a dropped caption or a hard wrap
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def strip_wiki(paragraphs: list[str]) -> str:
    """Wikinews wikitext -> plain prose: links and {{w|...}} to their label, other templates, files,
    bold/italics and lists dropped."""
    out = []
    for line in (x for p in paragraphs for x in p.split("\n")):
        line = re.sub(r"\[\[(?:File|Image):[^\]]*\]\]", "", line)
        line = re.sub(r"\{\{w\|(?:[^|{}]*\|)?([^|{}]*)\}\}", r"\1", line)
        line = re.sub(r"\{\{[^{}]*\}\}|\{+[\w-]+\}+", "", line).strip()
        line = line.removeprefix("{{byline|date")  # some records lost the template's end and a letter
        if not line or line.startswith(("{", "==", "*", "|", "[[Category")):
            continue
        line = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]", r"\1", line)
        line = re.sub(r"\[https?://\S+ ([^\]]*)\]", r"\1", line)
        line = re.sub(r"'{2,}", "", line)
        line = re.sub(r"<[^>]+>", "", line)
        line = _tidy_line(line)
        if line and not re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", line):  # the dateline
            out.append(line)
    return "\n\n".join(out)


def extract(entry: dict) -> tuple[str, str, str]:
    """(title, body, reference summary) of one manifest entry."""
    raw = git_show(entry["repo"], entry["commit"], entry["path"])
    sel = entry["selector"]
    if entry["corpus"] == "wikinewssum":
        record = json.loads(raw.splitlines()[sel["record"]])
        source = record["sources"][sel["source"]]
        body = cut_lines(source["maintext"], sel.get("start"), sel.get("end"), sel.get("drop", []))
        return entry.get("title") or source["title"], body, strip_wiki(record["text"])
    if entry["corpus"] == "euroeval":
        section = raw[raw.index(sel["section"] + "\n") :]
        blocks = re.findall(r"```json\n(.*?)\n```", section.split("\n## ", 1)[0], re.DOTALL)
        record = json.loads(blocks[sel["example"]])
        return entry["title"], _tidy_line(record["text"]), _tidy_line(record["target_text"])
    raise ValueError(f"unknown corpus {entry['corpus']!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the built texts' checksums into the manifest")
    parser.add_argument("--only", help="comma-separated ids")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text())
    OUT.mkdir(exist_ok=True)
    bad = 0
    wanted = set(args.only.split(",")) if args.only else None
    for entry in manifest["articles"]:
        if wanted and entry["id"] not in wanted:
            continue
        title, body, summary = extract(entry)
        article = f"{title}\n\n{body}\n"
        summary = summary + "\n"
        sums = {"sha256": sha256(article), "summary_sha256": sha256(summary)}
        if args.record:
            entry.update(sums)
        else:
            for key, value in sums.items():
                if entry.get(key) != value:
                    print(f"{entry['id']}: {key} mismatch (manifest {entry.get(key)}, built {value})", file=sys.stderr)
                    bad += 1
        (OUT / f"{entry['id']}.txt").write_text(article)
        (OUT / f"{entry['id']}.summary.txt").write_text(summary)
        print(
            f"{entry['id']:<24} {entry['language']} {entry['kind']:<12} {len(article.encode()):>6} B  summary {len(summary):>5} B"
        )
    if args.record:
        MANIFEST.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    if bad:
        print(
            f"{bad} checksum mismatches: the mirrors differ from the pinned commits or the extraction changed",
            file=sys.stderr,
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
