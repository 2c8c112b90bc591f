"""The HTTP side of every LLM call: where requests go, one deadline per exchange, the client.   [net]

`make_client()` is the one factory of openai clients (tests pass their own `http_client`). The
openai client owns transport retries (connection errors, timeouts, 408/409/429/5xx) with an explicit
`max_retries` and `timeout`; `_DeadlineTransport` bounds each whole exchange, so a server that drips
its headers or body cannot stretch a request past the timeout.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpcore2
import httpx2
import openai

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


class _Deadline(threading.local):
    """When the exchange under way in this thread must be over (time.monotonic()); None: no bound."""

    at: float | None = None

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        """The timeout for one read or write: `timeout`, cut to what is left; raise `error` when nothing is."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise error("the answer did not arrive within the deadline")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    """A connection whose every read and write ends at the deadline of the exchange using it."""

    def __init__(self, stream: httpcore2.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore2.NetworkStream:
        tls = self._stream.start_tls(
            ssl_context, server_hostname, self._deadline.left(timeout, httpcore2.ConnectTimeout)
        )
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    """Opens connections as _DeadlineStreams."""

    def __init__(self, backend: httpcore2.NetworkBackend, deadline: _Deadline) -> None:
        self._backend = backend
        self._deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        timeout = self._deadline.left(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(
            self._backend.connect_tcp(host, port, timeout, local_address, socket_options), self._deadline
        )

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        timeout = self._deadline.left(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


_CONNECTION_LIMITS = httpx2.Limits(max_connections=100, max_keepalive_connections=100)


class _DeadlineTransport(httpx2.HTTPTransport):
    """Bounds each whole exchange (connect, request, response headers and body), not only each read:
    a server that drips its headers or its body one byte a second never trips a read timeout. Every
    socket read and write of the exchange gets at most the time left before its deadline. The
    openai client sees an ordinary timeout and owns the retry, as for any other timeout."""

    def __init__(self, deadline: float) -> None:
        # A transport of our own drops the client's `limits`, so they go here: httpx2's default keeps only
        # 20 idle connections, and a digest at --concurrency above 20 then opened (and TLS-shook) new ones
        # for every wave. Keep as many as the most requests in flight (digest -j at most 64, cover, progress).
        super().__init__(limits=_CONNECTION_LIMITS)
        self.deadline = deadline
        self._until = _Deadline()
        # Private API: httpx2 builds its httpcore2 pool itself and offers no public hook for the network
        # backend, which is the only place every socket read and write of an exchange passes through.
        # tests/llm/test_private_api.py fails loudly if httpx2 renames it.
        self._pool._network_backend = _DeadlineBackend(self._pool._network_backend, self._until)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        # The body is read later by the caller, in this same thread, against this same deadline.
        self._until.at = time.monotonic() + self.deadline
        return super().handle_request(request)


def make_client(endpoint: Endpoint, *, http_client: httpx2.Client | None = None) -> openai.OpenAI:
    """Build the one OpenAI client a run uses, with explicit retries, timeout and answer deadline."""
    if http_client is None:
        http_client = openai.DefaultHttpxClient(transport=_DeadlineTransport(endpoint.timeout))
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
