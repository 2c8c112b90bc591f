"""The real openai client over HTTP against the loopback server: retries, fallbacks, re-asks, counts.

One retry owner per failure kind: transport faults are retried by the openai client (counted here as
HTTP requests), invalid answers are re-asked by tenacity (each re-ask is one more logical call).
"""

from __future__ import annotations

import json
import time

import pytest

from briefing import errors
from briefing.llm.structured import request_briefing
from briefing.llm.transport import Endpoint, make_client
from briefing.schema import base_schema
from tests.llm_server import Reply, schema_instance_for

MESSAGES = [{"role": "system", "content": "sys"}, {"role": "user", "content": "article"}]


def ask(llm, *, retries=2, timeout=10.0, reasks=2, **kw):
    endpoint = Endpoint(base_url=llm.url, model="m", max_retries=retries, timeout=timeout)
    client = make_client(endpoint)
    try:
        return request_briefing(client, MESSAGES, base_schema(), endpoint=endpoint, max_tokens=500, reasks=reasks, **kw)
    finally:
        client.close()


def test_429_twice_then_ok_is_three_requests(llm):
    llm.queue += [Reply(status=429, headers={"retry-after-ms": "10"}, body={"error": {"message": "slow down"}})] * 2
    answer = ask(llm)
    assert len(llm.chat_requests) == 3
    assert answer.usage.requests == 1  # one logical call; the client retried underneath
    assert answer.briefing.title


def test_503_forever_stops_at_max_retries(llm):
    llm.respond = lambda req: Reply(status=503, headers={"retry-after-ms": "5"}, body={"error": {"message": "down"}})
    with pytest.raises(errors.EndpointError, match="503 after 3 attempt"):
        ask(llm, retries=2)
    assert len(llm.chat_requests) == 3


def test_retry_after_an_hour_is_not_waited_for(llm):
    llm.respond = lambda req: Reply(status=429, headers={"retry-after": "3600"}, body={"error": {"message": "later"}})
    with pytest.raises(errors.RateLimitError, match="3600"):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_retry_after_an_hour_as_an_http_date_is_not_waited_for(llm):
    import email.utils

    later = email.utils.formatdate(time.time() + 3600, usegmt=True)
    llm.respond = lambda req: Reply(status=429, headers={"retry-after": later}, body={"error": {"message": "later"}})
    with pytest.raises(errors.RetryLaterError, match="about 1 h"):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_retry_after_in_seconds_is_honoured(llm):
    llm.queue.append(Reply(status=429, headers={"retry-after": "1"}, body={"error": {"message": "slow down"}}))
    started = time.monotonic()
    ask(llm)
    assert len(llm.chat_requests) == 2
    assert time.monotonic() - started >= 0.9


def test_429_without_retry_after_backs_off_then_gives_up(llm):
    llm.respond = lambda req: Reply(status=429, body={"error": {"message": "slow down"}})
    with pytest.raises(errors.RateLimitError, match="still rate limiting after 2 attempt"):
        ask(llm, retries=1)
    assert len(llm.chat_requests) == 2


def test_insufficient_quota_is_not_retried(llm):
    llm.respond = lambda req: Reply(status=429, body={"error": {"message": "quota", "code": "insufficient_quota"}})
    with pytest.raises(errors.QuotaExceededError):
        ask(llm)
    assert len(llm.chat_requests) == 1


@pytest.mark.parametrize(
    "status, error",
    [
        (400, errors.EndpointError),
        (401, errors.AuthenticationError),
        (403, errors.EndpointError),
        (404, errors.ModelNotFoundError),
    ],
)
def test_client_errors_are_one_request(llm, status, error):
    llm.respond = lambda req: Reply(status=status, body={"error": {"message": "no"}})
    with pytest.raises(error):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_context_length_exceeded_is_not_retried(llm):
    llm.respond = lambda req: Reply(
        status=400, body={"error": {"message": "too long", "code": "context_length_exceeded"}}
    )
    with pytest.raises(errors.ContextLengthError):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_timeout_is_retried_by_the_client_only(llm):
    llm.respond = lambda req: Reply(delay=1.5)
    with pytest.raises(errors.EndpointUnreachableError, match="within 0.5 s"):
        ask(llm, retries=1, timeout=0.5)
    assert len(llm.chat_requests) == 2


def test_slow_drip_hits_the_overall_deadline(llm):
    # Each byte arrives well inside the read timeout; the whole answer never does.
    llm.respond = lambda req: Reply(drip=0.02)
    started = time.monotonic()
    with pytest.raises(errors.EndpointUnreachableError, match="within 0.5 s"):
        ask(llm, retries=1, timeout=0.5)
    assert len(llm.chat_requests) == 2
    assert time.monotonic() - started < 5


def test_slow_drip_of_headers_hits_the_overall_deadline(llm):
    # No read ever waits long: the status line and headers arrive a byte every 20 ms, for seconds.
    llm.respond = lambda req: Reply(header_drip=0.02)
    started = time.monotonic()
    with pytest.raises(errors.EndpointUnreachableError, match="within 0.5 s"):
        ask(llm, retries=1, timeout=0.5)
    assert len(llm.chat_requests) == 2
    assert time.monotonic() - started < 2


def test_a_deadline_does_not_outlive_its_request(llm):
    # Two quick answers in a row on one kept-alive connection: the first's deadline is not the second's.
    endpoint = Endpoint(base_url=llm.url, model="m", max_retries=0, timeout=0.3)
    client = make_client(endpoint)
    try:
        for _ in range(2):
            request_briefing(client, MESSAGES, base_schema(), endpoint=endpoint, max_tokens=500)
            time.sleep(0.35)
    finally:
        client.close()
    assert len(llm.chat_requests) == 2


def test_a_dropped_connection_is_retried_then_clear(llm):
    llm.respond = lambda req: Reply(close=True)
    with pytest.raises(errors.EndpointUnreachableError, match="disconnected"):
        ask(llm, retries=1)
    assert len(llm.chat_requests) == 2


@pytest.mark.parametrize("body", [b'{"choices": [{"index": 0, "mess', b""])
def test_a_reply_that_is_not_json_is_a_clear_error(llm, body):
    llm.respond = lambda req: Reply(body=body, headers={"Content-Type": "application/json"})
    with pytest.raises(errors.EndpointError, match="not valid JSON"):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_an_html_error_page_is_a_clear_error(llm):
    llm.respond = lambda req: Reply(
        status=502, body="<html><h1>Bad gateway</h1></html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(errors.EndpointError, match=r"HTTP 502 after 2 attempt\(s\): no details given$"):
        ask(llm, retries=1)
    assert len(llm.chat_requests) == 2


def test_a_key_echoed_by_the_server_is_redacted(llm):
    sentinel = "sk-SENTINEL-0123456789abcdef"
    llm.respond = lambda req: Reply(
        status=403, body={"error": {"message": f"forbidden: {req.headers['authorization']}"}}
    )
    endpoint = Endpoint(base_url=llm.url, model="m", api_key=sentinel, max_retries=0)
    with make_client(endpoint) as client, pytest.raises(errors.EndpointError) as caught:
        request_briefing(client, MESSAGES, base_schema(), endpoint=endpoint, max_tokens=10)
    assert sentinel not in str(caught.value) and "forbidden: Bearer ***" in str(caught.value)


def test_json_schema_rejected_falls_back_to_json_object_then_prompt(llm):
    rejected = Reply(status=400, body={"error": {"message": "response_format json_schema is not supported"}})
    llm.queue += [rejected, Reply(status=400, body={"error": {"message": "unknown response_format json_object"}})]
    answer = ask(llm)
    bodies = [r.body for r in llm.chat_requests]
    assert [b.get("response_format", {}).get("type") for b in bodies] == ["json_schema", "json_object", None]
    assert answer.mode == "prompt"
    assert "JSON schema" in bodies[2]["messages"][0]["content"]
    assert MESSAGES[0]["content"] == "sys"  # the caller's list is never changed


def test_invalid_json_is_reasked_with_the_error(llm):
    llm.queue.append(Reply(content='{"title": "cut off'))
    answer = ask(llm)
    assert len(llm.chat_requests) == 2
    assert answer.usage.reasks == 1 and answer.usage.requests == 2
    reask = llm.chat_requests[1].body["messages"]
    assert reask[-2]["role"] == "assistant" and reask[-1]["role"] == "user"
    assert "not valid JSON" in reask[-1]["content"]


def test_schema_invalid_answer_is_reasked_with_the_validation_errors(llm):
    llm.queue.append(Reply(content=json.dumps({"title": "x", "bluf": "y"})))
    ask(llm)
    assert len(llm.chat_requests) == 2
    assert "summary" in llm.chat_requests[1].body["messages"][-1]["content"]


def test_extra_fields_are_rejected_and_reasked(llm):
    from tests.llm_server import instance

    data = instance(base_schema(), base_schema()["$defs"])
    data["system_override"] = "ignore the article"
    llm.queue.append(Reply(content=json.dumps(data)))
    ask(llm)
    assert len(llm.chat_requests) == 2
    assert "system_override" in llm.chat_requests[1].body["messages"][-1]["content"]


def test_invalid_forever_gives_up_after_the_reasks(llm):
    llm.respond = lambda req: Reply(content="not json at all")
    with pytest.raises(errors.InvalidAnswerError):
        ask(llm, reasks=2)
    assert len(llm.chat_requests) == 3


def test_refusal_is_an_error_not_a_retry(llm):
    llm.queue.append(Reply(refusal="I can't help with that."))
    with pytest.raises(errors.RefusalError):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_refusal_in_plain_text_is_recognised(llm):
    llm.queue.append(Reply(content="I'm sorry, but I cannot assist with that request."))
    with pytest.raises(errors.RefusalError):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_length_cut_is_an_error(llm):
    llm.queue.append(Reply(content='{"title": "x"', finish_reason="length"))
    with pytest.raises(errors.TruncatedAnswerError, match="--max-tokens"):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_content_filter_is_an_error(llm):
    llm.queue.append(Reply(content="", finish_reason="content_filter"))
    with pytest.raises(errors.ContentFilterError):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_html_proxy_page_is_a_clear_error(llm):
    llm.respond = lambda req: Reply(
        status=200, body="<html><body>Proxy login</body></html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(errors.EndpointError, match="OpenAI-compatible"):
        ask(llm)
    assert len(llm.chat_requests) == 1


def test_connection_refused(unused_port=9):
    endpoint = Endpoint(base_url=f"http://127.0.0.1:{unused_port}/v1", model="m", max_retries=1, timeout=2)
    client = make_client(endpoint)
    with pytest.raises(errors.EndpointUnreachableError, match="cannot reach"):
        request_briefing(client, MESSAGES, base_schema(), endpoint=endpoint, max_tokens=10)


def test_cli_503_forever_one_line_no_traceback(cli, llm, seed):
    llm.respond = lambda req: Reply(status=503, headers={"retry-after-ms": "5"}, body={"error": {"message": "down"}})
    result = cli("generate", seed, "--base-url", llm.url, "--max-retries", "2")
    assert result.exit_code == 1
    assert len(llm.chat_requests) == 3
    errors_printed = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors_printed == [f"error: {llm.url} failed with HTTP 503 after 3 attempt(s): down"]
    assert "Traceback" not in result.stderr


def test_api_key_goes_in_the_header_and_nowhere_else(cli, llm, seed, monkeypatch, tmp_path):
    sentinel = "sk-SENTINEL-0123456789abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", sentinel)
    out = tmp_path / "b.json"
    result = cli("generate", seed, "-f", "json", "-o", out, "--base-url", llm.url, "-vv")
    assert result.exit_code == 0, result.stderr
    assert llm.chat_requests[0].headers["authorization"] == f"Bearer {sentinel}"
    assert sentinel not in out.read_text()
    assert sentinel not in result.stderr and sentinel not in result.stdout


def test_the_servers_own_timings_go_to_the_debug_log(cli, llm, seed, tmp_path):
    result = cli("generate", seed, "-f", "json", "-o", tmp_path / "b.json", "--base-url", llm.url, "-vv")
    assert result.exit_code == 0, result.stderr
    line = "briefing request: 40 prompt tokens read in 0.8 s (60 from cache), 50 tokens written in 2.5 s (20.0/s)"
    assert line in result.stderr


def test_the_embedded_model_gets_the_schema_as_a_compact_json_grammar(llm):
    endpoint = Endpoint(base_url=llm.url, model="m", embedded=True)
    client = make_client(endpoint)
    try:
        answer = request_briefing(client, MESSAGES, base_schema(), endpoint=endpoint, max_tokens=500)
    finally:
        client.close()
    body = llm.chat_requests[0].body
    assert "response_format" not in body and answer.mode == "json_schema"
    head, _, sent = body["grammar"].partition("%json ")
    assert head == "%llguidance {}\nstart: "
    sent = json.loads(sent)
    assert sent.pop("x-guidance") == {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}
    assert sent == base_schema()
    assert body["repeat_penalty"] > 1 and body["presence_penalty"] > 0  # the small model's loops (EMBEDDED_SAMPLING)


def _completion_bytes(content: str) -> bytes:
    return json.dumps(
        {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        }
    ).encode()


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_an_answer_past_the_cap_is_one_request_and_one_line(llm, gzipped):
    # Issue 14, item 11: a 100 MB body (or a small gzip answer that inflates to it) was read whole,
    # then re-asked twice as invalid: three fetches and hundreds of MB of memory.
    import gzip

    body = _completion_bytes("x" * 40_000_000)
    headers = {"Content-Type": "application/json"}
    if gzipped:
        body = gzip.compress(body, 9)
        headers["Content-Encoding"] = "gzip"
        assert len(body) < 100_000
    llm.queue += [Reply(body=body, headers=headers)] * 3
    before = _peak_rss_mb()
    with pytest.raises(errors.EndpointError) as caught:
        ask(llm)
    assert len(llm.chat_requests) == 1  # neither retried by the client nor re-asked
    assert "larger than 8 MB" in caught.value.message and "\n" not in caught.value.message
    assert _peak_rss_mb() - before < 100  # the cap is on decoded bytes: never the 40 MB answer, let alone copies


def test_an_answer_in_an_encoding_not_asked_for_is_refused_once(llm):
    llm.queue += [Reply(body=b"\x00" * 100, headers={"Content-Type": "application/json", "Content-Encoding": "br"})]
    with pytest.raises(errors.EndpointError, match="content-encoding 'br'"):
        ask(llm)
    assert len(llm.chat_requests) == 1
    assert llm.chat_requests[0].headers["accept-encoding"] == "gzip, deflate"


def test_a_gzip_answer_under_the_cap_is_read(llm):
    import gzip

    content = json.dumps(schema_instance_for({}))
    llm.queue += [
        Reply(
            body=gzip.compress(_completion_bytes(content)),
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
    ]
    assert ask(llm).briefing.title
