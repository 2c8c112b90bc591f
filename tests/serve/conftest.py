"""An archive of three days (three loopback-model digests, one story with hostile text) and
`briefing serve` running over it in a subprocess, as a user starts it."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.articles import make_article, marker
from tests.conftest import PWNED, Cli, isolate_env
from tests.llm_server import LLMServer, Reply, schema_instance_for

DAYS = ("2026-03-02", "2026-03-03", "2026-03-04")
DAY3 = "DAY3-NOTE: officials said the talks collapsed and tensions rose along the border overnight."
RUN = f"document.title='{PWNED}'"
HOSTILE_ARTICLE = f'<script>{RUN}</script> <img src=x onerror="{RUN}"> Officials met again on Monday.'
HOSTILE_BLUF = f'<img src="https://evil.example/bluf.png" onerror="{RUN}"> The talks stall.'
HOSTILE_JUDGMENT = f'<svg onload="{RUN}"><a href="javascript:{RUN}">x</a></svg> The dispute will widen.'


def _answer(request) -> Reply | None:
    """Day 3 moves story 1's judgments to 'very likely'; the story with the hostile text gets hostile answers."""
    body = request.body
    if body["response_format"]["json_schema"]["name"] != "briefing":
        return None
    text = json.dumps(body, ensure_ascii=False)
    answer = schema_instance_for(body)
    if "DAY3-NOTE" in text:
        prompt = body["messages"][-1]["content"]
        new = int(re.search(r"\[S(\d+)\] DAY3-NOTE", prompt).group(1))
        for judgment in answer["key_judgments"]:
            judgment.update(likelihood="very likely", confidence="moderate", evidence=[new])
    elif marker(1) in text:
        for judgment in answer["key_judgments"]:
            judgment.update(likelihood="likely")
    if "Officials met again" in text:
        answer["bluf"] = HOSTILE_BLUF
        answer["key_judgments"][0]["statement"] = HOSTILE_JUDGMENT
        answer["key_actors"][0]["role"] = f'<a href="javascript:{RUN}">role</a>'
    return Reply(content=json.dumps(answer))


def build_archive(home: Path, work: Path) -> None:
    articles = {
        DAYS[0]: {"a.txt": make_article(0), "b.txt": make_article(1), "c.txt": make_article(2, extra=HOSTILE_ARTICLE)},
        DAYS[1]: {"a.txt": make_article(0), "b.txt": make_article(1), "d.txt": make_article(3)},
        DAYS[2]: {"a.txt": make_article(0), "b.txt": make_article(1, extra=DAY3), "d.txt": make_article(3)},
    }
    cli = Cli()
    with LLMServer() as llm, pytest.MonkeyPatch.context() as mp:
        isolate_env(mp, home)
        llm.respond = _answer
        for day, files in articles.items():
            folder = work / day
            folder.mkdir(parents=True)
            for name, text in files.items():
                (folder / name).write_text(text)
            result = cli("digest", folder, "--base-url", llm.url, "--date", day, "-f", "json", "-o", f"{work}/out/")
            assert result.exit_code == 0, result.stderr


class Served:
    """`briefing serve` in a subprocess: its URL, its output, and a clean stop."""

    def __init__(self, home: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
        env["BRIEFING_HOME"] = str(home)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefing", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        assert ready, "briefing serve printed no address within 60 s"
        self.address = self.proc.stdout.readline().strip()  # type: ignore[union-attr]
        self.url = self.address.split("?")[0].rstrip("/")
        assert self.url.startswith("http://127.0.0.1:"), self.address

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as a user stops it; (exit code, stderr)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            raise
        return self.proc.returncode, err


@pytest.fixture(scope="module")
def archive_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("serve-home")
    build_archive(home, tmp_path_factory.mktemp("serve-work"))
    return home


@pytest.fixture(scope="module")
def served(archive_home):
    server = Served(archive_home)
    yield server
    if server.proc.poll() is None:
        server.stop()
