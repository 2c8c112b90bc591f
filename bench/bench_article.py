"""Overhead per article outside the LLM: every stage of the pipeline except the request, timed warm.

    PYTHONPATH=. python bench/bench_article.py [--repeat 30] [--profile STAGE]

Stages, as `briefing generate -f md -f html -f json` runs them for one article:

    load     read the file, decode it (bytes -> text), take the headline
    split    numbered sentences, names, quotations (build_article)
    schema   the per-article JSON schemas (grounded, sent; free, for prompt-only servers)
    messages the system and user prompts rendered from the templates, and their digest
    verify   the verifier on the model's answer (evidence ids, verbatim quotes, actor names)
    md, html, json   the three renders of the saved result

Two articles: the seed (seeds/korea-talks-collapse.txt, 4.7 KB, with the real embedded model's
answer from tests/fixtures/seed-briefing.json) and a ~50 KB article made of 45 distinct synthetic
reports (with a schema-valid answer like the loopback server's). Each stage runs once to warm up
(templates compiled, caches filled, as in a digest after its first article), then `--repeat`
times; the median is printed. `--profile STAGE` prints cProfile's top functions for one stage.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.ask import BriefingRequest, prompt_variables  # noqa: E402
from briefing.ingest.files import _split_title, read_source, title_from_filename  # noqa: E402
from briefing.output.render import render_briefing  # noqa: E402
from briefing.prompts import PromptSet  # noqa: E402
from briefing.records import Briefing, BriefingResult, ModelInfo, PromptInfo  # noqa: E402
from briefing.schema import build_schema  # noqa: E402
from briefing.settings import load_settings  # noqa: E402
from briefing.text.article import build_article  # noqa: E402
from briefing.text.decode import decode_text  # noqa: E402
from briefing.verify import verify_briefing  # noqa: E402
from tests.articles import make_article  # noqa: E402
from tests.llm_server import instance  # noqa: E402

SEED = ROOT / "seeds" / "korea-talks-collapse.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "seed-briefing.json"


def long_article(folder: Path, size: int = 50_000) -> Path:
    """A ~50 KB article: a headline, then distinct synthetic reports as paragraphs."""
    paragraphs, i = [], 0
    while sum(len(p) + 2 for p in paragraphs) < size:
        paragraphs.append(make_article(i).split("\n", 1)[1].strip())
        i += 1
    path = folder / "long-article.txt"
    path.write_text(
        "Regional disputes flare across the north (a long report)\n\n" + "\n\n".join(paragraphs) + "\n",
        encoding="utf-8",
    )
    return path


def stages(path: Path, answer: Briefing | None):
    """(name, thunk) for each stage; each thunk runs that stage on the previous stage's output."""
    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    dirs, _ = settings.template_search_path()
    variables = prompt_variables(settings)
    state: dict = {}

    def load():
        data, name = read_source(str(path))
        state["text"] = decode_text(data, str(path))
        state["title"], state["body"] = _split_title(state["text"], fallback=title_from_filename(name))

    def split():
        state["article"] = build_article(source=str(path), title=state["title"], text=state["body"])

    def schema():
        build_schema(state["article"], grounded=True)
        build_schema(state["article"], grounded=False)

    def messages():
        state["request"] = BriefingRequest(state["article"], prompt, variables)

    def verify():
        raw = answer or Briefing.model_validate(instance(state["request"].schema, state["request"].schema["$defs"]))
        state["briefing"], state["grounding"] = verify_briefing(raw, state["article"])
        state["result"] = BriefingResult(
            article=state["article"],
            briefing=state["briefing"],
            grounding=state["grounding"],
            model=ModelInfo(name="bench", endpoint="http://127.0.0.1/v1"),
            prompt=PromptInfo(
                name=prompt.name,
                files=prompt.files(),
                sha256=state["request"].sha256,
                structured_mode="json_schema",
                variables={k: str(v) for k, v in variables.items()},
            ),
        )

    def render(fmt):
        return lambda: render_briefing(state["result"], fmt, dirs=dirs)

    # `messages` builds the schemas again inside BriefingRequest (as the pipeline does); `schema` alone
    # shows what that part costs.
    return [
        ("load", load),
        ("split", split),
        ("schema", schema),
        ("messages", messages),
        ("verify", verify),
        ("md", render("md")),
        ("html", render("html")),
        ("json", render("json")),
    ]


def measure(path: Path, answer: Briefing | None, repeat: int, profile: str | None) -> dict[str, float]:
    steps = stages(path, answer)
    for _, thunk in steps:  # warm-up: compile templates, fill caches
        thunk()
    times: dict[str, list[float]] = {name: [] for name, _ in steps}
    for _ in range(repeat):
        for name, thunk in steps:
            started = time.perf_counter()
            thunk()
            times[name].append(time.perf_counter() - started)
    if profile:
        thunk = dict(steps)[profile]
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(repeat):
            thunk()
        prof.disable()
        print(f"--- cProfile of {profile!r} on {path.name}, {repeat} runs ---")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", help="print cProfile's top functions for this stage")
    opts = parser.parse_args()

    answer = Briefing.model_validate(json.loads(FIXTURE.read_text())["briefing"])
    with tempfile.TemporaryDirectory() as tmp:
        long = long_article(Path(tmp))
        rows = [
            (f"seed ({SEED.stat().st_size / 1000:.1f} KB)", measure(SEED, answer, opts.repeat, opts.profile)),
            (
                f"long ({long.stat().st_size / 1000:.1f} KB)",
                measure(long, None, max(5, opts.repeat // 3), opts.profile),
            ),
        ]
    names = list(rows[0][1])
    print(
        f"Overhead per article outside the LLM, ms (median of {opts.repeat} warm runs; long: {max(5, opts.repeat // 3)})"
    )
    print(f"{'article':<18}" + "".join(f"{n:>9}" for n in names) + f"{'total':>9}")
    for label, t in rows:
        total = sum(v for k, v in t.items() if k != "schema")  # `messages` includes the schemas
        print(f"{label:<18}" + "".join(f"{t[n] * 1000:9.2f}" for n in names) + f"{total * 1000:9.2f}")
    print("total = every stage but `schema`, which `messages` includes (the pipeline builds both there)")


if __name__ == "__main__":
    main()
