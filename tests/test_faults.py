"""Endpoint faults through the command line, as a user meets them: `briefing generate` and `briefing
digest` against the loopback server, with the requests counted on the server.

Every row: exit 1 for generate, one `error:` line on stderr, nothing on stdout, no traceback, and
exactly the requests the retry policy allows (the openai client's transport retries, --max-retries 1
here; tenacity's re-asks for invalid answers, 2 by default; nothing else).
"""

from __future__ import annotations

import json

import pytest

from tests.articles import marker, write_articles
from tests.llm_server import Reply

QUICK = ("--max-retries", "1", "--timeout", "0.3")


def _error(status: int, message: str, code: str | None = None, headers: dict | None = None) -> Reply:
    return Reply(status=status, headers=headers or {}, body={"error": {"message": message, "code": code}})


FAULTS = {
    # name: (reply, requests, what stderr says)
    "429, Retry-After-Ms 10": (
        _error(429, "slow down", headers={"retry-after-ms": "10"}),
        2,
        "still rate limiting after 2 attempt(s)",
    ),
    "429, no Retry-After": (_error(429, "slow down"), 2, "still rate limiting after 2 attempt(s)"),
    "429, Retry-After an hour": (
        _error(429, "later", headers={"retry-after": "3600"}),
        1,
        "asks to wait 3600 s (about 1 h); not waiting that long",
    ),
    "429 insufficient_quota": (_error(429, "quota", "insufficient_quota"), 1, "out of quota"),
    "400": (_error(400, "bad request"), 1, "rejected the request (HTTP 400): bad request"),
    "401": (_error(401, "invalid key"), 1, "rejected the API key (401)"),
    "403": (_error(403, "region not allowed"), 1, "refused access (403): region not allowed"),
    "404": (_error(404, "no such model", "model_not_found"), 1, "answered 404 for model 'gpt-4o-mini'"),
    "503": (
        _error(503, "overloaded", headers={"retry-after-ms": "10"}),
        2,
        "failed with HTTP 503 after 2 attempt(s): overloaded",
    ),
    "context_length_exceeded, always": (
        _error(400, "maximum context length is 100 tokens", "context_length_exceeded"),
        2,
        "too long for the model's context",
    ),
    "hanging server": (Reply(delay=1.0), 2, "no answer from {url} within 0.3 s (2 attempt(s))"),
    "slow drip of the body": (Reply(drip=0.02), 2, "no answer from {url} within 0.3 s (2 attempt(s))"),
    "slow drip of the headers": (Reply(header_drip=0.02), 2, "no answer from {url} within 0.3 s (2 attempt(s))"),
    "connection dropped": (Reply(close=True), 2, "cannot reach {url}: Server disconnected"),
    "200 with an HTML proxy page": (
        Reply(body="<html><body>Proxy login</body></html>"),
        1,
        "did not answer like an OpenAI-compatible server",
    ),
    "200 with invalid JSON": (
        Reply(body=b'{"choices": [{"mess', headers={"Content-Type": "application/json"}),
        1,
        "sent a reply that is not valid JSON",
    ),
    "answer not JSON": (
        Reply(content="Here is your briefing: it went badly."),
        3,
        "still invalid after 2 re-ask(s): the answer is not valid JSON",
    ),
    "answer not the schema": (
        Reply(content='{"title": "x", "bluf": "y"}'),
        3,
        "still invalid after 2 re-ask(s): the JSON does not match the schema",
    ),
    "finish_reason=length": (
        Reply(content='{"title": "x', finish_reason="length"),
        1,
        "reached the token limit (3000)",
    ),
    "refusal": (
        Reply(refusal="I can't help with that."),
        1,
        'the model refused to write the briefing: "I can\'t help with that."',
    ),
    "refusal in the text": (
        Reply(content="I'm sorry, but I cannot assist with that."),
        1,
        "the model refused to write the briefing",
    ),
    "content filter": (Reply(content="", finish_reason="content_filter"), 1, "content filter stopped the answer"),
}


@pytest.mark.parametrize("name", FAULTS)
def test_generate_meets_a_fault_with_one_line_and_counted_requests(cli, llm, seed, name):
    reply, requests, says = FAULTS[name]
    llm.respond = lambda request: reply
    result = cli("generate", seed, "--base-url", llm.url, *QUICK)
    assert result.exit_code == 1
    assert len(llm.chat_requests) == requests
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("briefing: using ") and len(lines) == 2, lines
    assert lines[1].startswith("error: ") and says.format(url=llm.url) in lines[1], lines[1]
    assert "Traceback" not in result.stderr


def test_connection_refused_is_one_line(cli, seed):
    result = cli("generate", seed, "--base-url", "http://127.0.0.1:9/v1", *QUICK)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("error: cannot reach http://127.0.0.1:9/v1: ")
    assert result.stderr.splitlines()[-1].endswith("(2 attempt(s))")


# The digest: one story's fault is one failed input; a fault every request would meet stops it all ---


@pytest.mark.parametrize(
    "reply, says",
    [
        (_error(401, "invalid key"), "rejected the API key (401)"),
        (_error(404, "no such model", "model_not_found"), "answered 404"),
        (_error(429, "quota", "insufficient_quota"), "out of quota"),
        (_error(429, "later", headers={"retry-after": "3600"}), "asks to wait 3600 s"),
    ],
)
def test_a_fault_every_request_would_meet_stops_the_digest_at_once(cli, llm, tmp_path, reply, says):
    write_articles(tmp_path / "in", 4)
    llm.respond = lambda request: reply
    result = cli("digest", tmp_path / "in", "-j", "1", "-o", tmp_path / "d.md", "--base-url", llm.url, *QUICK)
    assert result.exit_code == 1
    assert len(llm.chat_requests) == 1
    error = result.stderr.splitlines()[-1]
    assert error.startswith("error: ") and says in error and "the digest stopped at once" in error
    assert not (tmp_path / "d.md").exists() and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "reply, requests, says",
    [
        (Reply(body=b"{", headers={"Content-Type": "application/json"}), 1, "not valid JSON"),
        (Reply(delay=1.0), 1, "within 0.3 s (1 attempt(s))"),
        (Reply(header_drip=0.02), 1, "within 0.3 s (1 attempt(s))"),
        (Reply(content="not json"), 3, "still invalid after 2 re-ask(s)"),
        (Reply(refusal="No."), 1, "refused"),
        (_error(400, "maximum context length is 100 tokens", "context_length_exceeded"), 2, "too long"),
    ],
)
def test_a_fault_on_one_story_is_a_failed_input_and_the_rest_is_written(cli, llm, tmp_path, reply, requests, says):
    paths = write_articles(tmp_path / "in", 3)
    poisoned = marker(1)
    llm.respond = lambda request: reply if poisoned in json.dumps(request.body, ensure_ascii=False) else None
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
        "--max-retries",
        "0",
        "--timeout",
        "0.3",
    )
    assert result.exit_code == 3, result.stderr
    asked = [r for r in llm.chat_requests if poisoned in json.dumps(r.body, ensure_ascii=False)]
    assert len(asked) == requests
    saved = json.loads((tmp_path / "d.json").read_text())
    assert len(saved["stories"]) == 2 and [f["source"] for f in saved["failures"]] == [str(paths[1])]
    assert says in saved["failures"][0]["error"]
    assert f"failed: {paths[1]}: " in result.stderr and "Traceback" not in result.stderr
