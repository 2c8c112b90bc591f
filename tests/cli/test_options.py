"""The options generate, digest and doctor share: written once (cli/options.py), taken by all three."""

from __future__ import annotations

import typer.main

from briefing.cli import app
from briefing.cli.options import SHARED_OPTIONS


def _options(name: str) -> dict[str, tuple[str, ...]]:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    return {p.name: tuple(p.opts) for p in command.params}


def test_generate_digest_and_doctor_take_the_same_shared_options():
    shared = {name: opts for name, opts in _options("generate").items() if name in SHARED_OPTIONS}
    assert set(shared) == set(SHARED_OPTIONS)
    for command in ("digest", "doctor"):
        theirs = {name: opts for name, opts in _options(command).items() if name in SHARED_OPTIONS}
        assert theirs == shared, command


def test_the_options_that_drifted_before_are_there(cli):
    for command in ("generate", "digest", "doctor"):
        help_text = cli(command, "--help").stdout
        for flag in (
            "--local-model",
            "--timeout",
            "--max-retries",
            "--max-tokens",
            "--context-tokens",
            "--strict",
            "--concurrency",
            "--verbose",
        ):
            assert flag in help_text, (command, flag)


def test_doctor_shows_the_effect_of_a_shared_option(cli):
    result = cli("doctor", "--no-check", "--max-tokens", "1234", "--base-url", "http://127.0.0.1:9/v1")
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("max_tokens"))
    assert "1234" in line and "flag" in line
