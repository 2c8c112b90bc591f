"""Shared fixtures: an isolated user folder, a loopback LLM server, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.llm_server import LLMServer
from tests.web_server import WebServer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "korea-talks-collapse.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """No test reads the real user folder or a real API key."""
    home = tmp_path / "briefing-home"
    monkeypatch.setenv("BRIEFING_HOME", str(home))
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "BRIEFING_")) and name != "BRIEFING_HOME":
            monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def llm():
    """A fresh OpenAI-compatible server on 127.0.0.1."""
    with LLMServer() as server:
        yield server


@pytest.fixture
def web():
    """A web server on 127.0.0.1 serving the pages and feeds a test puts in `web.pages`."""
    with WebServer() as server:
        yield server


@pytest.fixture
def seed() -> Path:
    return SEED


class Cli:
    """Runs `briefing` in-process (CliRunner) with stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None):
        from briefing.cli import app

        return self.runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


def run_briefing(*args: str, env: dict | None = None, input: bytes | None = None, timeout: float = 300):
    """Run the installed `briefing` exactly as a user would, in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "briefing", *map(str, args)], capture_output=True,
                          env=full_env, input=input, timeout=timeout)
