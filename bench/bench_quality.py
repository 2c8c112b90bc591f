"""What the embedded model makes of the seed article: real actors, right roles, verified quotes.

Runs the real embedded model (or any endpoint: --base-url/--model as for `briefing generate`)
on an article through the whole pipeline and scores the briefing against the article:

- actors named in the article, and how many are people;
- roles supported by the article: the role's content words occur in the sentences naming the actor;
- quotes that verify word for word, and whose speaker is the one the article gives;
- the grounding counts, tokens and time.

    python bench/bench_quality.py                      # the seed, embedded model, one run (1-3 min)
    python bench/bench_quality.py --runs 3 ARTICLE.txt
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_STOP = {"of", "the", "a", "an", "and", "for", "to", "in", "on", "at", "former", "its", "his", "her"}


def words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def score(result) -> dict:
    article = result.article
    text = article.text
    mentions = {m.name: m.sentences for m in article.names}
    attributed = {q.text: q.speaker for q in article.quotations}
    actors = result.briefing.key_actors
    named = [a for a in actors if a.name in text]
    people = [a for a in named if a.kind == "person"]
    roles_ok = 0
    for a in named:
        context = " ".join(article.sentences[n - 1] for n in mentions.get(a.name, []))
        if words(a.role) and words(a.role) <= words(context) | words(a.name):
            roles_ok += 1
    quotes = [q for a in actors for q in a.quotes]
    verified = [q for q in quotes if q.verified]
    speakers_ok = [q for q in verified if attributed.get(q.text) in (None, q.speaker)]
    g = result.grounding
    return {
        "actors": len(actors),
        "named in article": len(named),
        "people": len(people),
        "roles supported": roles_ok,
        "quotes": len(quotes),
        "quotes verified": len(verified),
        "speakers right": len(speakers_ok),
        "article quotations": len(article.quotations),
        "items verified": f"{g.verified}/{g.total}",
        "prompt tokens": result.usage.prompt_tokens,
        "completion tokens": result.usage.completion_tokens,
        "seconds": round(result.timings.get("request", 0), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(ROOT / "seeds" / "korea-talks-collapse.txt"))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    args = parser.parse_args()

    from briefing.brief import brief_article
    from briefing.ingest.files import load_article
    from briefing.llm.embedded import ProgressLine
    from briefing.prompts import PromptSet
    from briefing.session import open_session
    from briefing.settings import load_settings

    settings = load_settings({"base_url": args.base_url, "model": args.model})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    article = load_article(args.article)
    rows = []
    started = time.perf_counter()
    with open_session(settings, progress=ProgressLine()) as session:
        print(
            f"model: {session.model_info.name} at {session.model_info.endpoint}; "
            f"article: {args.article} ({len(article.sentences)} sentences, {len(article.quotations)} quotations)"
        )
        for run in range(args.runs):
            result = brief_article(article, session, prompt)
            rows.append(score(result))
            print(f"run {run + 1}: " + ", ".join(f"{k} {v}" for k, v in rows[-1].items()))
            for a in result.briefing.key_actors:
                print(f"    {a.name} ({a.kind}): {a.role}; quotes: {len(a.quotes)}")
    if args.runs > 1:
        numeric = [k for k, v in rows[0].items() if isinstance(v, (int, float))]
        print("median: " + ", ".join(f"{k} {statistics.median(r[k] for r in rows)}" for k in numeric))
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
