"""The `briefing` command line: options, output and exit codes; the work happens elsewhere.

Heavy modules (openai, pydantic models, Jinja environments, the model runtime) are imported inside
the commands, so `briefing --help` and `--version` start fast (bench/bench_startup.py).
"""

from __future__ import annotations

import typer

from briefing import __version__

EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 failed, nothing written; 2 usage error; "
    "3 partial (a digest, or some of several briefings, was written but some inputs failed); "
    "4 written, but an e-mail or webhook delivery failed; 5 the named brief is already running."
)

app = typer.Typer(
    name="briefing",
    help=(
        "Turn news articles into grounded policy briefings: bottom line up front, key judgments, "
        "actors with verified quotes, risks and outlook, every line traceable to the article.\n\n"
        "With no API key and no base URL, a small embedded model runs on this computer; set "
        "OPENAI_API_KEY and/or OPENAI_BASE_URL (or --base-url) to use OpenAI or any "
        "OpenAI-compatible server (vLLM, llama.cpp, Ollama)."
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """briefing: news in, policy briefings out."""


from briefing.cli import digest as _digest  # noqa: E402,F401
from briefing.cli import doctor as _doctor  # noqa: E402,F401
from briefing.cli import generate as _generate  # noqa: E402,F401  (registers the commands)
from briefing.cli import history as _history  # noqa: E402,F401
from briefing.cli import named as _named  # noqa: E402,F401
from briefing.cli import prompts as _prompts  # noqa: E402,F401
from briefing.cli import render as _render  # noqa: E402,F401
from briefing.cli import review as _review  # noqa: E402,F401
from briefing.cli import serve as _serve  # noqa: E402,F401
from briefing.cli import templates as _templates  # noqa: E402,F401


def main() -> None:
    """Entry point of the `briefing` console script."""
    app()
