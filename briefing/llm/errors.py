"""map_error(): an openai exception -> one BriefingError with a one-line message. Pure.

The key never appears in a message, even when a server echoes it back. Each mapping is logged at
debug level with what the server said, so `-vv` shows the evidence behind a one-line error.
"""

from __future__ import annotations

import logging
import re

import openai
from openai._constants import MAX_RETRY_AFTER_DELAY  # the client's own cap on waiting for Retry-After

from briefing import errors
from briefing.llm.transport import MAX_ANSWER_BYTES, AnswerRefusedError, Endpoint
from briefing.redact import redact_text

log = logging.getLogger(__name__)


def map_error(exc: openai.OpenAIError, endpoint: Endpoint, client: openai.OpenAI | None = None) -> errors.BriefingError:
    """Turn an openai exception into a one-line BriefingError (`client` reads Retry-After as it does)."""
    error = _map_status(exc, endpoint, client)
    error.message = redact_text(error.message, (endpoint.api_key,))
    body = getattr(exc, "body", None)
    log.debug(
        "%s -> %s: %s (server said: %s)",
        type(exc).__name__,
        type(error).__name__,
        error.message,
        redact_text(str(body)[:2000], (endpoint.api_key,)),
    )
    return error


def _map_status(exc: openai.OpenAIError, endpoint: Endpoint, client: openai.OpenAI | None) -> errors.BriefingError:
    where = endpoint.label
    attempts = endpoint.max_retries + 1
    if isinstance(exc, AnswerRefusedError):
        return errors.EndpointError(
            f"{where} sent an answer that was not read: {first_line(str(exc))}",
            hint=f"a briefing's answer is a few kB; the limit is {MAX_ANSWER_BYTES // 1_000_000} MB, decoded",
        )
    if isinstance(exc, openai.APITimeoutError):
        return errors.EndpointUnreachableError(
            f"no answer from {where} within {endpoint.timeout:g} s ({attempts} attempt(s))",
            hint="raise --timeout for slow models",
        )
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        detail = f": {first_line(str(cause))}" if cause else ""
        return errors.EndpointUnreachableError(f"cannot reach {where}{detail} ({attempts} attempt(s))")
    if isinstance(exc, openai.APIStatusError):
        code = _body_code(exc)
        message = first_line(_body_message(exc))
        status = exc.status_code
        if status == 401:
            return errors.AuthenticationError(f"{where} rejected the API key (401)", hint="check OPENAI_API_KEY")
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
            wait = _retry_after(exc.response, client)
            if wait is not None and wait > MAX_RETRY_AFTER_DELAY:
                return errors.RetryLaterError(
                    f"{where} is rate limiting and asks to wait {_duration(wait)}; not waiting that long",
                    hint="try again later or lower --concurrency",
                )
            return errors.RateLimitError(f"{where} is still rate limiting after {attempts} attempt(s)")
        if status == 400 and (
            code == "context_length_exceeded" or "context" in message.lower() and "length" in message.lower()
        ):
            window = re.search(r"context (?:length|window|size)\D{0,24}?(\d{3,})", message)
            return errors.ContextLengthError(
                f"the request is too long for the model's context at {where}",
                limit=int(window.group(1)) if window else None,
            )
        if status >= 500:
            return errors.EndpointError(f"{where} failed with HTTP {status} after {attempts} attempt(s): {message}")
        return errors.EndpointError(f"{where} rejected the request (HTTP {status}): {message}")
    if isinstance(exc, openai.APIResponseValidationError):
        return errors.EndpointError(f"{where} sent a reply that is not an OpenAI-compatible response")
    return errors.EndpointError(f"request to {where} failed: {first_line(str(exc))}")


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


def _retry_after(response, client: openai.OpenAI | None) -> float | None:
    """Seconds the server asks to wait, read exactly as the openai client reads them (ms, s, HTTP date).

    Private API: the client parses Retry-After in `_parse_retry_after_header` and exposes no public
    parser; reading it the same way keeps "the client gave up because the wait was too long" and this
    message in step. tests/llm/test_private_api.py fails loudly if openai renames it.
    """
    parser = client if client is not None else openai.OpenAI(api_key="unused", base_url="http://127.0.0.1:9")
    wait = parser._parse_retry_after_header(response.headers)
    if client is None:
        parser.close()
    return wait


def _duration(seconds: float) -> str:
    if seconds >= 3000:
        return f"{seconds:.0f} s (about {seconds / 3600:.0f} h)" if seconds < 1e9 else "indefinitely"
    return f"{seconds:.0f} s (about {seconds / 60:.0f} min)"


def first_line(text: str, limit: int = 200) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
