"""Thread and batch settings of the embedded model, measured: prompt and generation tokens/s per setting.

    PYTHONPATH=. python bench/bench_threads.py [--tokens 96] [--only NAME ...]

One fresh embedded server per setting (the model file in the page cache: load is seconds), the seed
article's real briefing prompt (system prompt, field guide, article) sent once with the prompt cache
off, `--tokens` tokens generated under the same constraint briefing sends (the compact JSON grammar of
the article's schema, with its sampling settings), and once with no constraint. Printed per
setting: load seconds, prompt tokens and tokens/s, generated tokens and tokens/s, and the seconds a
whole seed briefing (prompt + 800 tokens) would take at those rates. Run it on an idle machine: any
other process on the cores changes every number.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402

from briefing.ask import build_request  # noqa: E402
from briefing.ingest.files import load_article  # noqa: E402
from briefing.llm.embedded import EmbeddedServer, prepare_model  # noqa: E402
from briefing.llm.structured import EMBEDDED_SAMPLING, compact_json_grammar  # noqa: E402
from briefing.prompts import PromptSet  # noqa: E402
from briefing.settings import load_settings  # noqa: E402

SEED = ROOT / "seeds" / "korea-talks-collapse.txt"
CORES = os.cpu_count() or 1
# name: (generation threads, prompt threads, n_batch, n_ubatch, flash attention, KV cache type); None:
# the runtime's default
SETTINGS = {
    "default (all cores, 2048/512)": (CORES, None, None, None, "auto", "f16"),
    "default, no schema constraint": (CORES, None, None, None, "auto", "f16"),
    "1 thread": (1, 1, None, None, "auto", "f16"),
    "gen 1, prompt all": (1, CORES, None, None, "auto", "f16"),
    "ubatch 256": (CORES, None, None, 256, "auto", "f16"),
    "ubatch 1024, batch 1024": (CORES, None, 1024, 1024, "auto", "f16"),
    "ubatch 128": (CORES, None, None, 128, "auto", "f16"),
    "flash attention on": (CORES, None, None, None, "on", "f16"),
    "flash attention off": (CORES, None, None, None, "off", "f16"),
    "KV cache q8_0 (flash attention on)": (CORES, None, None, None, "on", "q8_0"),
}
if CORES > 2:
    SETTINGS["gen cores-1"] = (CORES - 1, CORES, None, None, "auto", "f16")


def measure(gguf: Path, messages: list[dict], schema: dict | None, tokens: int, setting: tuple) -> dict:
    threads, threads_batch, batch, ubatch, flash_attn, kv_type = setting
    with EmbeddedServer(
        gguf,
        threads=threads,
        threads_batch=threads_batch,
        batch=batch,
        ubatch=ubatch,
        flash_attn=flash_attn,
        kv_type=kv_type,
    ) as server:
        body = {
            "model": "local",
            "messages": messages,
            "max_tokens": tokens,
            "temperature": 0,
            "cache_prompt": False,
        }
        if schema is not None:  # exactly what briefing sends the embedded server
            body.update(grammar=compact_json_grammar(schema), **EMBEDDED_SAMPLING)
        started = time.perf_counter()
        answer = httpx2.post(server.base_url + "/chat/completions", json=body, timeout=1800).json()
        wall = time.perf_counter() - started
        t = answer["timings"]
        return {
            "load": server.load_seconds,
            "prompt_n": t["prompt_n"],
            "pp_tps": t["prompt_per_second"],
            "gen_n": t["predicted_n"],
            "gen_tps": t["predicted_per_second"],
            "wall": wall,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=96, help="tokens generated per setting")
    parser.add_argument("--only", nargs="*", help="settings to run (default all)")
    parser.add_argument(
        "--article", default=str(SEED), help="the article whose briefing prompt is sent (default: the seed)"
    )
    args = parser.parse_args()
    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    request = build_request(load_article(args.article), prompt, settings)
    gguf = prepare_model(str(settings.local_model), settings.home)
    print(
        f"{CORES} cores; prompt of {Path(args.article).name}'s briefing; {args.tokens} tokens generated under the schema"
    )
    print(f"{'setting':34} {'load s':>6} {'prompt':>6} {'pp tok/s':>8} {'gen':>4} {'gen tok/s':>9} {'seed est. s':>11}")
    for name, setting in SETTINGS.items():
        if args.only and name not in args.only:
            continue
        schema = None if "no schema" in name else request.schema
        r = measure(gguf, request.messages, schema, args.tokens, setting)
        estimate = r["prompt_n"] / r["pp_tps"] + 800 / r["gen_tps"]
        print(
            f"{name:34} {r['load']:6.1f} {r['prompt_n']:6d} {r['pp_tps']:8.1f} {r['gen_n']:4d} {r['gen_tps']:9.1f}"
            f" {estimate:11.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
