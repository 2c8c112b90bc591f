"""Peak memory of the embedded server over several prompts, with llama.cpp's RAM prompt cache on and off.

    PYTHONPATH=. python bench/bench_memory.py [--articles A.txt B.txt ...] [--tokens 16]

A digest sends one prompt per article to one server. After each request llama.cpp's host-memory
prompt cache (`cache_ram_mib`, 8192 MiB by default in the runtime) keeps that prompt's state in
RAM, up to a context's worth of tokens, for a later prompt that would share more of it than the
slot does; briefing's later prompts share only the fixed prefix, which the slot still holds. Each
setting runs in its own process (a clean peak): a fresh server, each article's real briefing
prompt sent in turn with `--tokens` tokens generated, then the process's peak and current RSS and
the prompt tokens the server took from its cache. Default articles: three of the development set
(bench/devset/build.py), else the seed three times over with a different headline each time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEVSET = ROOT / "bench" / "devset" / "articles"
DEFAULT = ["rwanda-congo-threat", "china-submarine-apology", "es-alvarez-cascos"]
SETTINGS = {"runtime default (8192 MiB)": 8192, "briefing (off)": 0}


def rss_now_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(cache_ram: int, articles: list[str], tokens: int) -> None:
    """One setting, in this process: prints one JSON line."""
    import httpx2

    from briefing.ask import build_request
    from briefing.ingest.files import load_article
    from briefing.llm.embedded import EmbeddedServer, prepare_model
    from briefing.prompts import PromptSet
    from briefing.settings import load_settings

    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    gguf = prepare_model(str(settings.local_model), settings.home)
    cached = processed = 0
    started = time.perf_counter()
    with EmbeddedServer(gguf, cache_ram_mib=cache_ram) as server:
        for i, path in enumerate(articles):
            article = load_article(path)
            if articles.count(path) > 1:  # the seed again: another headline makes another prompt
                article = article.model_copy(update={"title": f"{article.title} ({i + 1})"})
            request = build_request(article, prompt, settings)
            body = {"model": "local", "messages": request.messages, "max_tokens": tokens, "temperature": 0}
            answer = httpx2.post(server.base_url + "/chat/completions", json=body, timeout=3600).json()
            processed += answer["timings"]["prompt_n"]
            cached += answer["timings"].get("cache_n", 0)
        now = rss_now_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"peak": peak, "end": now, "processed": processed, "cached": cached, "secs": time.perf_counter() - started}
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", nargs="*", help="article files (default: three development-set articles)")
    parser.add_argument("--tokens", type=int, default=16, help="tokens generated per prompt")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    articles = args.articles or [str(DEVSET / f"{a}.txt") for a in DEFAULT]
    if not all(Path(a).exists() for a in articles):
        articles = [str(ROOT / "seeds" / "korea-talks-collapse.txt")] * 3
    if args.child is not None:
        child(args.child, articles, args.tokens)
        return 0
    print(f"{len(articles)} prompts, {args.tokens} tokens generated each: {', '.join(Path(a).stem for a in articles)}")
    print(
        f"{'prompt cache in RAM':28} {'peak RSS MiB':>12} {'RSS at end':>10} {'processed':>9} {'from cache':>10} {'s':>6}"
    )
    for name, mib in SETTINGS.items():
        command = [sys.executable, __file__, "--child", str(mib), "--tokens", str(args.tokens), "--articles", *articles]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        print(
            f"{name:28} {r['peak']:12.0f} {r['end']:10.0f} {r['processed']:9d} {r['cached']:10d} {r['secs']:6.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
