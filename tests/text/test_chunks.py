"""Articles longer than the model's context: parts that fit, a merge, evidence ids of the whole article."""

from __future__ import annotations

import json

from briefing.ingest.files import load_article
from briefing.text.article import build_article
from briefing.text.chunks import estimate_messages, estimate_tokens, split_article
from tests.conftest import SEED
from tests.llm_server import Reply

SEED_TEXT = SEED.read_text()


def long_article_file(tmp_path, copies=8):
    """Eight rewrites of the seed (different numbers, same story): about 37 KB, 270 sentences."""
    paragraphs = [SEED_TEXT.replace("weeks", f"{i + 2} weeks") for i in range(copies)]
    path = tmp_path / "long.txt"
    path.write_text("A long report on the Korean peninsula\n" + "\n\n".join(paragraphs))
    return path


def window_enforcing(limit: int):
    """A server with a context window: requests over `limit` tokens get OpenAI's 400."""

    def respond(request):
        if estimate_messages(request.body["messages"]) + request.body.get("max_tokens", 0) > limit:
            return Reply(
                status=400,
                body={
                    "error": {
                        "message": f"This model's maximum context length is {limit} tokens. However, you requested more.",
                        "code": "context_length_exceeded",
                    }
                },
            )
        return None

    return respond


def test_split_keeps_whole_article_numbering():
    article = load_article(str(SEED))
    parts = split_article(article, 300)
    assert len(parts) > 2
    assert [s for p in parts for s in p.article.sentences] == article.sentences
    assert parts[1].offset == len(parts[0].article.sentences)


def test_estimate_counts_cjk_as_one_token_a_character():
    assert estimate_tokens("会谈破裂了" * 100) >= 500
    assert estimate_tokens("word " * 100) < 200


def test_configured_window_briefs_in_parts_every_request_under_the_limit(cli, llm, tmp_path):
    limit = 3000
    llm.respond = window_enforcing(limit)
    path = long_article_file(tmp_path)
    out = tmp_path / "b.json"
    result = cli(
        "generate",
        path,
        "-f",
        "json",
        "-o",
        out,
        "--base-url",
        llm.url,
        "--context-tokens",
        str(limit),
        "--max-tokens",
        "500",
    )
    assert result.exit_code == 0, result.stderr
    sizes = [estimate_messages(r.body["messages"]) + r.body["max_tokens"] for r in llm.chat_requests]
    assert all(size <= limit for size in sizes), sizes
    saved = json.loads(out.read_text())
    n = len(saved["article"]["sentences"])
    assert n > 200
    merged_evidence = [e for a in saved["briefing"]["key_actors"] for e in a["evidence"]]
    assert all(1 <= e <= n for e in merged_evidence)
    merges = [r for r in llm.chat_requests if "partial briefings" in r.body["messages"][0]["content"]]
    assert merges and len(llm.chat_requests) > len(merges) + 2
    assert saved["usage"]["requests"] == len(llm.chat_requests)


def test_context_length_exceeded_is_answered_by_chunking_not_by_retrying(cli, llm, tmp_path):
    llm.respond = window_enforcing(4000)
    path = long_article_file(tmp_path)
    result = cli(
        "generate", path, "-f", "json", "-o", tmp_path / "b.json", "--base-url", llm.url, "--max-tokens", "800"
    )
    assert result.exit_code == 0, result.stderr
    bodies = [json.dumps(r.body, sort_keys=True) for r in llm.chat_requests]
    rejected = [b for r, b in zip(llm.chat_requests, bodies) if estimate_messages(r.body["messages"]) + 800 > 4000]
    assert len(rejected) == 1  # the whole article once; never the same oversized request again
    assert len(set(bodies)) == len(bodies)


def test_short_article_is_one_request_even_with_a_window(cli, llm, seed, tmp_path):
    result = cli("generate", seed, "--base-url", llm.url, "--context-tokens", "8192")
    assert result.exit_code == 0
    assert len(llm.chat_requests) == 1


def test_part_articles_find_their_own_quotations():
    article = build_article(source="x", title="t", text=SEED_TEXT)
    parts = split_article(article, 400)
    assert sum(len(p.article.quotations) for p in parts) == len(article.quotations)


def test_a_long_story_in_a_digest_is_briefed_in_parts_after_one_rejection(cli, llm, tmp_path):
    from tests.articles import write_articles

    limit = 4000
    llm.respond = window_enforcing(limit)
    write_articles(tmp_path / "in", 2)
    long_article_file(tmp_path / "in")
    result = cli(
        "digest",
        tmp_path / "in",
        "-j",
        "1",
        "-f",
        "json",
        "-o",
        tmp_path / "d.json",
        "--base-url",
        llm.url,
        "--max-tokens",
        "800",
    )
    assert result.exit_code == 0, result.stderr
    sizes = [estimate_messages(r.body["messages"]) + r.body["max_tokens"] for r in llm.chat_requests]
    assert sum(size > limit for size in sizes) == 1  # the long story's first, whole request; never again
    saved = json.loads((tmp_path / "d.json").read_text())
    assert len(saved["stories"]) == 3 and saved["failures"] == []
    long_story = next(s for s in saved["stories"] if len(s["result"]["article"]["sentences"]) > 200)
    assert long_story["result"]["usage"]["requests"] > 3
