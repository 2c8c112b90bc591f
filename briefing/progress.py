"""What a run tells the person or the log watching it: rich display on a terminal, lines otherwise. [stderr]

The digest reports events (inputs found, fetched or failed; stories briefed, cached or failed) to a
Progress object from several threads at once. On a terminal, rich draws two live bars on stderr;
elsewhere (cron, CI, a pipe) each event is one plain, timestamp-free line on stderr.
rich is imported only when a terminal is there to draw on.
"""

from __future__ import annotations

import sys
import threading

from briefing.text.controls import one_line


class Progress:
    """Receives a digest's events; this base class ignores them (tests, --dry-run)."""

    def __call__(self, text: str) -> None:
        """A status message, e.g. while the embedded model loads."""

    def add_inputs(self, n: int) -> None:
        """`n` more inputs to load (a feed adds its entries)."""

    def input_done(self, source: str, error: str | None = None) -> None:
        """One input loaded, or failed with `error` (the CLI lists the reasons again at the end)."""

    def add_stories(self, n: int) -> None:
        """`n` stories to brief."""

    def story_done(self, title: str, *, cached: bool = False, error: str | None = None) -> None:
        """One story briefed (or found in the cache), or failed with `error`."""

    def close(self) -> None:
        """Stop drawing; later output must not mix with the display."""


class LogProgress(Progress):
    """One plain line per event on a stream (stderr when not a terminal)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self._lock = threading.Lock()
        self._inputs = self._inputs_done = self._stories = self._stories_done = 0

    def __call__(self, text: str) -> None:
        self._line(text)

    def add_inputs(self, n: int) -> None:
        with self._lock:
            self._inputs += n

    def input_done(self, source: str, error: str | None = None) -> None:
        with self._lock:
            self._inputs_done += 1
            count = f"{self._inputs_done}/{self._inputs}"
        # Only the source here: the reasons are listed once, together, when the digest ends.
        self._line(f"input {count} failed: {source}" if error else f"input {count} loaded: {source}")

    def add_stories(self, n: int) -> None:
        with self._lock:
            self._stories += n

    def story_done(self, title: str, *, cached: bool = False, error: str | None = None) -> None:
        with self._lock:
            self._stories_done += 1
            count = f"{self._stories_done}/{self._stories}"
        if error:
            self._line(f"story {count} failed: {title}")
        else:
            self._line(f"story {count} {'from cache' if cached else 'briefed'}: {title}")

    def _line(self, text: str) -> None:
        with self._lock:
            self.stream.write(f"briefing: {one_line(text)}\n")  # titles and errors carry untrusted text
            self.stream.flush()


class RichProgress(Progress):
    """Two live bars (inputs, briefings) and a failure count, drawn by rich on a terminal."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bars

        self.console = console or Console(stderr=True)
        self.bars = Bars(
            SpinnerColumn(),
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._inputs = self.bars.add_task("Inputs fetched", total=0, note="")
        self._stories = self.bars.add_task("Briefings done", total=None, note="", visible=False)
        self._lock = threading.Lock()
        self._failed: dict = {}
        self._cached = 0
        self.bars.start()

    def __call__(self, text: str) -> None:
        self.bars.update(self._stories, visible=True, note=one_line(text)[:60])

    def add_inputs(self, n: int) -> None:
        self.bars.update(self._inputs, total=(self.bars.tasks[self._inputs].total or 0) + n)

    def input_done(self, source: str, error: str | None = None) -> None:
        if error:
            self._fail(source, self._inputs, "Inputs")
        self.bars.advance(self._inputs)

    def add_stories(self, n: int) -> None:
        self.bars.update(self._stories, total=n, visible=True, note="")

    def story_done(self, title: str, *, cached: bool = False, error: str | None = None) -> None:
        if error:
            self._fail(title, self._stories, "Briefings")
        with self._lock:
            self._cached += cached
            note = f"{self._cached} from cache" if self._cached else ""
        self.bars.update(self._stories, advance=1, note=note)

    def close(self) -> None:
        if self.bars.live.is_started:
            self.bars.stop()

    def _fail(self, what: str, task, label: str) -> None:
        from rich.text import Text

        with self._lock:
            self._failed[task] = self._failed.get(task, 0) + 1
            failed = self._failed[task]
        # Text, not markup: a file name may contain [brackets] that rich would swallow.
        self.bars.console.print(Text.assemble(("failed: ", "red"), one_line(what)), highlight=False, soft_wrap=True)
        self.bars.update(task, description=f"{label} ({failed} failed)")


def make_progress(stream=None) -> Progress:
    """A rich display when `stream` (stderr) is a terminal, plain lines when it is not."""
    stream = stream or sys.stderr
    if hasattr(stream, "isatty") and stream.isatty():
        return RichProgress()
    return LogProgress(stream)
