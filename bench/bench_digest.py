"""Digest throughput against a loopback server with fixed latency, compared with the ideal.

    PYTHONPATH=. python bench/bench_digest.py [--articles 50] [--latency 0.3] [--concurrency 10]

The ideal is articles x latency / concurrency: what the briefings would take if nothing but the
endpoint's latency counted. The digest adds one cover call (one more latency) and its own work
(loading, merging, prompts, verification, rendering). A second run of the same inputs must make
zero requests (the cache); its time is reported too. Runs `briefing digest` as a user would,
in a fresh process each time, so start-up is included in "wall".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.articles import write_articles  # noqa: E402
from tests.llm_server import LLMServer  # noqa: E402


def run(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "briefing", "digest", *args], env=env, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=10)
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, LLMServer(latency=opts.latency) as llm:
        folder = Path(tmp) / "in"
        write_articles(folder, opts.articles)
        env = {**os.environ, "BRIEFING_HOME": str(Path(tmp) / "home"), "PYTHONPATH": str(ROOT)}
        env = {k: v for k, v in env.items() if not k.startswith("OPENAI_")}
        out = Path(tmp) / "digest.json"
        args = [str(folder), "--base-url", llm.url, "-j", str(opts.concurrency), "-f", "json", "-o", str(out), "--force"]

        wall = run(args, env)
        timings = json.loads(out.read_text())["timings"]
        first_requests = len(llm.chat_requests)
        wall_cached = run(args, env)
        cached_requests = len(llm.chat_requests) - first_requests

    ideal = opts.articles * opts.latency / opts.concurrency
    print(f"digest of {opts.articles} articles, {opts.latency:g} s latency, --concurrency {opts.concurrency}")
    print(f"  ideal (articles x latency / concurrency): {ideal:.2f} s")
    print(f"  briefings stage:                          {timings['briefings']:.2f} s  ratio {timings['briefings'] / ideal:.2f}")
    print(f"  cover call:                               {timings['cover']:.2f} s")
    print(f"  load + merge:                             {timings['load']:.2f} s")
    print(f"  wall, fresh process (start-up included):  {wall:.2f} s  ratio {wall / ideal:.2f}")
    print(f"  requests: {first_requests} (= {opts.articles} briefings + 1 cover)")
    print(f"  rerun of the same inputs: {cached_requests} requests, {wall_cached:.2f} s wall")


if __name__ == "__main__":
    main()
