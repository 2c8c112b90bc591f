"""The BriefingError family: every failure a user can cause or meet, with a one-line message. Pure.

The CLI catches BriefingError only, prints `error: <message>` and exits with `exit_code`.
Anything else is a bug and is allowed to show a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_DELIVERY = 4
EXIT_BUSY = 5


class BriefingError(Exception):
    """A failure with a message meant for the user."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


# Input ------------------------------------------------------------------------------------------


class InputError(BriefingError):
    """An article could not be read or is not usable text."""


class EmptyInputError(InputError):
    """The article holds no text."""


class BinaryInputError(InputError):
    """The input is not text (a binary file, an image, an archive...)."""


class EncodingError(InputError):
    """The input's character encoding could not be determined."""


class FetchError(InputError):
    """A URL or feed could not be fetched within the limits."""


class RefusedAddressError(FetchError):
    """A URL points at a private, loopback or link-local address and --allow-private was not given."""


# Configuration ----------------------------------------------------------------------------------


class ConfigError(BriefingError):
    """Settings, profiles or the config file are wrong."""


class MissingKeyError(ConfigError):
    """A remote endpoint needs an API key and none was given."""


class UnsafeServeError(ConfigError):
    """`briefing serve` asked to listen beyond loopback without a token, or with an unusable one."""

    exit_code = EXIT_USAGE


class TemplateError(BriefingError):
    """A prompt or output template is missing, broken or unsafe."""


# The model and its endpoint ----------------------------------------------------------------------


class EndpointError(BriefingError):
    """The LLM endpoint failed or refused the request."""


class EndpointUnreachableError(EndpointError):
    """No connection to the endpoint (refused, DNS, timeout)."""


class AuthenticationError(EndpointError):
    """The endpoint rejected the API key."""


class ModelNotFoundError(EndpointError):
    """The endpoint does not serve the requested model."""


class RateLimitError(EndpointError):
    """The endpoint keeps rate limiting, or asks to wait longer than we will."""


class RetryLaterError(RateLimitError):
    """The endpoint asks to wait longer than a run will (Retry-After over two minutes)."""


class QuotaExceededError(EndpointError):
    """The account is out of quota: no further request can succeed."""


class ContextLengthError(EndpointError):
    """The request is larger than the model's context window."""

    def __init__(self, message: str, *, limit: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.limit = limit  # the window in tokens, when the endpoint says so


class AnswerError(BriefingError):
    """The model answered, but the answer cannot be used."""


class RefusalError(AnswerError):
    """The model refused to write the briefing."""


class TruncatedAnswerError(AnswerError):
    """The answer hit the token limit before the JSON was complete."""


class ContentFilterError(AnswerError):
    """The endpoint's content filter stopped the answer."""


class InvalidAnswerError(AnswerError):
    """The answer stayed invalid (not JSON, or not the schema) after the re-asks."""

    def __init__(self, message: str, *, hint: str | None = None, answer: str = "", attempts: int = 0) -> None:
        super().__init__(message, hint=hint)
        self.answer = answer  # the last answer the server sent, for -vv and for callers that keep evidence
        self.attempts = attempts


class LocalModelError(BriefingError):
    """The embedded model could not be prepared or started."""


# Grounding and output ----------------------------------------------------------------------------


class GroundingError(BriefingError):
    """--strict: some items could not be verified against the article."""


class OutputError(BriefingError):
    """The output could not be written where it was asked for."""


class ChromiumMissingError(OutputError):
    """-f pdf was asked for and no Chromium is installed."""


class DigestFailedError(BriefingError):
    """Every input of a digest failed: there is no story to write. `failures` lists them."""

    def __init__(self, message: str, *, failures: list | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.failures = list(failures or [])


# Delivery and named briefs ------------------------------------------------------------------------


class DeliveryError(BriefingError):
    """The files were written, but an e-mail or a webhook could not be delivered (after one retry)."""

    exit_code = EXIT_DELIVERY


class BriefRunningError(BriefingError):
    """`briefing run NAME`: another run of the same brief holds its lock."""

    exit_code = EXIT_BUSY


# The archive -------------------------------------------------------------------------------------


class ArchiveError(BriefingError):
    """The archive (BRIEFING_HOME/archive.db) cannot be opened, read or written, or lacks an item asked for."""


class ArchiveQueryError(ArchiveError):
    """A search query the full-text index cannot parse: a usage error."""

    exit_code = EXIT_USAGE
