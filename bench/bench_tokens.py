"""Tokens sent per article: the prompt's fixed overhead apart from the article, counted by the model.

    PYTHONPATH=. python bench/bench_tokens.py [--gguf PATH] [ARTICLE...]     # ~30 s (model load)

Counts come from the embedded model's own tokenizer: llama.cpp's server (briefing.local.
EmbeddedServer) renders the chat template (/apply-template) and tokenizes (/tokenize), and a
request with max_tokens=1 cross-checks the total against the usage the server reports. The model
file is BRIEFING_HOME/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf (joined from the installed
pieces on first use), or --gguf.

For the default prompt (policy) and each article (default: the seed and a ~50 KB article), the
rows are: the whole prompt as the model reads it; the article's own words (its sentences joined by
spaces); and what the prompt adds around them: the system prompt (of which the field guide), the
chat template's tokens, the [Sn] numbering, the names lists, and the rest of the user message
(fence lines, headline, request). Then, for reference, the schemas: with json_schema structured
output (OpenAI-compatible servers, the embedded model) the schema becomes a grammar or a server-side
constraint, not prompt text; only servers that refuse response_format get the (ungrounded) schema
written into the prompt, and those tokens are shown too.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402

from briefing.ask import build_request  # noqa: E402
from briefing.ingest.files import load_article  # noqa: E402
from briefing.llm.embedded import EmbeddedServer, prepare_model  # noqa: E402
from briefing.prompts import PromptSet, number_sentences  # noqa: E402
from briefing.schema import field_guide  # noqa: E402
from briefing.settings import load_settings  # noqa: E402

SEED = ROOT / "seeds" / "korea-talks-collapse.txt"


class Tokenizer:
    """The running server's tokenizer and chat template."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.root = server.base_url.removesuffix("/v1")
        self.http = httpx2.Client(timeout=120)

    def count(self, text: str) -> int:
        response = self.http.post(self.root + "/tokenize", json={"content": text, "add_special": False})
        return len(response.json()["tokens"])

    def chat(self, messages: list[dict]) -> str:
        return self.http.post(self.root + "/apply-template", json={"messages": messages}).json()["prompt"]

    def reported_prompt_tokens(self, messages: list[dict], schema: dict) -> int:
        """prompt_tokens of a real request (json_schema mode, one token generated)."""
        body = {
            "messages": messages,
            "max_tokens": 1,
            "temperature": 0.2,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "briefing", "strict": True, "schema": schema},
            },
        }
        return self.http.post(self.root + "/v1/chat/completions", json=body).json()["usage"]["prompt_tokens"]


def breakdown(tok: Tokenizer, path: Path, prompt: PromptSet, settings, *, check: bool) -> dict[str, object]:
    article = load_article(str(path))
    request = build_request(article, prompt, settings)
    system, user = (m["content"] for m in request.messages)
    total = tok.count(tok.chat(request.messages))
    numbered = number_sentences(article.sentences)
    names_lines = "\n".join(
        line
        for line in user.splitlines()
        if line.startswith(("People the article names", "States and bodies it names"))
    )
    rows = {
        "whole prompt (chat template applied)": total,
        "article: its sentences, joined by spaces": tok.count(" ".join(article.sentences)),
        "system prompt": tok.count(system),
        "  of which the field guide": tok.count(field_guide()),
        "user message": tok.count(user),
        "  of which the numbered article": tok.count(numbered),
        "  of which the names lists": tok.count(names_lines) if names_lines else 0,
    }
    rows["chat template tokens"] = total - rows["system prompt"] - rows["user message"]
    rows["[Sn] numbering"] = rows["  of which the numbered article"] - rows["article: its sentences, joined by spaces"]
    rows["overhead: whole prompt minus the article"] = total - rows["article: its sentences, joined by spaces"]
    # Reading a long article takes the model minutes: the cross-check runs on the first article only.
    rows["reported by the server (usage.prompt_tokens)"] = (
        tok.reported_prompt_tokens(request.messages, request.schema) if check else "-"
    )
    rows["schema sent as response_format (a grammar, not prompt)"] = tok.count(
        json.dumps(request.schema, separators=(",", ":"))
    )
    rows["schema in the prompt, servers without response_format"] = tok.count(
        json.dumps(request.prompt_schema, separators=(",", ":"))
    )
    rows["_sentences"] = len(article.sentences)
    rows["_names"] = len(article.names)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--gguf", type=Path, help="the GGUF file (default: the embedded model in BRIEFING_HOME)")
    opts = parser.parse_args()
    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    gguf = opts.gguf or prepare_model("default", settings.home)

    with tempfile.TemporaryDirectory() as tmp:
        articles = opts.articles
        if not articles:
            from bench.bench_article import long_article

            articles = [SEED, long_article(Path(tmp))]
        with EmbeddedServer(gguf, n_ctx=32768) as server:
            tok = Tokenizer(server)
            table = {path.name: breakdown(tok, path, prompt, settings, check=i == 0) for i, path in enumerate(articles)}

    names = list(table)
    print(f"Tokens of the default prompt ({prompt.name}), counted by {gguf.name}'s tokenizer")
    print(f"{'':<58}" + "".join(f"{n[:22]:>24}" for n in names))
    for row in table[names[0]]:
        if row.startswith("_"):
            continue
        print(f"{row:<58}" + "".join(f"{table[n][row]:>24}" for n in names))
    for n in names:
        t = table[n]
        print(
            f"{n}: {t['_sentences']} sentences, {t['_names']} names; overhead "
            f"{t['overhead: whole prompt minus the article']} tokens = "
            f"{t['overhead: whole prompt minus the article'] / t['whole prompt (chat template applied)']:.0%} of the prompt"
        )


if __name__ == "__main__":
    main()
