"""make_client(), request_briefing() and request_object(): the only importer of openai and tenacity. [net]

One retry owner per failure kind:
- the openai client retries transport failures (connection errors, timeouts, 408/409/429/5xx) with
  an explicit `max_retries` and `timeout`; it honours Retry-After up to two minutes and we stop it
  from retrying what cannot succeed (429 insufficient_quota);
- tenacity retries only what the client cannot know about: an answer that is not JSON or does not
  validate against the asked-for model (a Briefing, or a digest's Cover). Each re-ask is a new
  message list carrying the errors.
Refusals, `finish_reason=length` and content filtering are errors, never retried as they are.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpcore2
import httpx2
import openai
from pydantic import BaseModel, ValidationError
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt

from briefing import errors
from briefing.records import Briefing, Usage
from briefing.settings import redact_text, redact_url

log = logging.getLogger(__name__)

# Structured-output modes, strongest first. A server that rejects one gets the next.
MODES = ("json_schema", "json_object", "prompt")
M = TypeVar("M", bound=BaseModel)
_REFUSAL = re.compile(r"^\s*(I'm sorry|I am sorry|I apologi[sz]e|I can(?:'|no)t|I won't|I will not|As an AI)", re.I)


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


@dataclass
class Answer(Generic[M]):
    """A validated answer (a Briefing unless another model was asked for) and what it cost."""

    value: M
    mode: str
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0

    @property
    def briefing(self) -> M:
        return self.value


class _Client(openai.OpenAI):
    """The openai client, told not to retry a 429 that says the quota is gone."""

    def _should_retry(self, response: httpx2.Response) -> bool:  # type: ignore[override]
        if response.status_code == 429 and _error_code(response) == "insufficient_quota":
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
        tls = self._stream.start_tls(ssl_context, server_hostname, self._deadline.left(timeout, httpcore2.ConnectTimeout))
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
        return _DeadlineStream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options),
                               self._deadline)

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
        # httpx2 builds its httpcore2 pool itself; the pool opens every connection through its backend.
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


class _InvalidAnswer(Exception):
    """An answer that is not JSON or not the asked-for model; carries the text and the errors for the re-ask."""

    def __init__(self, content: str, problems: str) -> None:
        super().__init__(problems)
        self.content = content
        self.problems = problems


def request_briefing(
    client: openai.OpenAI,
    messages: list[dict[str, str]],
    schema: dict,
    *,
    endpoint: Endpoint,
    max_tokens: int,
    temperature: float = 0.2,
    modes: tuple[str, ...] = MODES,
    reasks: int = 2,
    prompt_schema: dict | None = None,
) -> Answer[Briefing]:
    """Ask for a Briefing; fall back through structured-output modes; re-ask on invalid answers.

    `schema` is sent as response_format; `prompt_schema` (default: the same) is written into the
    prompt for servers that cannot take a schema, where a long per-article schema would only cost tokens.
    """
    return request_object(client, messages, schema, Briefing, endpoint=endpoint, max_tokens=max_tokens,
                          temperature=temperature, modes=modes, reasks=reasks, prompt_schema=prompt_schema)


def request_object(
    client: openai.OpenAI,
    messages: list[dict[str, str]],
    schema: dict,
    model: type[M],
    *,
    endpoint: Endpoint,
    max_tokens: int,
    temperature: float = 0.2,
    modes: tuple[str, ...] = MODES,
    reasks: int = 2,
    prompt_schema: dict | None = None,
) -> Answer[M]:
    """Ask for an instance of `model` (schema `schema`) with the same fallbacks and re-asks as a briefing."""
    name = model.__name__.lower()
    started = time.perf_counter()
    usage = Usage()
    mode_index = 0
    conversation = list(messages)
    last_error: _InvalidAnswer | None = None

    def attempt() -> M:
        nonlocal mode_index, conversation, last_error
        if last_error is not None:
            usage.reasks += 1
            conversation = [*conversation, {"role": "assistant", "content": last_error.content[:4000]},
                            {"role": "user", "content": _reask_text(last_error.problems, name)}]
        while True:
            mode = modes[mode_index]
            try:
                content = _complete(client, conversation, schema if mode == "json_schema" else (prompt_schema or schema),
                                    mode, endpoint, max_tokens, temperature, usage, name)
                break
            except _ModeRejected:
                if mode_index + 1 >= len(modes):
                    raise errors.EndpointError(
                        f"{endpoint.label} rejected every structured-output mode ({', '.join(modes)})"
                    ) from None
                mode_index += 1
                log.info("endpoint rejected response_format=%s; falling back to %s", mode, modes[mode_index])
        try:
            return parse_answer(content, model)
        except _InvalidAnswer as exc:
            last_error = exc
            raise

    retrying = Retrying(
        stop=stop_after_attempt(reasks + 1),
        retry=retry_if_exception_type(_InvalidAnswer),
        reraise=False,
    )
    try:
        value = retrying(attempt)
    except RetryError as exc:
        cause = exc.last_attempt.exception()
        raise errors.InvalidAnswerError(
            f"the model's answer was still invalid after {reasks} re-ask(s): {_first_line(str(cause))}",
            hint="a larger model, or --max-tokens, may help",
        ) from None
    return Answer(value, modes[mode_index], usage, time.perf_counter() - started)


def request_reask(
    client: openai.OpenAI,
    messages: list[dict[str, str]],
    previous: Briefing,
    problems: list[str],
    schema: dict,
    *,
    endpoint: Endpoint,
    mode: str,
    max_tokens: int,
    temperature: float,
    prompt_schema: dict | None = None,
) -> Answer:
    """One re-ask naming the items that failed verification; the answer replaces the old one."""
    text = (
        "Some items of your briefing could not be verified against the article:\n"
        + "\n".join(f"- {p}" for p in problems)
        + "\nReturn the whole briefing again as JSON with these items fixed: cite the sentences that "
        "really support each item, copy quotes word for word, use names as the article writes them."
    )
    conversation = [*messages, {"role": "assistant", "content": previous.model_dump_json()},
                    {"role": "user", "content": text}]
    return request_briefing(client, conversation, schema, endpoint=endpoint, max_tokens=max_tokens,
                            temperature=temperature, modes=(mode,), reasks=0, prompt_schema=prompt_schema)


def parse_answer(content: str, model: type[M]) -> M:
    """Parse and validate an answer as `model`; raise _InvalidAnswer with errors fit for a re-ask."""
    text = _strip_fences(content)
    name = model.__name__.lower()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _REFUSAL.match(content):
            raise errors.RefusalError(f"the model refused to write the {name}: {_first_line(content)!r}") from None
        raise _InvalidAnswer(content, f"the answer is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'/'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}" for e in exc.errors()[:12]
        )
        raise _InvalidAnswer(content, f"the JSON does not match the schema: {problems}") from None


class _ModeRejected(Exception):
    """The server does not support this response_format."""


def _complete(client, messages, schema, mode, endpoint, max_tokens, temperature, usage: Usage,
              name: str = "briefing") -> str:
    kwargs: dict = {}
    if mode == "json_schema" and endpoint.embedded:
        kwargs["extra_body"] = {"grammar": compact_json_grammar(schema)}
    elif mode == "json_schema":
        kwargs["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": name, "strict": True, "schema": schema},
        }
    elif mode == "json_object":
        kwargs["response_format"] = {"type": "json_object"}
        messages = _with_schema_instruction(messages, schema)
    else:
        messages = _with_schema_instruction(messages, schema)
    usage.requests += 1
    try:
        raw = client.chat.completions.with_raw_response.create(
            model=endpoint.model,
            messages=messages,
            max_tokens=max_tokens,
            temperature=temperature,
            **kwargs,
        )
    except openai.BadRequestError as exc:
        if mode != "prompt" and _rejects_response_format(exc):
            raise _ModeRejected() from None
        raise _map_error(exc, endpoint) from None
    except openai.OpenAIError as exc:
        raise _map_error(exc, endpoint) from None
    try:
        completion = raw.parse()
    except ValueError:  # json.JSONDecodeError: a reply cut short by a proxy, or not JSON at all
        raise errors.EndpointError(f"{endpoint.label} sent a reply that is not valid JSON",
                                   hint="check the base URL: it should end in /v1 for most servers") from None
    except openai.OpenAIError as exc:
        raise _map_error(exc, endpoint) from None
    if isinstance(completion, str) or not getattr(completion, "choices", None):
        raise errors.EndpointError(
            f"{endpoint.label} did not answer like an OpenAI-compatible server (no choices in the reply)",
            hint="check the base URL: it should end in /v1 for most servers",
        )
    if completion.usage:
        usage.prompt_tokens += completion.usage.prompt_tokens or 0
        usage.completion_tokens += completion.usage.completion_tokens or 0
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        raise errors.RefusalError(f"the model refused to write the {name}: {_first_line(message.refusal)!r}")
    if choice.finish_reason == "length":
        raise errors.TruncatedAnswerError(
            f"the answer reached the token limit ({max_tokens}) before the {name} was complete",
            hint="raise --max-tokens or use --length short",
        )
    if choice.finish_reason == "content_filter":
        raise errors.ContentFilterError("the endpoint's content filter stopped the answer")
    content = message.content or ""
    if not content.strip():
        raise _InvalidAnswer("", "the answer was empty")
    return content


def compact_json_grammar(schema: dict) -> str:
    """The embedded server's constraint for `schema`: LLGuidance's JSON grammar with no whitespace.

    Given the schema as response_format, llama.cpp lets the model indent its JSON, and a small model
    does: a third of the tokens it writes (one seed answer: 1,097 tokens indented, 744 compact). The
    same schema through LLGuidance (built into the embedded runtime) with x-guidance separators allows
    no whitespace between tokens (bench/README.md, section 5).
    """
    compact = {**schema, "x-guidance": {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}}
    return "%llguidance {}\nstart: %json " + json.dumps(compact, separators=(",", ":"))


def _with_schema_instruction(messages: list[dict[str, str]], schema: dict) -> list[dict[str, str]]:
    """A copy of `messages` whose system prompt carries the JSON schema (modes without json_schema)."""
    instruction = (
        "\n\nReply with a single JSON object, no prose and no code fences, that validates against "
        "this JSON schema:\n" + json.dumps(schema, separators=(",", ":"))
    )
    out = [dict(m) for m in messages]
    out[0]["content"] = out[0]["content"] + instruction
    return out


def _reask_text(problems: str, name: str = "briefing") -> str:
    return (
        f"Your answer could not be used: {problems}\n"
        f"Reply again with the complete {name} as one JSON object that follows the schema exactly."
    )


def _strip_fences(content: str) -> str:
    text = content.strip()
    m = re.match(r"^```(?:json)?\s*\n(.*?)\n```\s*$", text, re.S)
    return m.group(1) if m else text


def _rejects_response_format(exc: openai.BadRequestError) -> bool:
    text = (str(exc.message) + " " + json.dumps(exc.body or "")).lower()
    return any(k in text for k in ("response_format", "json_schema", "json_object", "structured output", "grammar"))


def _error_code(response: httpx2.Response) -> str | None:
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - any unreadable body simply has no code
        return None
    err = body.get("error") if isinstance(body, dict) else None
    return err.get("code") or err.get("type") if isinstance(err, dict) else None


def _map_error(exc: openai.OpenAIError, endpoint: Endpoint) -> errors.BriefingError:
    """Turn an openai exception into a one-line BriefingError; the key never appears in it, even when
    a server echoes it back."""
    error = _map_status(exc, endpoint)
    error.message = redact_text(error.message, (endpoint.api_key,))
    return error


def _map_status(exc: openai.OpenAIError, endpoint: Endpoint) -> errors.BriefingError:
    where = endpoint.label
    attempts = endpoint.max_retries + 1
    if isinstance(exc, openai.APITimeoutError):
        return errors.EndpointUnreachableError(
            f"no answer from {where} within {endpoint.timeout:g} s ({attempts} attempt(s))",
            hint="raise --timeout for slow models",
        )
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        detail = f": {_first_line(str(cause))}" if cause else ""
        return errors.EndpointUnreachableError(f"cannot reach {where}{detail} ({attempts} attempt(s))")
    if isinstance(exc, openai.APIStatusError):
        code = _body_code(exc)
        message = _first_line(_body_message(exc))
        status = exc.status_code
        if status == 401:
            return errors.AuthenticationError(
                f"{where} rejected the API key (401)", hint="check OPENAI_API_KEY"
            )
        if status == 403:
            return errors.EndpointError(f"{where} refused access (403): {message}")
        if status == 404:
            return errors.ModelNotFoundError(
                f"{where} answered 404 for model {endpoint.model!r}: {message}",
                hint="check --model and that --base-url ends in /v1",
            )
        if status == 429:
            if code == "insufficient_quota":
                return errors.QuotaExceededError(f"{where} says the account is out of quota (429 insufficient_quota)")
            wait = _retry_after(exc.response)
            if wait is not None and wait > 120:
                return errors.RetryLaterError(
                    f"{where} is rate limiting and asks to wait {_duration(wait)}; not waiting that long",
                    hint="try again later or lower --concurrency",
                )
            return errors.RateLimitError(f"{where} is still rate limiting after {attempts} attempt(s)")
        if status == 400 and (code == "context_length_exceeded" or "context" in message.lower() and "length" in message.lower()):
            window = re.search(r"context (?:length|window|size)\D{0,24}?(\d{3,})", message)
            return errors.ContextLengthError(f"the request is too long for the model's context at {where}",
                                             limit=int(window.group(1)) if window else None)
        if status >= 500:
            return errors.EndpointError(f"{where} failed with HTTP {status} after {attempts} attempt(s): {message}")
        return errors.EndpointError(f"{where} rejected the request (HTTP {status}): {message}")
    if isinstance(exc, openai.APIResponseValidationError):
        return errors.EndpointError(f"{where} sent a reply that is not an OpenAI-compatible response")
    return errors.EndpointError(f"request to {where} failed: {_first_line(str(exc))}")


def _body_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    text = str(getattr(exc, "message", "") or exc)
    if re.fullmatch(r"Error code: \d+", text):  # a body that says nothing (an HTML error page)
        return "no details given"
    return re.sub(r"^Error code: \d+ - ", "", text)


def _body_code(exc: openai.APIStatusError) -> str | None:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict):
            return err.get("code") or err.get("type")
    return getattr(exc, "code", None)


def _retry_after(response: httpx2.Response) -> float | None:
    """Seconds the server asks to wait: Retry-After-Ms, Retry-After in seconds or as an HTTP date."""
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = response.headers.get(header)
        if value:
            try:
                return float(value) / divisor
            except ValueError:
                pass
    try:
        return email.utils.parsedate_to_datetime(response.headers["retry-after"]).timestamp() - time.time()
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _duration(seconds: float) -> str:
    if seconds >= 3000:
        return f"{seconds:.0f} s (about {seconds / 3600:.0f} h)" if seconds < 1e9 else "indefinitely"
    return f"{seconds:.0f} s (about {seconds / 60:.0f} min)"


def _first_line(text: str, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
