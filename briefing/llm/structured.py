"""request_briefing(), request_object(), request_reask(): structured answers from the model.   [net]

One retry owner per failure kind:
- the openai client (llm/transport.py) retries transport failures with an explicit `max_retries`
  and `timeout`; it honours Retry-After up to two minutes and is stopped from retrying what cannot
  succeed (429 insufficient_quota);
- tenacity, here, retries only what the client cannot know about: an answer that is not JSON or
  does not validate against the asked-for model (a Briefing, or a digest's Cover). Each re-ask is a
  new message list carrying the errors.
Refusals, `finish_reason=length` and content filtering are errors, never retried as they are.
Only llm/ imports openai, and only this module tenacity.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import openai
from pydantic import BaseModel, ValidationError
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt

from briefing import errors
from briefing.llm.errors import first_line, map_error
from briefing.llm.transport import Endpoint
from briefing.records import Briefing, Usage
from briefing.text.controls import clean_name, clean_text

log = logging.getLogger(__name__)

# Structured-output modes, strongest first. A server that rejects one gets the next.
MODES = ("json_schema", "json_object", "prompt")

# llama.cpp's penalties for the embedded model: made to fill three judgments, two risks and two
# outlook items, the small model otherwise writes the same sentence into each of them (see
# bench/README.md §7). Remote models get none: they do not loop like this, and not every server
# takes these parameters.
EMBEDDED_SAMPLING = {"repeat_penalty": 1.1, "repeat_last_n": 256, "presence_penalty": 0.3}
M = TypeVar("M", bound=BaseModel)
_REFUSAL = re.compile(r"^\s*(I'm sorry|I am sorry|I apologi[sz]e|I can(?:'|no)t|I won't|I will not|As an AI)", re.I)


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
    return request_object(
        client,
        messages,
        schema,
        Briefing,
        endpoint=endpoint,
        max_tokens=max_tokens,
        temperature=temperature,
        modes=modes,
        reasks=reasks,
        prompt_schema=prompt_schema,
    )


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
            conversation = [
                *conversation,
                {"role": "assistant", "content": last_error.content[:4000]},
                {"role": "user", "content": _reask_text(last_error.problems, name)},
            ]
        while True:
            mode = modes[mode_index]
            try:
                content = _complete(
                    client,
                    conversation,
                    schema if mode == "json_schema" else (prompt_schema or schema),
                    mode,
                    endpoint,
                    max_tokens,
                    temperature,
                    usage,
                    name,
                )
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
        attempts = exc.last_attempt.attempt_number
        answer = cause.content if isinstance(cause, _InvalidAnswer) else ""
        log.debug("still invalid after %d attempt(s); the last answer was: %s", attempts, answer[:4000])
        raise errors.InvalidAnswerError(
            f"the model's answer was still invalid after {reasks} re-ask(s): {first_line(str(cause))}",
            hint="a larger model, or --max-tokens, may help",
            answer=answer,
            attempts=attempts,
        ) from cause
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
    conversation = [
        *messages,
        {"role": "assistant", "content": previous.model_dump_json()},
        {"role": "user", "content": text},
    ]
    return request_briefing(
        client,
        conversation,
        schema,
        endpoint=endpoint,
        max_tokens=max_tokens,
        temperature=temperature,
        modes=(mode,),
        reasks=0,
        prompt_schema=prompt_schema,
    )


def parse_answer(content: str, model: type[M]) -> M:
    """Parse and validate an answer as `model`; raise _InvalidAnswer with errors fit for a re-ask."""
    text = _strip_fences(content)
    name = model.__name__.lower()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if _REFUSAL.match(content):
            raise errors.RefusalError(f"the model refused to write the {name}: {first_line(content)!r}") from None
        raise _InvalidAnswer(
            content, f"the answer is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    try:
        return model.model_validate(_cleaned(data))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'/'.join(str(p) for p in e['loc']) or 'top level'}: {e['msg']}" for e in exc.errors()[:12]
        )
        raise _InvalidAnswer(content, f"the JSON does not match the schema: {problems}") from None


# Fields that hold a name or one line: zero-width characters out, whitespace folded (text/controls.py).
_ONE_LINE_FIELDS = frozenset({"name", "speaker", "title", "headline", "role", "kind"})


def _cleaned(data: object, key: str = "") -> object:
    """Every string of an answer without control and bidi-override characters, before it is validated:
    model text reaches terminals, logs and files, and must not steer any of them."""
    if isinstance(data, str):
        return clean_name(data) if key in _ONE_LINE_FIELDS else clean_text(data)
    if isinstance(data, list):
        return [_cleaned(v, key) for v in data]
    if isinstance(data, dict):
        return {k: _cleaned(v, k) for k, v in data.items()}
    return data


class _ModeRejected(Exception):
    """The server does not support this response_format."""


def _complete(
    client, messages, schema, mode, endpoint, max_tokens, temperature, usage: Usage, name: str = "briefing"
) -> str:
    kwargs: dict = {}
    if mode == "json_schema" and endpoint.embedded:
        kwargs["extra_body"] = {"grammar": compact_json_grammar(schema), **EMBEDDED_SAMPLING}
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
        raise map_error(exc, endpoint, client) from None
    except openai.OpenAIError as exc:
        raise map_error(exc, endpoint, client) from None
    try:
        completion = raw.parse()
    except ValueError:  # json.JSONDecodeError: a reply cut short by a proxy, or not JSON at all
        raise errors.EndpointError(
            f"{endpoint.label} sent a reply that is not valid JSON",
            hint="check the base URL: it should end in /v1 for most servers",
        ) from None
    except openai.OpenAIError as exc:
        raise map_error(exc, endpoint, client) from None
    if isinstance(completion, str) or not getattr(completion, "choices", None):
        raise errors.EndpointError(
            f"{endpoint.label} did not answer like an OpenAI-compatible server (no choices in the reply)",
            hint="check the base URL: it should end in /v1 for most servers",
        )
    if completion.usage:
        usage.prompt_tokens += completion.usage.prompt_tokens or 0
        usage.completion_tokens += completion.usage.completion_tokens or 0
    _log_server_timings(completion, name)
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        raise errors.RefusalError(f"the model refused to write the {name}: {first_line(message.refusal)!r}")
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


def _log_server_timings(completion, name: str) -> None:
    """One debug line with llama.cpp's own timings of a request, where the server sends them: where a
    request's seconds went (prompt tokens read, from its cache or not, and tokens written)."""
    timings = (getattr(completion, "model_extra", None) or {}).get("timings")
    if not isinstance(timings, dict):
        return
    try:
        log.debug(
            "%s request: %d prompt tokens read in %.1f s (%d from cache), %d tokens written in %.1f s (%.1f/s)",
            name,
            timings.get("prompt_n", 0),
            timings.get("prompt_ms", 0) / 1000,
            timings.get("cache_n", 0),
            timings.get("predicted_n", 0),
            timings.get("predicted_ms", 0) / 1000,
            timings.get("predicted_per_second", 0),
        )
    except (TypeError, ValueError):  # a server's own fields, not the API's: never fail a request on them
        return


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
