"""open_session(): where a run's requests go (the embedded model or a remote endpoint), opened once.   [process]

The session is the endpoint, its one openai client and what the server has shown it supports. The
embedded server starts on demand and is always stopped when the session closes. LazySession opens
it at the first request, so a run whose results all come from the cache connects nowhere and loads
no model.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from briefing.errors import MissingKeyError
from briefing.llm.structured import MODES
from briefing.llm.transport import Endpoint, make_client
from briefing.records import ModelInfo
from briefing.redact import redact_url
from briefing.settings import OPENAI_BASE_URL, Settings

EMBEDDED_TIMEOUT = 900.0
REMOTE_TIMEOUT = 120.0
REMOTE_CONCURRENCY = 4


@dataclass
class Session:
    """An open endpoint: the client, what it is, and what it has shown it supports."""

    endpoint: Endpoint
    client: Any
    model_info: ModelInfo
    settings: Settings
    server: Any = None
    progress: Any = None
    modes: tuple[str, ...] = MODES
    requests: int = 0
    extra: dict = field(default_factory=dict)
    # Threads sharing the session (a run of many articles) take a slot for each request: at most that
    # many in flight, while verifying and preparing happen outside the slots. None: no bound.
    slots: contextlib.AbstractContextManager | None = None
    # The embedded model's saved system-prompt cache (llm/prefix.py), prepared before the first request.
    prefix: Any = None


@contextlib.contextmanager
def open_session(settings: Settings, *, http_client=None, progress=None) -> Iterator[Session]:
    """Open the configured endpoint (starting the embedded model if it is the one); always close it."""
    server, prefix = None, None
    if settings.embedded:
        from briefing.llm.embedded import (
            DEFAULT_CONTEXT,
            EMBEDDED_NOTE,
            EmbeddedServer,
            model_label,
            prepare_model,
            runtime_identity,
        )
        from briefing.llm.prefix import PrefixStore

        path = prepare_model(str(settings.local_model), settings.home, progress=progress)
        if progress:
            progress(f"Loading the embedded model {model_label(str(settings.local_model))}…")
        slot_dir = settings.cache_dir / "prefix" if settings.prefix_cache else None
        draft = prepare_model("small", settings.home, progress=progress) if settings.speculative == "draft" else None
        server = EmbeddedServer(
            path,
            n_ctx=settings.context_tokens or DEFAULT_CONTEXT,
            slot_dir=slot_dir,
            speculative=str(settings.speculative),
            draft_path=draft,
        )
        server.start()
        if slot_dir is not None:
            prefix = PrefixStore(server.root_url, slot_dir, runtime_identity(settings.local_model, server))
        if progress and hasattr(progress, "clear"):
            progress.clear()  # the next line on stderr says which model is in use
        extra = {"context_tokens": server.n_ctx}
        name = model_label(str(settings.local_model))
        endpoint = Endpoint(
            base_url=server.base_url,
            model=name,
            timeout=settings.timeout or EMBEDDED_TIMEOUT,
            max_retries=settings.max_retries,
            embedded=True,
        )
        info = ModelInfo(name=name, endpoint="embedded", embedded=True, note=EMBEDDED_NOTE.format(name=name))
    else:
        if not settings.api_key and (not settings.base_url or settings.base_url.rstrip("/") == OPENAI_BASE_URL):
            raise MissingKeyError(
                f"model {settings.remote_model!r} is served by OpenAI, which needs an API key",
                hint="set OPENAI_API_KEY, give --base-url for a local server, "
                "or drop --model to use the embedded model",
            )
        endpoint = Endpoint(
            base_url=settings.endpoint,
            model=settings.remote_model,
            api_key=settings.api_key,
            timeout=settings.timeout or REMOTE_TIMEOUT,
            max_retries=settings.max_retries,
        )
        info = ModelInfo(name=endpoint.model, endpoint=redact_url(endpoint.base_url))
        extra = {}
    client = make_client(endpoint, http_client=http_client)
    try:
        yield Session(endpoint, client, info, settings, server=server, progress=progress, extra=extra, prefix=prefix)
    finally:
        client.close()
        if server is not None:
            server.stop()


OpenEndpoint = Callable[[], contextlib.AbstractContextManager[Session]]


class LazySession:
    """A session opened at the first `get()` and closed when the `with` block ends (if it was opened)."""

    def __init__(self, open_endpoint: OpenEndpoint, on_open: Callable[[Session], None] | None = None) -> None:
        self._open = open_endpoint
        self._on_open = on_open
        self._stack = contextlib.ExitStack()
        self.session: Session | None = None

    def get(self) -> Session:
        """The open session, opening it now if this is the first request of the run."""
        if self.session is None:
            self.session = self._stack.enter_context(self._open())
            if self._on_open is not None:
                self._on_open(self.session)
        return self.session

    def __enter__(self) -> LazySession:
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()


def default_concurrency(settings: Settings) -> int:
    """Parallel requests when --concurrency is not given: 1 for the embedded model, 4 for remote endpoints."""
    return 1 if settings.embedded else REMOTE_CONCURRENCY


def model_identity(settings: Settings) -> dict[str, str]:
    """The model and endpoint that answer, as they enter cache keys (known before any session opens)."""
    if settings.embedded:
        from briefing.llm.embedded import model_label

        return {"model": model_label(str(settings.local_model)), "endpoint": "embedded"}
    return {"model": settings.remote_model, "endpoint": redact_url(settings.endpoint)}
