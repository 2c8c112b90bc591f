"""BoundedTransport: one deadline and one size cap for every HTTP exchange briefing makes.   [net]

Both kinds of network read, the model endpoint (llm/transport.py) and web pages and feeds
(ingest/fetch.py), go through this httpx2 transport, so both are bounded the same way:

- **time**: a deadline per exchange covers connect, TLS, the request, the response headers and the
  body. A server that drips its headers or body one byte a second never trips a per-read timeout;
  here every socket read and write gets at most the time left before the deadline, and the caller
  sees an ordinary httpx2 timeout.
- **size**: the body, *decoded*, is at most `max_bytes`. The transport asks for gzip or deflate only
  and decodes them itself with a bounded decompressor (a 256 KB gzip answer can inflate to
  gigabytes), so what the client above reads is plain bytes that never pass the cap. Past it, the
  exchange ends with the error the caller chose (`refuse`), which callers pick so that it is not
  retried: an answer that is too big will be too big again.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator

import httpcore2
import httpx2

_CONNECTION_LIMITS = httpx2.Limits(max_connections=100, max_keepalive_connections=100)
_ACCEPTED_ENCODINGS = "gzip, deflate"


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


class BoundedTransport(httpx2.HTTPTransport):
    """An httpx2 transport whose every exchange ends by a deadline and reads at most `max_bytes`, decoded.

    `deadline` is the seconds one exchange may take; `ends_at` (time.monotonic()), when given, is a
    moment no exchange may pass (a fetch and its redirects share one). `refuse(message)` builds the
    error raised for a body past `max_bytes` (None: no cap) or in an encoding not asked for.
    """

    def __init__(
        self,
        deadline: float,
        *,
        ends_at: float | None = None,
        max_bytes: int | None = None,
        refuse: Callable[[str], Exception] = ValueError,
        **options,
    ) -> None:
        # A transport of our own drops the client's `limits`, so they go here: httpx2's default keeps only
        # 20 idle connections, and a digest at --concurrency above 20 then opened (and TLS-shook) new ones
        # for every wave. Keep as many as the most requests in flight (digest -j at most 64, cover, progress).
        super().__init__(limits=_CONNECTION_LIMITS, **options)
        self.deadline = deadline
        self.ends_at = ends_at
        self.max_bytes = max_bytes
        self._refuse = refuse
        self._until = _Deadline()
        # Private API: httpx2 builds its httpcore2 pool itself and offers no public hook for the network
        # backend, which is the only place every socket read and write of an exchange passes through.
        # tests/llm/test_private_api.py fails loudly if httpx2 renames it.
        self._pool._network_backend = _DeadlineBackend(self._pool._network_backend, self._until)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        # The body is read later by the caller, in this same thread, against this same deadline.
        at = time.monotonic() + self.deadline
        self._until.at = at if self.ends_at is None else min(at, self.ends_at)
        if self.max_bytes is None:
            return super().handle_request(request)
        request.headers["Accept-Encoding"] = _ACCEPTED_ENCODINGS
        response = super().handle_request(request)
        return self._capped(response, self.max_bytes)

    def _capped(self, response: httpx2.Response, limit: int) -> httpx2.Response:
        encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
        declared = response.headers.get("content-length", "")
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            response.close()
            raise self._refuse(f"the body came in content-encoding {encoding!r}, which was not asked for")
        if encoding == "identity" and declared.isdigit() and int(declared) > limit:
            response.close()
            raise self._refuse(too_large(limit))
        headers = response.headers.multi_items()
        if encoding != "identity":  # decoded here: what the client above reads is plain bytes
            headers = [(k, v) for k, v in headers if k.lower() not in ("content-encoding", "content-length")]
        stream = _CappedStream(response.stream, encoding, limit, self._refuse)
        return httpx2.Response(response.status_code, headers=headers, stream=stream, extensions=response.extensions)


def too_large(limit: int) -> str:
    """The message for a body past `limit` bytes."""
    if limit >= 1_000_000:
        return f"the body is larger than {limit / 1_000_000:g} MB"
    return f"the body is larger than {limit:,} bytes"


class _CappedStream(httpx2.SyncByteStream):
    """A response body decoded here (gzip, deflate or none), ending with an error past `limit` bytes."""

    def __init__(self, inner, encoding: str, limit: int, refuse: Callable[[str], Exception]) -> None:
        self._inner = inner
        self._limit = limit
        self._refuse = refuse
        self._decoder = None
        if encoding in ("gzip", "x-gzip"):
            self._decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._decoder = zlib.decompressobj()
        self._raw_deflate_tried = encoding != "deflate"

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self._inner:
            for data in self._decode(chunk, self._limit - size):
                size += len(data)
                if size > self._limit:
                    raise self._refuse(too_large(self._limit))
                yield data
        if self._decoder is not None:
            rest = self._decoder.flush()
            if size + len(rest) > self._limit:
                raise self._refuse(too_large(self._limit))
            if rest:
                yield rest

    def _decode(self, chunk: bytes, left: int) -> Iterator[bytes]:
        if self._decoder is None:
            yield chunk
            return
        try:
            # At most one byte past what is left: enough to know the cap is passed, never a gigabyte.
            yield self._decoder.decompress(chunk, left + 1)
        except zlib.error as exc:
            if self._raw_deflate_tried:
                raise self._refuse(f"the body could not be decoded: {exc}") from None
            # Some servers send raw deflate without the zlib header, as httpx also allows.
            self._raw_deflate_tried = True
            self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
            yield from self._decode(chunk, left)

    def close(self) -> None:
        self._inner.close()
