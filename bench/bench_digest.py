"""Digest throughput against a loopback server with fixed latency, compared with the ideal.

    PYTHONPATH=. python bench/bench_digest.py                 # the grid, ~4 min
    PYTHONPATH=. python bench/bench_digest.py --full          # adds N=200 at concurrency 1 (60 s more)
    PYTHONPATH=. python bench/bench_digest.py --grid 50x10 --repeat 5   # one point, median of 5

`tests/llm_server.py`, in its own process (bench/loopback.py), answers every request after
`--latency` seconds (0.3). For each point
N articles x concurrency C the ideal is N x latency / C: what the briefings would take if only the
endpoint's latency counted. Printed per point (each a median of `--repeat` runs, fresh BRIEFING_HOME,
so nothing is cached):

    stage    the digest's own "briefings" timing (cache keys, session, the pool of N requests)
    inproc   the whole `briefing digest` command called in this process (imports done): loading and
             merging the files, the briefings, the cover call (one latency more: it needs every story
             first), rendering and writing
    first    seconds from the command's start to the first request reaching the server
    fresh    the same command in a fresh `python -m briefing digest` process (start-up included;
             only for the points named by --fresh, default 50x10)

Then a cached rerun of the 50x10 digest: requests made (must be 0) and the wall time per article.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loopback import ServerProcess  # noqa: E402
from tests.articles import write_articles  # noqa: E402

DEFAULT_GRID = [f"{n}x{c}" for n in (10, 50, 200) for c in (1, 4, 10, 25)]


def digest_args(folder: Path, url: str, concurrency: int, out: Path) -> list[str]:
    return ["digest", str(folder), "--base-url", url, "-j", str(concurrency), "-f", "json", "-o", str(out), "--force"]


def run_inprocess(args: list[str], home: Path) -> float:
    """Run `briefing ARGS` in this process (imports already done); returns wall seconds."""
    from briefing.cli import app

    os.environ["BRIEFING_HOME"] = str(home)
    started = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()):  # the progress lines
        try:
            app(args, prog_name="briefing", standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - a failed run is a bug in the bench
            if exc.code:
                raise
    return time.perf_counter() - started


def run_fresh(args: list[str], home: Path) -> float:
    """Run `python -m briefing ARGS` in a fresh process; returns wall seconds."""
    env = {**os.environ, "BRIEFING_HOME": str(home), "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "briefing", *args], env=env, capture_output=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode())
    return wall


def point(llm: ServerProcess, folder: Path, tmp: Path, n: int, c: int, repeat: int, fresh: bool) -> dict:
    stages, inprocs, firsts, fresh_walls = [], [], [], []
    for r in range(repeat):
        before = llm.stats()["chat"]
        out = tmp / f"d-{n}-{c}-{r}.json"
        started = time.monotonic()
        inprocs.append(run_inprocess(digest_args(folder, llm.url, c, out), tmp / f"home-{n}-{c}-{r}"))
        stats = llm.stats()
        assert stats["chat"] - before == n + 1, "expected N briefings + 1 cover"
        stages.append(json.loads(out.read_text())["timings"]["briefings"])
        firsts.append(stats["arrivals"][before] - started)
        if fresh:
            fresh_walls.append(run_fresh(digest_args(folder, llm.url, c, out), tmp / f"fresh-{n}-{c}-{r}"))
    return {
        "stage": statistics.median(stages),
        "inproc": statistics.median(inprocs),
        "first": statistics.median(firsts),
        "fresh": statistics.median(fresh_walls) if fresh_walls else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--grid", nargs="*", default=None, help="points NxC (default: N 10 50 200 x C 1 4 10 25)")
    parser.add_argument("--fresh", nargs="*", default=["50x10"], help="points also run as a fresh process")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="include N=200 at concurrency 1 (60 s of waiting)")
    opts = parser.parse_args()
    grid = opts.grid or [p for p in DEFAULT_GRID if opts.full or p != "200x1"]
    points = [tuple(int(x) for x in p.split("x")) for p in grid]
    saved_home = os.environ.get("BRIEFING_HOME")
    for key in [k for k in os.environ if k.startswith("OPENAI_")]:
        del os.environ[key]

    print(
        f"digest against a loopback server answering after {opts.latency:g} s; seconds, median of "
        f"{opts.repeat}; ratio = time / ideal"
    )
    print(
        f"{'N':>4}{'C':>4}{'ideal':>8}{'stage':>8}{'ratio':>7}{'inproc':>8}{'ratio':>7}"
        f"{'first':>7}{'fresh':>8}{'ratio':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp_name, ServerProcess(latency=opts.latency) as llm:
        tmp = Path(tmp_name)
        warm = tmp / "in-warm"
        write_articles(warm, 2, start=900)
        run_inprocess(digest_args(warm, llm.url, 2, tmp / "warm.json"), tmp / "home-warm")  # imports, templates
        folders = {}
        for n, c in points:
            if n not in folders:
                folders[n] = tmp / f"in-{n}"
                write_articles(folders[n], n)
            res = point(llm, folders[n], tmp, n, c, opts.repeat, fresh=f"{n}x{c}" in opts.fresh)
            ideal = n * opts.latency / c
            fresh = f"{res['fresh']:8.2f}{res['fresh'] / ideal:7.2f}" if res["fresh"] is not None else ""
            print(
                f"{n:>4}{c:>4}{ideal:8.2f}{res['stage']:8.2f}{res['stage'] / ideal:7.2f}"
                f"{res['inproc']:8.2f}{res['inproc'] / ideal:7.2f}{res['first']:7.2f}{fresh}",
                flush=True,
            )

        # A cached rerun: the same 50 articles, the same home.
        folder = folders.get(50) or tmp / "in-50"
        if not folder.exists():
            write_articles(folder, 50)
        home, out = tmp / "home-cached", tmp / "cached.json"
        args = digest_args(folder, llm.url, 10, out)
        run_inprocess(args, home)
        before = llm.stats()["chat"]
        inproc = statistics.median(run_inprocess(args, home) for _ in range(opts.repeat))
        fresh = statistics.median(run_fresh(args, home) for _ in range(opts.repeat))
        made = llm.stats()["chat"] - before
        print(
            f"cached rerun of 50 articles: {made} requests; in-process {inproc:.2f} s "
            f"({inproc / 50 * 1000:.1f} ms per article), fresh process {fresh:.2f} s ({fresh / 50 * 1000:.1f} ms per article)"
        )
    if saved_home is None:
        os.environ.pop("BRIEFING_HOME", None)


if __name__ == "__main__":
    main()
