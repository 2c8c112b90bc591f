"""The embedded model: tokens/s through briefing against llama-cpp-python on the same GGUF and prompt.

    BRIEFING_HOME=... PYTHONPATH=. python bench/bench_embedded.py [--runs 2] [--llama-python PATH]
    BRIEFING_HOME=... PYTHONPATH=. python bench/bench_embedded.py --quality [--runs 2]
    BRIEFING_HOME=... PYTHONPATH=. python bench/bench_embedded.py --side-by-side [--runs 1] [--tokens N]

Speed (about 8 minutes on 2 cores with --runs 3): the embedded server is started as briefing starts it
(open_session; load time and the process's peak RSS are printed), and the seed article is briefed
`--runs` times through brief_article(), recording the server's own `timings` (prompt tokens
processed and their speed, tokens generated and their speed, tokens reused from the prompt cache):
the seed first, then `--runs` - 1 synthetic articles, as a digest would send them.
Then `--tokens` (200) tokens of the same prompt through the same server, with the compact JSON
grammar briefing sends and with no constraint, and through llama-cpp-python called directly (`--llama-python`: the python of a
separate venv where llama-cpp-python was compiled on this machine, see bench/README.md), with and
without a grammar made from the same JSON schema. Same GGUF file, same threads (all cores),
n_ctx 8192, the chat-templated prompt text tokenized by each runtime, the same number of tokens.

Side by side (`--side-by-side`, about 5 minutes a run on 2 cores): the seed's briefing request as
a fresh `generate` process sends it, with the settings before the speed issue (a 8,192-token window,
no saved prompt prefix: the whole prompt is processed) and with today's (a 16,384-token window, the
system prompt's cache restored from a file in a temporary folder, built once before the
timed rows), interleaved, each row a fresh server. Same prompt, temperature 0, the same seed, the
compact JSON grammar and sampling settings briefing sends; `--tokens N` caps both answers at N
tokens (default: the whole briefing, up to briefing's own cap). Printed per row: load, prefix
restore, prompt and generation seconds, tokens and tokens/s, total, whether the answer is identical
to the first row's, and the after/before ratio of the medians.

Quality (`--quality`, 1-3 minutes a run): the seed briefed with variants: compact JSON (the
default: LLGuidance grammar without whitespace), indented JSON (the schema as response_format, as
before), no field guide (the JSON schema still constrains the answer).
Printed: prompt and answer tokens, seconds, person actors (people the article names), verified
verbatim quotes, and the answer's tokens re-written compact and indented (the same content both ways). Each variant runs with the same seeds (`seed` added to the request).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402

from briefing.ask import DEFAULT_MAX_TOKENS, build_request  # noqa: E402
from briefing.brief import brief_article  # noqa: E402
from briefing.ingest.files import build_text_article, load_article  # noqa: E402
from briefing.llm.embedded import DEFAULT_CONTEXT, EmbeddedServer, prepare_model, runtime_identity  # noqa: E402
from briefing.llm.prefix import PrefixStore  # noqa: E402
from briefing.llm.structured import EMBEDDED_SAMPLING, compact_json_grammar  # noqa: E402
from briefing.prompts import PromptSet  # noqa: E402
from briefing.records import BriefingResult  # noqa: E402
from briefing.session import open_session  # noqa: E402
from briefing.settings import load_settings  # noqa: E402
from tests.articles import make_article  # noqa: E402

SEED = ROOT / "seeds" / "korea-talks-collapse.txt"
DEFAULT_LLAMA_PYTHON = "/tmp/llamacpp-venv/bin/python"


class Recorder(httpx2.HTTPTransport):
    """Keeps every chat completion the server returns (with llama.cpp's `timings`); can pin the seed."""

    def __init__(self, seed: int | None = None) -> None:
        super().__init__()
        self.seed = seed
        self.answers: list[dict] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        chat = request.url.path.endswith("/chat/completions")
        if chat and self.seed is not None:
            body = json.loads(request.content)
            body["seed"] = self.seed
            headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
            request = httpx2.Request(request.method, request.url, headers=headers, content=json.dumps(body).encode())
        response = super().handle_request(request)
        if chat:
            response.read()
            self.answers.append(response.json())
        return response


def _timings(answer: dict) -> dict:
    t = answer.get("timings", {})
    return {
        "prompt_n": t.get("prompt_n"),
        "cache_n": t.get("cache_n"),
        "pp_tps": t.get("prompt_per_second"),
        "gen_n": t.get("predicted_n"),
        "gen_tps": t.get("predicted_per_second"),
        "completion_tokens": answer.get("usage", {}).get("completion_tokens"),
    }


def _count(session, text: str) -> int:
    root = session.server.base_url.removesuffix("/v1")
    return len(httpx2.post(root + "/tokenize", json={"content": text}, timeout=60).json()["tokens"])


def quality(result: BriefingResult) -> dict:
    people = {m.name for m in result.article.names if m.kind == "person"}
    persons = [a.name for a in result.briefing.key_actors if a.kind == "person" and a.name in people]
    quotes = [q for a in result.briefing.key_actors for q in a.quotes]
    return {"persons": len(persons), "quotes_verified": sum(q.verified for q in quotes), "quotes": len(quotes)}


# --- speed ---------------------------------------------------------------------------------------

DIRECT = r"""
import json, sys, time
from llama_cpp import Llama, LlamaGrammar
job = json.load(open(sys.argv[1]))
started = time.perf_counter()
llm = Llama(model_path=job["gguf"], n_ctx=8192, n_threads=job["threads"], n_threads_batch=job["threads"],
            n_batch=2048, n_ubatch=512, verbose=False)
load = time.perf_counter() - started
grammar = None
if job["schema"]:
    grammar = LlamaGrammar.from_json_schema(json.dumps(job["schema"]), verbose=False)
tokens = llm.tokenize(job["prompt"].encode(), add_bos=False, special=True)
llm.reset()
t0 = time.perf_counter()
llm.eval(tokens)
pp = time.perf_counter() - t0
n, t1, out = 0, time.perf_counter(), []
for token in llm.generate([], temp=job["temperature"], top_k=40, top_p=0.95, min_p=0.05, grammar=grammar, reset=False):
    if token == llm.token_eos() or n >= job["n"]:
        break
    out.append(token)
    n += 1
gen = time.perf_counter() - t1
print(json.dumps({"load": load, "prompt_n": len(tokens), "pp_tps": len(tokens) / pp, "gen_n": n, "gen_tps": n / gen,
                  "text": llm.detokenize(out).decode(errors="replace")[:200]}))
"""


def run_direct(python: str, gguf: Path, prompt: str, n: int, schema: dict | None, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(
            {"gguf": str(gguf), "prompt": prompt, "n": n, "schema": schema, "threads": threads, "temperature": 0.2}, f
        )
    try:
        done = subprocess.run([python, "-c", DIRECT, f.name], capture_output=True, text=True, timeout=1800)
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def speed(opts) -> None:
    settings = load_settings({"local": True})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    article = load_article(str(SEED))
    recorder = Recorder()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open_session(settings, http_client=httpx2.Client(transport=recorder)) as session:
        server = session.server
        print(
            f"embedded model load (xllamacpp Server start): {server.load_seconds:.1f} s; "
            f"threads {server.threads}, n_ctx {server.n_ctx}"
        )
        rows = []
        # The seed first (nothing cached), then other articles, as in a digest: what the server's prompt
        # cache keeps of the previous request (the system prompt) shows as `cached`.
        articles = [
            article,
            *(
                build_text_article(make_article(i).encode(), source=f"synthetic-{i}.txt", name="x")
                for i in range(1, opts.runs)
            ),
        ]
        for item in articles:
            started = time.perf_counter()
            result = brief_article(item, session, prompt)
            rows.append({**_timings(recorder.answers[-1]), "wall": time.perf_counter() - started, **quality(result)})
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The same prompt with no response_format: generation without the JSON constraint.
        request = build_request(article, prompt, settings)
        root = server.base_url.removesuffix("/v1")
        http = httpx2.Client(timeout=1800)
        text_prompt = http.post(root + "/apply-template", json={"messages": request.messages}).json()["prompt"]
        n_gen = min(int(rows[0]["gen_n"]), opts.tokens)
        free, constrained = [], []
        for _ in range(opts.runs):
            for runs, extra in ((constrained, {"grammar": compact_json_grammar(request.schema)}), (free, {})):
                answer = http.post(
                    root + "/v1/chat/completions",
                    json={"messages": request.messages, "max_tokens": n_gen, "temperature": 0.2, **extra},
                ).json()
                runs.append(_timings(answer))
    print(f"peak RSS of this process (model served in-process): {rss_peak:.0f} MB (before: {rss_before:.0f} MB)")

    def show(label, runs):
        keys = ("prompt_n", "cache_n", "pp_tps", "gen_n", "gen_tps")
        med = {
            k: statistics.median(r[k] for r in runs if r.get(k) is not None)
            if any(r.get(k) is not None for r in runs)
            else None
            for k in keys
        }
        cells = "".join(f"{(f'{med[k]:.1f}' if isinstance(med[k], float) else str(med[k])):>10}" for k in keys)
        print(f"{label:<52}{cells}")
        return med

    print(
        f"\n{'median of ' + str(opts.runs) + ' runs':<52}{'prompt_n':>10}{'cached':>10}{'pp tok/s':>10}"
        f"{'gen_n':>10}{'gen tok/s':>10}"
    )
    show("briefing: seed, then synthetic articles", rows)
    show("  the seed alone (nothing cached)", rows[:1])
    print(f"then {n_gen} tokens of the seed's answer, the same prompt everywhere:")
    mine = show("embedded server, compact JSON grammar (as briefing)", constrained)
    mine_free = show("embedded server, no constraint", free)
    direct = {}
    for k, python in enumerate(opts.llama_python):
        if not Path(python).exists():
            print(f"(no llama-cpp-python at {python}: see bench/README.md to build it)")
            continue
        suffix = "" if k == 0 else f" [{python}]"
        print(f"llama-cpp-python: {python}")
        for label, schema in (
            ("llama-cpp-python direct, no grammar", None),
            ("llama-cpp-python direct, grammar from the schema", request.schema),
        ):
            runs = [
                run_direct(python, Path(server.model_path), text_prompt, n_gen, schema, server.threads)
                for _ in range(opts.runs)
            ]
            errors = [r["error"] for r in runs if "error" in r]
            if errors:
                print(f"{label:<52}failed: {errors[0][:120]}")
                continue
            direct[label + suffix] = show(label, runs)
            print(f"{'':<52}model load {statistics.median(r['load'] for r in runs):.1f} s")
    print(
        "\nper briefing run: "
        + "; ".join(
            f"{r['wall']:.0f} s, {r['prompt_n']}+{r['cache_n']} cached prompt tokens, {r['completion_tokens']} tokens, {r['persons']} persons, "
            f"{r['quotes_verified']}/{r['quotes']} quotes verified"
            for r in rows
        )
    )
    ceiling = direct.get("llama-cpp-python direct, no grammar")
    if ceiling:
        print(
            f"generation speed, embedded / direct llama-cpp-python, {n_gen} tokens: with the JSON constraint "
            f"{mine['gen_tps'] / ceiling['gen_tps']:.2f} of direct without one; no constraint on either "
            f"{mine_free['gen_tps'] / ceiling['gen_tps']:.2f}"
        )


# --- side by side: the settings before the speed issue against today's ------------------------

BEFORE = {"n_ctx": 8192, "prefix": False}
AFTER = {"n_ctx": DEFAULT_CONTEXT, "prefix": True}


def _vm_hwm_mb() -> float:
    """This process's peak resident memory (the model is served in-process)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_process(gguf: Path, choice: str, config: dict, messages: list[dict], body: dict, slot_dir: Path) -> dict:
    """What a fresh `generate` process spends on the seed's request: load, prefix, prompt, generation."""
    started = time.perf_counter()
    server = EmbeddedServer(gguf, n_ctx=config["n_ctx"], slot_dir=slot_dir if config["prefix"] else None)
    with server:
        restore = 0.0
        if config["prefix"]:
            t = time.perf_counter()
            outcome = PrefixStore(server.root_url, slot_dir, runtime_identity(choice, server)).prepare(
                messages[0]["content"]
            )
            restore = time.perf_counter() - t
            if outcome != "restored":
                raise SystemExit(f"the saved prefix was not restored ({outcome}): the comparison would be unfair")
        answer = httpx2.post(server.base_url + "/chat/completions", json=body, timeout=3600).json()
    t = answer["timings"]
    return {
        "load": server.load_seconds,
        "restore": restore,
        "cached": t.get("cache_n", 0),
        "prompt_n": t["prompt_n"],
        "prompt_s": t["prompt_ms"] / 1000,
        "gen_n": t["predicted_n"],
        "gen_s": t["predicted_ms"] / 1000,
        "total": time.perf_counter() - started,
        "text": answer["choices"][0]["message"]["content"],
    }


def side_by_side(opts) -> None:
    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    request = build_request(load_article(str(SEED)), prompt, settings)
    gguf = prepare_model(str(settings.local_model), settings.home)
    body = {
        "messages": request.messages,
        "max_tokens": opts.tokens or DEFAULT_MAX_TOKENS,
        "temperature": 0,
        "seed": 7,
        "grammar": compact_json_grammar(request.schema),
        **EMBEDDED_SAMPLING,
    }
    with tempfile.TemporaryDirectory() as tmp:
        slot_dir = Path(tmp)
        with EmbeddedServer(gguf, n_ctx=AFTER["n_ctx"], slot_dir=slot_dir) as server:  # the first process ever
            store = PrefixStore(server.root_url, slot_dir, runtime_identity(str(settings.local_model), server))
            print(f"prefix file built once, untimed: {store.prepare(request.messages[0]['content'])}")
        rows: dict[str, list[dict]] = {"before": [], "after": []}
        head = (
            f"{'row':<8}{'load s':>7}{'restore s':>10}{'cached':>7}{'prompt':>7}{'prompt s':>9}{'pp tok/s':>9}"
            f"{'gen':>6}{'gen s':>7}{'gen tok/s':>10}{'total s':>8}  same answer"
        )
        print(head)
        first = None
        for _ in range(opts.runs):
            for label, config in (("before", BEFORE), ("after", AFTER)):
                r = one_process(gguf, str(settings.local_model), config, request.messages, body, slot_dir)
                first = first if first is not None else r["text"]
                rows[label].append(r)
                print(
                    f"{label:<8}{r['load']:>7.1f}{r['restore']:>10.2f}{r['cached']:>7}{r['prompt_n']:>7}"
                    f"{r['prompt_s']:>9.1f}{r['prompt_n'] / r['prompt_s']:>9.1f}{r['gen_n']:>6}{r['gen_s']:>7.1f}"
                    f"{r['gen_n'] / r['gen_s']:>10.2f}{r['total']:>8.1f}  {'yes' if r['text'] == first else 'no'}",
                    flush=True,
                )
    med = {label: statistics.median(r["total"] for r in runs) for label, runs in rows.items()}
    print(
        f"median total: before {med['before']:.1f} s, after {med['after']:.1f} s: after/before "
        f"{med['after'] / med['before']:.2f}; peak RSS of this process {_vm_hwm_mb():.0f} MB"
    )


# --- quality -------------------------------------------------------------------------------------

VARIANTS = {
    "compact JSON": {},
    "indented JSON": {"indented": True},
    "no field guide": {
        "field_guide": "title, bluf, summary, key_judgments, key_actors, risks, outlook, gaps "
        "(their shape is given by the JSON schema)."
    },
}


def quality_runs(opts) -> None:
    """The seed with each prompt variant, `--runs` seeds each; all but "indented JSON" write compact JSON."""
    settings = load_settings({"local": True})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    article = load_article(str(SEED))
    names = opts.variants or list(VARIANTS)
    recorder = Recorder()
    print(
        f"{'variant':<20}{'seed':>5}{'prompt':>8}{'answer':>8}{'seconds':>9}{'gen tok/s':>10}{'persons':>9}{'quotes ok':>10}"
        f"{'compact':>9}{'indented':>9}"
    )
    with open_session(settings, http_client=httpx2.Client(transport=recorder)) as session:
        embedded = session.endpoint
        for run in range(opts.runs):
            for name in names:
                variant = VARIANTS[name]
                recorder.seed = 1000 + run
                variables = {}
                if "field_guide" in variant:
                    variables["field_guide"] = variant["field_guide"]
                # "indented": the schema as response_format, as briefing sent it before compact_json_grammar.
                session.endpoint = dataclasses.replace(embedded, embedded=not variant.get("indented"))
                started = time.perf_counter()
                try:
                    result = brief_article(article, session, prompt, variables=variables)
                except Exception as exc:  # noqa: BLE001 - a variant that fails is a result too
                    print(f"{name:<20}{recorder.seed:>5}  failed: {exc}", flush=True)
                    continue
                finally:
                    session.endpoint = embedded
                wall = time.perf_counter() - started
                q = quality(result)
                gen = _timings(recorder.answers[-1])["gen_tps"] or 0
                content = json.loads(recorder.answers[-1]["choices"][0]["message"]["content"])
                # The same answer written both ways, counted by the model's tokenizer: what compactness saves.
                as_compact = _count(session, json.dumps(content, separators=(",", ":"), ensure_ascii=False))
                as_indented = _count(session, json.dumps(content, indent=2, ensure_ascii=False))
                print(
                    f"{name:<20}{recorder.seed:>5}{result.usage.prompt_tokens:>8}{result.usage.completion_tokens:>8}"
                    f"{wall:>9.0f}{gen:>10.1f}{q['persons']:>9}{q['quotes_verified']:>6}/{q['quotes']:<3}"
                    f"{as_compact:>9}{as_indented:>9}",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=200, help="tokens generated in the runtime comparison")
    parser.add_argument(
        "--llama-python",
        nargs="+",
        default=[DEFAULT_LLAMA_PYTHON],
        help="python(s) of venvs with llama-cpp-python; the first is the ceiling",
    )
    parser.add_argument("--quality", action="store_true")
    parser.add_argument(
        "--side-by-side", action="store_true", help="the settings before the speed issue against today's"
    )
    parser.add_argument("--variants", nargs="*", help=f"quality variants to run (default all: {', '.join(VARIANTS)})")
    opts = parser.parse_args()
    if opts.side_by_side:
        opts.tokens = opts.tokens if "--tokens" in sys.argv else None  # default: the whole briefing
        side_by_side(opts)
    else:
        quality_runs(opts) if opts.quality else speed(opts)


if __name__ == "__main__":
    main()
