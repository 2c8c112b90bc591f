"""One run of a named brief at a time, checked with real processes: a second `briefing run` exits 5 with
one line; a lock left by a run killed with SIGKILL is taken over by the next run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from briefing.deliver.lock import hold_lock, lock_path
from briefing.errors import BriefRunningError
from tests.conftest import ROOT, run_briefing
from tests.deliver.test_run import serve_feed
from tests.llm_server import LLMServer

HOLD = (
    "import sys, time\nfrom pathlib import Path\nfrom briefing.deliver.lock import hold_lock\n"
    "with hold_lock(Path(sys.argv[1]), 'brief x'):\n    print('held', flush=True)\n    time.sleep(120)\n"
)


def write_config(home, llm, web, out) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f"""[defaults]
base_url = "{llm.url}"

[briefs.morning]
inputs = ["{web.url("/feed.xml")}"]
allow_private = true
formats = ["md"]
output_dir = "{out}"
""",
        encoding="utf-8",
    )


def wait_for_pid(path, pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text().split()[:1] == [str(pid)]:
            return
        time.sleep(0.05)
    pytest.fail(f"pid {pid} never took the lock {path}")


def test_two_runs_at_once_one_runs_and_the_other_says_it_is_already_running(web, tmp_path, isolated_env):
    serve_feed(web)
    with LLMServer(latency=1.5) as llm:  # slow enough that the first run is still going
        write_config(isolated_env, llm, web, tmp_path / "out")
        first = subprocess.Popen(
            [sys.executable, "-m", "briefing", "run", "morning"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            wait_for_pid(lock_path(isolated_env, "morning"), first.pid)
            second = run_briefing("run", "morning", timeout=60)
            out, err = first.communicate(timeout=120)
        finally:
            first.kill()
    assert second.returncode == 5
    lines = second.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"error: brief 'morning' is already running (pid {first.pid}, started "
    )
    assert first.returncode == 0, err.decode()
    assert len(list((tmp_path / "out").glob("*.md"))) == 1
    assert lock_path(isolated_env, "morning").read_text() == ""  # a clean end leaves no pid behind


def test_a_lock_left_by_a_killed_run_is_taken_over(llm, web, tmp_path, isolated_env):
    serve_feed(web)
    write_config(isolated_env, llm, web, tmp_path / "out")
    path = lock_path(isolated_env, "morning")
    with subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, cwd=ROOT) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
            with pytest.raises(BriefRunningError, match=f"pid {holder.pid}") as busy:
                with hold_lock(path, "brief 'morning'"):
                    pass
            assert busy.value.exit_code == 5
            os.kill(holder.pid, signal.SIGKILL)
            holder.wait(timeout=30)
        finally:
            holder.kill()
    assert path.read_text().split()[0] == str(holder.pid)  # the killed run's pid is still in the file
    proc = run_briefing("run", "morning", "-v", timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"taking over the lock of pid {holder.pid}" in proc.stderr.decode()
    assert len(list((tmp_path / "out").glob("*.md"))) == 1
