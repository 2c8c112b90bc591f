"""The private attributes of openai, httpx2 and Jinja that briefing reaches into: each fails loudly here
when the library changes under it, instead of a silent change of behaviour in a run."""

from __future__ import annotations

import inspect

import httpx2
import jinja2
import openai
from openai import _constants


def test_openai_client_still_decides_retries_in_should_retry():
    # llm/transport.py overrides it to stop retrying 429 insufficient_quota.
    assert callable(openai.OpenAI._should_retry)
    assert list(inspect.signature(openai.OpenAI._should_retry).parameters) == ["self", "response"]


def test_openai_client_still_parses_retry_after_and_caps_it():
    # llm/errors.py reads Retry-After as the client does and compares with the client's own cap.
    client = openai.OpenAI(api_key="unused", base_url="http://127.0.0.1:9")
    try:
        assert client._parse_retry_after_header(httpx2.Headers({"retry-after-ms": "1500"})) == 1.5
        assert client._parse_retry_after_header(httpx2.Headers({"retry-after": "30"})) == 30.0
    finally:
        client.close()
    assert _constants.MAX_RETRY_AFTER_DELAY == 120


def test_httpx2_transport_still_has_a_pool_with_a_network_backend():
    # exchange.py (BoundedTransport) wraps the pool's network backend: one deadline on every socket operation.
    transport = httpx2.HTTPTransport()
    try:
        assert hasattr(transport._pool, "_network_backend")
        assert hasattr(transport._pool._network_backend, "connect_tcp")
    finally:
        transport.close()


def test_jinja_still_has_the_hooks_the_sandbox_and_error_messages_use():
    # output/sandbox.py rewrites the parsed tree in Environment._parse; output/templating.py names
    # the undefined value from Undefined._undefined_obj / _undefined_name.
    assert callable(jinja2.Environment._parse)
    undefined = jinja2.StrictUndefined(obj={"a": 1}, name="b")
    assert undefined._undefined_obj == {"a": 1}
    assert undefined._undefined_name == "b"
