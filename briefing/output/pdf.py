"""render_pdf(): the HTML handout -> PDF through headless Chromium's print-to-PDF.   [process]

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON messages
ending in NUL on file descriptors 3 and 4), so no port is opened and no package beyond the standard
library is needed. The page is loaded from a temp file exactly as a reader would open it, with every
host name mapped to a closed address and the background services that phone home turned off: the
PDF is made from the same self-contained HTML, offline. The paper size comes from the handout's
`@page` rule (A4 unless the template says otherwise).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from briefing.errors import ChromiumMissingError, OutputError

CHROMIUM_ENV = "BRIEFING_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = f"install Chromium (Debian/Ubuntu: apt-get install chromium) or set {CHROMIUM_ENV} to its path"

# Flags for a browser that must not reach the network by itself, and may run as root in a container.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def find_chromium(env: dict[str, str] | None = None) -> str | None:
    """The Chromium to use: $BRIEFING_CHROMIUM, else the first of CHROMIUM_NAMES on PATH."""
    env = dict(os.environ) if env is None else env
    chosen = env.get(CHROMIUM_ENV)
    if chosen:
        path = shutil.which(chosen) or (chosen if os.access(chosen, os.X_OK) else None)
        return path
    for name in CHROMIUM_NAMES:
        path = shutil.which(name, path=env.get("PATH"))
        if path:
            return path
    return None


def require_chromium(env: dict[str, str] | None = None) -> str:
    """Find Chromium or raise ChromiumMissingError saying what to install."""
    path = find_chromium(env)
    if path is None:
        env = dict(os.environ) if env is None else env
        if env.get(CHROMIUM_ENV):
            raise ChromiumMissingError(f"-f pdf: {CHROMIUM_ENV}={env[CHROMIUM_ENV]} is not an executable Chromium")
        raise ChromiumMissingError(f"-f pdf needs headless Chromium: {INSTALL_HINT}")
    return path


def render_pdf(html: str, *, executable: str | None = None, timeout: float = 60.0) -> bytes:
    """Print `html` to PDF with headless Chromium; the page's @page rule sets paper and margins."""
    executable = executable or require_chromium()
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as tmp:
        page = Path(tmp) / "handout.html"
        page.write_text(html, encoding="utf-8")
        with Chromium(executable, timeout=timeout) as browser:
            tab = browser.open(page.as_uri())
            result = browser.call(
                "Page.printToPDF",
                {
                    "preferCSSPageSize": True,
                    "printBackground": True,
                    "displayHeaderFooter": False,
                    "generateTaggedPDF": True,
                    "generateDocumentOutline": True,
                },
                session=tab,
            )
    return base64.b64decode(result["data"])


class Chromium:
    """A headless Chromium session over the DevTools pipe: call methods, collect events, close."""

    def __init__(self, executable: str, *, timeout: float = 30.0, extra_flags: tuple[str, ...] = ()) -> None:
        self.executable = executable
        self.timeout = timeout
        self.extra_flags = extra_flags
        self.events: list[dict] = []
        self._messages: queue.Queue = queue.Queue()
        self._next_id = 0
        self._proc: subprocess.Popen | None = None
        self._home: tempfile.TemporaryDirectory | None = None

    # lifecycle ---------------------------------------------------------------------------------
    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Launch the browser with a fresh profile and connect to it over the pipe."""
        self._home = tempfile.TemporaryDirectory(prefix="briefing-chromium-")
        # Our ends and the child's ends, all above fd 10, so the dup2 to 3 and 4 cannot clobber one.
        to_child = [_high_fd(fd) for fd in os.pipe()]
        from_child = [_high_fd(fd) for fd in os.pipe()]
        child_in, child_out = to_child[0], from_child[1]

        def _wire_pipe() -> None:  # in the child, before exec: fd 3 reads commands, fd 4 writes answers
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [
            self.executable,
            *CHROMIUM_FLAGS,
            *self.extra_flags,
            "--remote-debugging-pipe",
            f"--user-data-dir={self._home.name}/profile",
            "about:blank",
        ]
        self._log = open(Path(self._home.name) / "stderr.log", "wb")
        try:
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
                close_fds=False,
                preexec_fn=_wire_pipe,
                start_new_session=True,
            )
        except OSError as exc:
            self._cleanup()
            raise OutputError(f"cannot start Chromium ({self.executable}): {exc.strerror or exc}") from None
        finally:
            os.close(child_in)
            os.close(child_out)
        self._write = to_child[1]
        self._read = from_child[0]
        self._reader_thread = threading.Thread(target=self._reader, daemon=True)
        self._reader_thread.start()
        self.call("Browser.getVersion")

    def close(self) -> None:
        """Close the browser (politely, then by force) and remove its profile."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                self._send("Browser.close")
                proc.wait(timeout=5)
            except (OSError, OutputError, subprocess.TimeoutExpired):
                pass
        if proc is not None:
            try:  # the whole process group: renderer and zygote processes too
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.wait(timeout=5)
        self._proc = None
        self._cleanup()

    # protocol ----------------------------------------------------------------------------------
    def open(
        self,
        url: str,
        *,
        width: int = 1000,
        height: int = 1400,
        dark: bool = False,
        media: str = "",
        enable: tuple[str, ...] = (),
    ) -> str:
        """Open `url` in a new tab and wait for its load event; return the tab's session id."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        tab = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", *enable):
            self.call(f"{domain}.enable", session=tab)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=tab,
        )
        self.call(
            "Emulation.setEmulatedMedia",
            {
                "media": media,
                "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}],
            },
            session=tab,
        )
        self.call("Page.navigate", {"url": url}, session=tab)
        self.wait_for("Page.loadEventFired", session=tab)
        return tab

    def call(self, method: str, params: dict | None = None, *, session: str | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile go to .events."""
        sent = self._send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(deadline, f"waiting for {method}")
            if message.get("id") == sent:
                if "error" in message:
                    raise OutputError(f"Chromium refused {method}: {message['error'].get('message')}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, *, session: str | None = None) -> dict:
        """Wait for the next `event` (already collected ones count once) and return its params."""
        for i, message in enumerate(self.events):
            if message.get("method") == event and (session is None or message.get("sessionId") == session):
                del self.events[i]
                return message.get("params", {})
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(deadline, f"waiting for {event}")
            if message.get("method") == event and (session is None or message.get("sessionId") == session):
                return message.get("params", {})
            self.events.append(message)

    def evaluate(self, expression: str, *, session: str) -> object:
        """The value of a JavaScript expression in the page (DevTools may run it whatever the CSP)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            raise OutputError(f"script failed in the page: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._write, json.dumps(message).encode() + b"\0")
        except OSError:
            raise OutputError(f"Chromium stopped unexpectedly{self._last_words()}") from None
        return self._next_id

    def _receive(self, deadline: float, doing: str) -> dict:
        try:
            message = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise OutputError(f"Chromium did not answer within {self.timeout:g} s ({doing})") from None
        if message is None:
            raise OutputError(f"Chromium stopped unexpectedly{self._last_words()}")
        return message

    def _reader(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._read, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                os.close(self._read)
                self._messages.put(None)
                return
            buffer += chunk
            *complete, buffer = buffer.split(b"\0")
            for raw in complete:
                self._messages.put(json.loads(raw))

    def _last_words(self) -> str:
        try:
            lines = (Path(self._home.name) / "stderr.log").read_text(errors="replace").splitlines()  # type: ignore[union-attr]
        except (OSError, AttributeError):
            return ""
        useful = [ln for ln in lines if ln.strip() and "dbus" not in ln]
        return f": {useful[-1][:200]}" if useful else ""

    def _cleanup(self) -> None:
        if getattr(self, "_write", None) is not None:
            os.close(self._write)  # the reader closes its end when the browser's side is gone
            self._write = None  # type: ignore[assignment]
        if getattr(self, "_reader_thread", None) is not None:
            self._reader_thread.join(timeout=5)
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None  # type: ignore[assignment]
        if self._home is not None:
            self._home.cleanup()
            self._home = None


def _high_fd(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high
