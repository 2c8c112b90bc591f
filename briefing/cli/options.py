"""The options `generate`, `digest` and `doctor` share, written once: RunOptions and @run_options.

A command decorated with @run_options gets every shared option on its command line and receives
them as one `opts: RunOptions` argument, so a new option is added here once and no command can miss
it (tests/cli/test_options.py checks the three commands take the same set).
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any

import typer

# ruff: noqa: E501 (option help texts read best on one line each)
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Model name at the endpoint [env: BRIEFING_MODEL].", show_default=False),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 [env: OPENAI_BASE_URL]. The key comes from OPENAI_API_KEY.",
        show_default=False,
    ),
]
LocalOpt = Annotated[bool, typer.Option("--local", help="Use the embedded model even if an endpoint is configured.")]
LocalModelOpt = Annotated[
    str | None,
    typer.Option(
        "--local-model",
        help="Embedded model: 'default' (Qwen2.5-Coder 1.5B), 'small' (0.5B) or a path to any GGUF file.",
        show_default=False,
    ),
]
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        min=0.001,
        help="Seconds to wait for one answer (default 120 remote, 900 embedded).",
        show_default=False,
    ),
]
RetriesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-retries",
        min=0,
        help="Transport retries per request (429, 5xx, timeouts) [default: 2].",
        show_default=False,
    ),
]
ContextOpt = Annotated[
    int | None,
    typer.Option(
        "--context-tokens",
        min=1,
        help="The model's context window in tokens; longer articles are briefed in parts and merged (default: embedded model's own; remote: learnt from the server's error).",
        show_default=False,
    ),
]
MaxTokensOpt = Annotated[
    int | None,
    typer.Option(
        "--max-tokens",
        min=1,
        help="Cap on tokens the model may write per briefing [default: 3000].",
        show_default=False,
    ),
]
PromptOpt = Annotated[
    str | None,
    typer.Option(
        "--prompt", "-p", help="Prompt style: policy (default), executive, risk, or your own.", show_default=False
    ),
]
TemplateOpt = Annotated[
    str | None,
    typer.Option(
        "--template",
        "-t",
        help="Output template name (e.g. handout, compact, email for HTML); for a digest NAME.md.j2 / NAME.html.j2 [default: digest].",
        show_default=False,
    ),
]
PromptsDirOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--prompts-dir",
        help="Folder searched first for prompts (repeatable).",
        show_default=False,
        exists=True,
        file_okay=False,
    ),
]
TemplatesDirOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--templates-dir",
        help="Folder searched first for output templates (repeatable).",
        show_default=False,
        exists=True,
        file_okay=False,
    ),
]
AudienceOpt = Annotated[
    str | None,
    typer.Option("--audience", help="Who reads the briefing [default: senior policy makers].", show_default=False),
]
LanguageOpt = Annotated[
    str | None, typer.Option("--language", help="Language of the briefing [default: English].", show_default=False)
]
LengthOpt = Annotated[str | None, typer.Option("--length", help="short, standard or long.", show_default=False)]
VarOpt = Annotated[
    list[str] | None,
    typer.Option("--var", help="Extra prompt/template variable KEY=VALUE (repeatable).", show_default=False),
]
ProfileOpt = Annotated[
    str | None, typer.Option("--profile", help="Named profile from config.toml in BRIEFING_HOME.", show_default=False)
]
StrictOpt = Annotated[
    bool | None,
    typer.Option(
        "--strict/--no-strict",
        help="Fail (exit 1) when any quote, actor or citation cannot be verified.",
        show_default=False,
    ),
]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        "-j",
        min=1,
        max=64,
        help="Briefings requested at once [default: 4 remote, 1 embedded; env: BRIEFING_CONCURRENCY].",
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="More log output on stderr (-vv for debug).")
]


@dataclass(frozen=True)
class RunOptions:
    """The shared options as given on the command line (None: not given, the settings decide)."""

    model: ModelOpt = None
    base_url: BaseUrlOpt = None
    local: LocalOpt = False
    local_model: LocalModelOpt = None
    prompt: PromptOpt = None
    template: TemplateOpt = None
    prompts_dir: PromptsDirOpt = None
    templates_dir: TemplatesDirOpt = None
    audience: AudienceOpt = None
    language: LanguageOpt = None
    length: LengthOpt = None
    var: VarOpt = None
    profile: ProfileOpt = None
    strict: StrictOpt = None
    timeout: TimeoutOpt = None
    max_retries: RetriesOpt = None
    max_tokens: MaxTokensOpt = None
    context_tokens: ContextOpt = None
    concurrency: ConcurrencyOpt = None
    verbose: VerboseOpt = 0

    def load_settings(self, **more: object):
        """The effective settings: these flags (and `more`, e.g. concurrency) over env, config, defaults."""
        from briefing.cli.common import parse_vars
        from briefing.settings import load_settings

        flags = {name: getattr(self, name) for name in _SETTING_FLAGS}
        flags["local"] = self.local or None
        return load_settings(
            {**flags, **more},
            profile=self.profile,
            prompts_dirs=self.prompts_dir,
            templates_dirs=self.templates_dir,
            variables=parse_vars(self.var),
        )


# The options that are settings of the same name (the others choose files or the log level).
_SETTING_FLAGS = (
    "model",
    "base_url",
    "local_model",
    "prompt",
    "template",
    "audience",
    "language",
    "length",
    "strict",
    "timeout",
    "max_retries",
    "max_tokens",
    "context_tokens",
    "concurrency",
)
SHARED_OPTIONS = tuple(f.name for f in fields(RunOptions))


def run_options(command):
    """Give `command` every shared option; it receives them as `opts: RunOptions` (its last parameter)."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for name, p in signature.parameters.items() if name != "opts"]
    hints = {f.name: f.type for f in fields(RunOptions)}
    resolved = inspect.get_annotations(RunOptions, eval_str=True)
    shared = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=resolved[name], default=getattr(RunOptions, name)
        )
        for name in hints
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any):
        opts = RunOptions(**{name: kwargs.pop(name) for name in SHARED_OPTIONS if name in kwargs})
        return command(*args, opts=opts, **kwargs)

    keyword = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        if p.kind == p.POSITIONAL_OR_KEYWORD and p.default is not p.empty
        else p
        for p in own
    ]
    positional = [p for p in keyword if p.kind != inspect.Parameter.KEYWORD_ONLY]
    named = [p for p in keyword if p.kind == inspect.Parameter.KEYWORD_ONLY]
    wrapper.__signature__ = signature.replace(parameters=[*positional, *named, *shared])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in [*positional, *named, *shared]}
    del wrapper.__wrapped__  # typer must read this signature, not the command's own
    return wrapper
