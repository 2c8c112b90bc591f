"""CLI start-up: `briefing --help` and `--version` against a bare interpreter and `import typer`.

    PYTHONPATH=. python bench/bench_startup.py [--runs 15]

Each command runs `--runs` times in a fresh interpreter (the same one, started the same way);
printed are the median and the fastest wall time and the median peak RSS of the child (os.wait4).
Runs are interleaved, so a burst of load on the machine hits every command alike. Then the heavy
modules: which of them `briefing --help` imports (the answer must be none; they load inside the
commands that need them), and the slowest imports of `--help` by `python -X importtime`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "python -c pass": ["-c", "pass"],
    'python -c "import typer"': ["-c", "import typer"],
    "briefing --version": ["-m", "briefing", "--version"],
    "briefing --help": ["-m", "briefing", "--help"],
    "briefing digest --help": ["-m", "briefing", "digest", "--help"],
}
HEAVY = (
    "openai",
    "httpx2",
    "pydantic",
    "jinja2",
    "rich",
    "trafilatura",
    "feedparser",
    "xllamacpp",
    "tenacity",
    "markdown_it",
    "nh3",
    "rapidfuzz",
    "charset_normalizer",
    "briefing.records",
    "briefing.brief",
    "briefing.output.render",
)
PROBE = """
import sys
sys.argv = ["briefing", *sys.argv[1:]]
try:
    from briefing.cli import main
    main()
except SystemExit:
    pass
print(" ".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def run_once(args: list[str], env: dict) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one fresh interpreter running `args`."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{args} exited {proc.returncode}")
    return wall, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    opts = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    results: dict[str, list[tuple[float, int]]] = {name: [] for name in COMMANDS}
    for args in COMMANDS.values():  # warm the page cache once
        run_once(args, env)
    for _ in range(opts.runs):
        for name, args in COMMANDS.items():
            results[name].append(run_once(args, env))

    typer_median = statistics.median(w for w, _ in results['python -c "import typer"'])
    print(f"CLI start-up, {opts.runs} interleaved runs each, {sys.executable}")
    print(f"{'command':<28}{'median s':>10}{'min s':>8}{'x typer':>9}{'peak RSS MB':>13}")
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        rss = statistics.median(r for _, r in runs) / 1024
        print(
            f"{name:<28}{statistics.median(walls):>10.3f}{min(walls):>8.3f}"
            f"{statistics.median(walls) / typer_median:>9.2f}{rss:>13.1f}"
        )

    for argv in (["--help"], ["--version"], ["digest", "--help"], ["generate", "--help"]):
        probe = subprocess.run(
            [sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv], env=env, capture_output=True, text=True
        )
        loaded = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else ""
        print(f"heavy modules imported by `briefing {' '.join(argv)}`: {loaded or 'none'}")

    timing = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "briefing", "--help"], env=env, capture_output=True, text=True
    ).stderr
    rows = []
    for line in timing.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    print("slowest imports of `briefing --help` (cumulative microseconds, -X importtime):")
    for micros, name in sorted(rows, reverse=True)[:8]:
        print(f"  {micros:>8}  {name.strip()}")


if __name__ == "__main__":
    main()
