"""tests/llm_server.py's loopback server in its own process, for benchmarks.

A real endpoint does its work on another machine; run in the benchmark's own process, the fake
server's JSON building would compete with the digest for the GIL and be counted as the digest's
overhead. As a script it prints its URL, then answers each line "stats" on stdin with one JSON
line: the number of chat requests so far and when each arrived (time.monotonic(), which is the
same clock in every process on Linux).

    with ServerProcess(latency=0.3) as server:
        server.url; server.stats() -> {"chat": 51, "arrivals": [...]}
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ServerProcess:
    """Start `python bench/loopback.py --latency L` and talk to it over its stdin and stdout."""

    def __init__(self, latency: float = 0.3) -> None:
        self.latency = latency
        self.url = ""
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> ServerProcess:
        self._proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--latency", str(self.latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.url = self._proc.stdout.readline().strip()
        return self

    def __exit__(self, *exc) -> None:
        assert self._proc is not None
        self._proc.stdin.close()
        self._proc.wait(timeout=10)

    def stats(self) -> dict:
        assert self._proc is not None
        self._proc.stdin.write("stats\n")
        self._proc.stdin.flush()
        return json.loads(self._proc.stdout.readline())


def _serve(latency: float) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.llm_server import LLMServer

    arrivals: list[float] = []
    lock = threading.Lock()

    def note(request):
        if request.path.endswith("/chat/completions"):
            with lock:
                arrivals.append(time.monotonic())
        return None  # the default reply: an instance of the request's schema

    with LLMServer(latency=latency) as llm:
        llm.respond = note
        print(llm.url, flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                with lock:
                    print(json.dumps({"chat": len(arrivals), "arrivals": arrivals}), flush=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.3)
    _serve(parser.parse_args().latency)
