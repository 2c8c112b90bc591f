"""BriefingRequest and ask(): one briefing request, built from an article and sent over a session.   [net]

The request holds the rendered messages, the per-article schema (grounding by construction) and the
prompt's digest for the cache key; `ask()` sends it within the session's slots and records which
structured-output mode the server took.
"""

from __future__ import annotations

import contextlib
import secrets

from briefing.llm.structured import Answer, request_briefing
from briefing.output.variables import check_variable_names
from briefing.prompts import PromptSet, build_messages, prompt_sha256
from briefing.records import Article, Usage
from briefing.schema import build_schema
from briefing.session import Session
from briefing.settings import Settings
from briefing.text.languages import translation_language

DEFAULT_MAX_TOKENS = 3000
EXAMPLE_WINDOW = 6000  # context tokens below which the prompt leaves out its worked example

# One fence boundary per run, not per request: as random (no article can know it), and the system
# prompt, which names the fence, is then the same for every article of a digest, so the embedded
# server reuses that processed prefix (its prompt cache) instead of reading ~900 tokens again.
_RUN_BOUNDARY = secrets.token_hex(8)


class BriefingRequest:
    """The messages and schemas of one briefing request (the fence boundary masked in its digest)."""

    def __init__(
        self, article: Article, prompt: PromptSet, variables: dict, messages=None, *, translate_to: str | None = None
    ) -> None:
        boundary = _RUN_BOUNDARY
        self.variables = variables
        length = str(variables.get("length") or "standard")
        self.schema = build_schema(article, grounded=True, translate_to=translate_to, length=length)
        self.prompt_schema = build_schema(article, grounded=False, translate_to=translate_to, length=length)
        self.messages = messages or build_messages(
            article, prompt, variables=variables, boundary=boundary, translate_to=translate_to
        )
        self.sha256 = prompt_sha256(self.messages, boundary)
        self.label = article.title


def build_request(article: Article, prompt: PromptSet, settings: Settings) -> BriefingRequest:
    """The request brief_article() sends for `article` with the settings' variables when its quotes need
    no translation; a run builds it once for the cache key and passes it on as `prepared`."""
    return BriefingRequest(article, prompt, prompt_variables(settings))


def ask(session: Session, request: BriefingRequest) -> Answer:
    """Send one briefing request; later requests skip the structured-output modes the server rejected."""
    settings = session.settings
    with slot(session), watch(session, request.label):
        if session.prefix is not None and request.messages[0]["role"] == "system":
            session.prefix.prepare(request.messages[0]["content"])
        answer = request_briefing(
            session.client,
            request.messages,
            request.schema,
            endpoint=session.endpoint,
            max_tokens=max_tokens(session),
            temperature=settings.temperature,
            modes=session.modes,
            reasks=settings.reasks,
            prompt_schema=request.prompt_schema,
        )
    session.modes = session.modes[session.modes.index(answer.mode) :]
    return answer


def prompt_variables(settings: Settings) -> dict[str, object]:
    """The variables every prompt receives from the settings (--audience, --language, --length, --var)."""
    custom = dict(settings.variables)
    check_variable_names(custom)
    window = settings.context_tokens
    return {
        "audience": settings.audience,
        "language": settings.language,
        "length": settings.length,
        # The worked example costs about 900 tokens: a small context window needs them for the article.
        "worked_example": not (window and window < EXAMPLE_WINDOW),
        **custom,
        "vars": custom,
    }


def quote_translation(article: Article, settings: Settings) -> str | None:
    """The language to translate the article's quotes into, or None (no quotes, or already in it)."""
    if not article.quotations:
        return None
    return translation_language(str(settings.language), article.text)


def max_tokens(session: Session) -> int:
    """The cap on tokens the model may write per request (--max-tokens)."""
    return session.settings.max_tokens or DEFAULT_MAX_TOKENS


def add_usage(total: Usage, more: Usage) -> None:
    """Add the requests, re-asks and tokens of `more` to `total`."""
    total.requests += more.requests
    total.reasks += more.reasks
    total.prompt_tokens += more.prompt_tokens
    total.completion_tokens += more.completion_tokens


def slot(session: Session) -> contextlib.AbstractContextManager:
    """One of the run's request slots (at most --concurrency requests in flight), or no bound."""
    return session.slots if session.slots is not None else contextlib.nullcontext()


@contextlib.contextmanager
def watch(session: Session, label: str):
    """Show the embedded model's progress while this request is written (a terminal only)."""
    progress = session.progress
    if session.server is not None and progress is not None and hasattr(progress, "watch"):
        with progress.watch(session.server, f"Writing the briefing of “{label[:50]}”"):
            yield
    else:
        yield
