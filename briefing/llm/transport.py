"""The HTTP side of every LLM call: where requests go, one deadline per exchange, the client.   [net]

`make_client()` is the one factory of openai clients (tests pass their own `http_client`). The
openai client owns transport retries (connection errors, timeouts, 408/409/429/5xx) with an explicit
`max_retries` and `timeout`; exchange.BoundedTransport bounds each whole exchange, so a server that
drips its headers or body cannot stretch a request past the timeout, and caps the decoded answer at
MAX_ANSWER_BYTES (an error raised at once, never retried).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx2
import openai

from briefing.exchange import BoundedTransport
from briefing.redact import redact_url


@dataclass(frozen=True)
class Endpoint:
    """Where requests go and how patient to be with them."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 120.0
    max_retries: int = 2
    embedded: bool = False

    @property
    def label(self) -> str:
        return "the embedded model" if self.embedded else redact_url(self.base_url)


class _Client(openai.OpenAI):
    """The openai client, told not to retry a 429 that says the quota is gone."""

    # Private API: openai has no public hook to veto one retry; _should_retry is where it decides.
    # tests/llm/test_private_api.py fails loudly if openai renames it.
    def _should_retry(self, response: httpx2.Response) -> bool:  # type: ignore[override]
        if response.status_code == 429 and error_code(response) == "insufficient_quota":
            return False
        return super()._should_retry(response)


MAX_ANSWER_BYTES = 8_000_000  # decoded; a briefing answer is a few kB, a long digest cover less than 100 kB


class AnswerRefusedError(openai.OpenAIError):
    """An answer the transport would not read (too large, or in an encoding not asked for).

    An OpenAIError, so the openai client raises it at once instead of retrying: the same request
    would only bring the same answer again. llm/errors.py turns it into a one-line error."""


def make_client(endpoint: Endpoint, *, http_client: httpx2.Client | None = None) -> openai.OpenAI:
    """Build the one OpenAI client a run uses, with explicit retries, timeout and answer deadline."""
    if http_client is None:
        transport = BoundedTransport(endpoint.timeout, max_bytes=MAX_ANSWER_BYTES, refuse=AnswerRefusedError)
        http_client = openai.DefaultHttpxClient(transport=transport)
    return _Client(
        base_url=endpoint.base_url,
        api_key=endpoint.api_key or "not-needed",  # local servers need none; OpenAI is checked before
        max_retries=endpoint.max_retries,
        timeout=httpx2.Timeout(endpoint.timeout, connect=min(10.0, endpoint.timeout)),
        http_client=http_client,
    )


def error_code(response: httpx2.Response) -> str | None:
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - any unreadable body simply has no code
        return None
    err = body.get("error") if isinstance(body, dict) else None
    return err.get("code") or err.get("type") if isinstance(err, dict) else None
