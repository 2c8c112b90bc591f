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
    return isolate_env(monkeypatch, tmp_path / "briefing-home")


def isolate_env(monkeypatch, home: Path) -> Path:
    """Point BRIEFING_HOME at `home` and drop OPENAI_* and other BRIEFING_* variables (also for
    module-scoped fixtures, which run before the autouse one)."""
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
    return subprocess.run(
        [sys.executable, "-m", "briefing", *map(str, args)],
        capture_output=True,
        env=full_env,
        input=input,
        timeout=timeout,
    )


# Saved briefings for the handout tests -------------------------------------------------------------

PWNED = "PWNED"  # what a script would set document.title to, if one ever ran


def load_result(name: str):
    """A BriefingResult from tests/fixtures: seed-briefing.json is the embedded model's real answer
    on the seed article; full-briefing.json has every list at its maximum (tables cross pages)."""
    from briefing.records import BriefingResult

    return BriefingResult.model_validate_json((FIXTURES / name).read_text(encoding="utf-8"))


def hostile_result():
    """The seed briefing with every article and model field replaced by an attack on the handout."""
    from briefing.records import Check

    result = load_result("full-briefing.json")
    run = f"document.title='{PWNED}'"
    a = result.article
    a.title = f"<script>{run}</script>Korea"
    a.outlet = f'<img src="https://evil.example/outlet.png" onerror="{run}">'
    a.author = "<a href='javascript:alert(1)'>author</a>"
    a.published = "<meta http-equiv=refresh content='0;url=https://evil.example/'>"
    a.source = 'https://evil.example/"><script>fetch("https://evil.example/src")</script>'
    a.sentences[0] = f'<script>fetch("https://evil.example/s1")</script><img src=x onerror="{run}"> Seoul'
    a.sentences[3] = "<style>body{background:url(https://evil.example/s4.png)}</style>"
    b = result.briefing
    b.title = f"</title><script>{run}</script>*/ }} body {{ background: url(https://evil.example/t) }}"
    b.bluf = f'<img src="https://evil.example/bluf.png" onerror="{run}"> **bold** stays'
    b.summary = (
        f"[click me](javascript:{run}) ![tracker](https://evil.example/md.png) "
        "<style>body{background:url(https://evil.example/st)}</style> [ok](https://example.org/)"
    )
    b.key_judgments[0].statement = f'<svg onload="{run}"><a xlink:href="javascript:{run}">x</a></svg>'
    b.key_judgments[0].check = Check(status="weak", notes=[f"<script>{run}</script>"], suggested=[1])
    actor = b.key_actors[0]
    actor.name = '<iframe src="https://evil.example/iframe"></iframe>'
    actor.role = f'<a href="javascript:{run}">role</a>'
    actor.stance = (
        '<form action="https://evil.example/f"><button formaction="https://evil.example/b">go</button></form>'
    )
    b.key_actors[1].quotes[0].text = f'"><script>{run}</script>'
    b.key_actors[1].quotes[0].speaker = f'<b onmouseover="{run}">speaker</b>'
    b.key_actors[1].quotes[0].translation = "<object data='https://evil.example/obj'></object>"
    risk = b.risks[0]
    risk.title = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
    risk.description = "<link rel=stylesheet href=https://evil.example/x.css>"
    risk.indicators = ['<base href="https://evil.example/">', "<video src=x onerror=alert(1)>"]
    risk.timeframe = "<embed src=https://evil.example/e>"
    b.outlook[0].development = f'<details open ontoggle="{run}">x</details>'
    b.outlook[0].signposts = ["[x](data:text/html,<script>alert(1)</script>)", "url(https://evil.example/u)"]
    b.gaps = [f'<math><mtext><table><mglyph><style><img src=x onerror="{run}">']
    result.model.note = f"<script>{run}</script>"
    return result


@pytest.fixture
def seed_result():
    return load_result("seed-briefing.json")


@pytest.fixture
def full_result():
    return load_result("full-briefing.json")


@pytest.fixture
def deny(monkeypatch):
    """deny(path): make `path` (a file or folder) unreadable and, for a folder, not enterable. chmod does
    it; as root, which permissions do not stop, the calls that would fail fail as they would for a user."""
    import io

    denied: list[str] = []

    def blocked(target) -> bool:
        text = os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else ""
        text = os.path.abspath(text) if text else ""
        return any(text == d or text.startswith(d + os.sep) for d in denied)

    def guard(real, inside_only: bool = False):
        def call(target, *args, **kwargs):
            path = os.path.abspath(os.fsdecode(target)) if isinstance(target, (str, bytes, os.PathLike)) else ""
            if blocked(target) and not (inside_only and path in denied):
                raise PermissionError(13, "Permission denied", os.fsdecode(target))
            return real(target, *args, **kwargs)

        return call

    def deny_path(path: Path) -> Path:
        path.chmod(0)
        if os.geteuid() == 0 and not denied:
            monkeypatch.setattr(os, "stat", guard(os.stat, inside_only=True))  # the folder itself can be seen
            monkeypatch.setattr(os, "scandir", guard(os.scandir))
            monkeypatch.setattr(io, "open", guard(io.open))
            monkeypatch.setattr(os, "open", guard(os.open))
        denied.append(os.path.abspath(path))
        return path

    yield deny_path
    for path in denied:
        os.chmod(path, 0o755)
