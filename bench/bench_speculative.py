"""Speculative decoding on the embedded model: one server per mode, the same briefing request each time.

    BRIEFING_HOME=... PYTHONPATH=. python bench/bench_speculative.py [--modes none,simple-12-48,...] [ARTICLE]

Each mode starts its own llama.cpp server (xllamacpp, as briefing starts it: n_ctx 8192, all cores)
and sends the article's briefing request once, with the compact JSON grammar and the sampling
briefing sends (EMBEDDED_SAMPLING), at `--temperature` (0: greedy) and `--seed`. Printed per mode,
one JSON line: load seconds, wall seconds, prompt tokens and milliseconds, tokens generated and
tokens/s, drafted and accepted tokens (llama.cpp's `timings`), and a hash of the answer. The request
is built once, so every mode reads the same prompt (the same random fence). Modes: none; simple-N-M and mapk-N-M (n-gram lookup in the prompt and the answer
so far, match N tokens, draft up to M); mod (ngram-mod, llama.cpp's defaults); draft-K (the 0.5B
sibling drafts K tokens; needs the small-model extra).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
import xllamacpp as xlc  # noqa: E402

from briefing.ask import build_request  # noqa: E402
from briefing.ingest.files import load_article  # noqa: E402
from briefing.llm.embedded import DEFAULT_CONTEXT, prepare_model  # noqa: E402
from briefing.llm.structured import EMBEDDED_SAMPLING, compact_json_grammar  # noqa: E402
from briefing.prompts import PromptSet  # noqa: E402
from briefing.settings import load_settings  # noqa: E402

KINDS = xlc.common_speculative_type
SEED = ROOT / "seeds" / "korea-talks-collapse.txt"


def configure(params, mode: str, home: Path, threads: int) -> None:
    """Set `params.speculative` for `mode` (see the module docstring)."""
    if mode == "none":
        return
    kind, *sizes = mode.split("-")
    if kind in ("simple", "mapk"):
        params.speculative.types = [
            KINDS.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE
            if kind == "simple"
            else KINDS.COMMON_SPECULATIVE_TYPE_NGRAM_MAP_K
        ]
        table = params.speculative.ngram_simple if kind == "simple" else params.speculative.ngram_map_k
        table.size_n, table.size_m = int(sizes[0]), int(sizes[1])
    elif kind == "mod":
        params.speculative.types = [KINDS.COMMON_SPECULATIVE_TYPE_NGRAM_MOD]
    elif kind == "draft":
        params.speculative.types = [KINDS.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE]
        draft = params.speculative.draft
        draft.mparams.path = str(prepare_model("small", home))
        draft.n_max = int(sizes[0])
        draft.cpuparams.n_threads = draft.cpuparams_batch.n_threads = threads
    else:
        raise SystemExit(f"unknown mode {mode!r}")


def run(mode: str, body: dict, model: Path, home: Path, threads: int) -> dict:
    params = xlc.CommonParams()
    params.model.path = str(model)
    params.n_ctx, params.n_parallel, params.verbosity = DEFAULT_CONTEXT, 1, -1
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.hostnames, params.port = ["127.0.0.1"], 0
    configure(params, mode, home, threads)
    started = time.perf_counter()
    server = xlc.Server(params)
    load = time.perf_counter() - started
    url = server.listening_address.rstrip("/")  # type: ignore[attr-defined]
    started = time.perf_counter()
    answer = httpx2.post(url + "/v1/chat/completions", json=body, timeout=3600).json()
    wall = time.perf_counter() - started
    del server
    t = answer.get("timings", {})
    content = answer["choices"][0]["message"]["content"]
    return {
        "mode": mode,
        "load_s": round(load, 1),
        "wall_s": round(wall, 1),
        "prompt_n": t.get("prompt_n"),
        "prompt_s": round(t.get("prompt_ms", 0) / 1000, 1),
        "gen_n": t.get("predicted_n"),
        "gen_tps": round(t.get("predicted_per_second", 0), 1),
        "drafted": t.get("draft_n"),
        "accepted": t.get("draft_n_accepted"),
        "answer": hashlib.sha256(content.encode()).hexdigest()[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(SEED))
    parser.add_argument("--modes", default="none,simple-12-48,mapk-4-16,mod,draft-8")
    parser.add_argument("--temperature", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-tokens", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=2)
    opts = parser.parse_args()
    settings = load_settings({"local": True})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    request = build_request(load_article(opts.article), prompt, settings)
    body = {
        "messages": request.messages,
        "max_tokens": opts.max_tokens,
        "temperature": opts.temperature,
        "seed": opts.seed,
        "grammar": compact_json_grammar(request.schema),
        **EMBEDDED_SAMPLING,
    }
    model = prepare_model("default", settings.home)
    for mode in opts.modes.split(","):
        print(json.dumps(run(mode, body, model, settings.home, opts.threads)), flush=True)


if __name__ == "__main__":
    main()
