"""Peak memory and time of hostile templates, each rendered in a fresh process (issue 14, item 7).

    PYTHONPATH=. python bench/bench_template_budget.py [--cap-gb 4]

For each attack the child process reports its resident memory just before the render, its peak
after it (ru_maxrss), the wall and CPU seconds of the render and how it ended. The cap (RLIMIT_AS,
default 4 GB) only keeps an unbounded run from taking the machine down: a row that reaches it says
"MemoryError" and the growth it got to. A bounded sandbox shows every row stopped, with growth under
256 MB and CPU time near 5 s at most.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

ATTACKS = {
    "baseline (sample briefing, handout)": None,
    "list of large strings": "{% set xs = range(3000) | map('string') | map('center', 999999) | list %}{{ xs | length }}",
    "batch rows kept": "{% set rows = range(2000) | batch(1) | map('batch', 999999, 'x') | map('list') | list %}"
    "{{ rows | length }}",
    "urlize on 19 MB": "{{ ('www.example.com ' * 1200000) | urlize | length }}",
    "captured output": "{% set big = 'x' * 19000000 %}{% set y %}{% for i in range(1000) %}{{ big }}"
    "{% endfor %}{% endset %}{{ y | length }}",
}

CHILD = r"""
import json, resource, sys, time, tempfile
from pathlib import Path
from briefing.errors import TemplateError
from briefing.output.watchdog import resident_bytes
source = sys.argv[1]
from briefing.output.render import render_briefing
from briefing.output.sample import sample_result
from briefing.output.templating import make_environment, render_template
folder = Path(tempfile.mkdtemp())
(folder / "t.md.j2").write_text(source or "")
env = make_environment([folder], autoescape=False)
result = sample_result()
render_briefing(result, "html")  # warm: imports and compiled templates are not the template's memory
before = resident_bytes()
wall, cpu = time.perf_counter(), time.process_time()
try:
    if source:
        render_template(env, "t.md.j2", {})
    else:
        render_briefing(result, "html")
    outcome = "completed"
except TemplateError as exc:
    outcome = "stopped: " + str(exc).split(": stopped by the sandbox: ")[-1].split(" (")[0]
except MemoryError:
    outcome = "MemoryError (the cap, not the sandbox)"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"before": before, "peak": peak, "wall": time.perf_counter() - wall,
                  "cpu": time.process_time() - cpu, "outcome": outcome}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap-gb", type=float, default=4.0)
    args = parser.parse_args()
    cap = int(args.cap_gb * 1e9)
    print(f"{'attack':38} {'before MB':>9} {'grew MB':>8} {'wall s':>7} {'cpu s':>6}  outcome")
    for name, source in ATTACKS.items():
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, source or ""],
            capture_output=True,
            text=True,
            timeout=600,
            preexec_fn=lambda: __import__("resource").setrlimit(__import__("resource").RLIMIT_AS, (cap, cap)),
        )
        if proc.returncode != 0:
            print(f"{name:38} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        grew = (r["peak"] - r["before"]) / 1e6
        print(f"{name:38} {r['before'] / 1e6:9.0f} {grew:8.0f} {r['wall']:7.1f} {r['cpu']:6.1f}  {r['outcome']}")


if __name__ == "__main__":
    main()
