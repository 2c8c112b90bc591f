"""What every command shares: logging, the one place BriefingError becomes a message and exit code, output."""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

ForceOpt = Annotated[bool, typer.Option("--force", help="Replace existing output files.")]


def parse_vars(pairs: list[str] | None) -> dict[str, str]:
    """KEY=VALUE strings -> dict; a malformed pair is a usage error."""
    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE with KEY a name", param_hint="--var")
        out[key.strip()] = value
    return out


def check_formats(formats: list[str], known: tuple[str, ...]) -> list[str]:
    """The formats asked for, without repeats; an unknown one is a usage error."""
    for fmt in formats:
        if fmt not in known:
            raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(known)}", param_hint="--format")
    return list(dict.fromkeys(formats))


def default_format(template: str | None, dirs: list[Path]) -> str:
    """md, unless the named template only exists as HTML (`--template compact` means HTML)."""
    if template and not any((Path(d) / f"{template}.md.j2").is_file() for d in dirs):
        if any((Path(d) / f"{template}.html.j2").is_file() for d in dirs):
            return "html"
    return "md"


def output_folder(settings) -> str | None:
    """The configured output folder (output_dir in config.toml) as a folder destination, or None."""
    if not settings.output_dir:
        return None
    return str(Path(str(settings.output_dir)).expanduser()) + "/"


def setup_logging(verbose: int) -> None:
    """Log to stderr, with API keys and URL credentials redacted from every line at every level."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)  # a second run in the same process (tests) gets today's stderr
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_redact_record)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2", "openai"):
        logging.getLogger(noisy).setLevel(logging.NOTSET if verbose >= 2 else max(level, logging.WARNING))


class _StderrHandler(logging.StreamHandler):
    """The CLI's own log handler (told apart from handlers others install)."""


def _redact_record(record: logging.LogRecord) -> bool:
    from briefing.redact import redact_text
    from briefing.text.controls import one_line

    message = record.getMessage()
    clean = one_line(redact_text(message))  # one record, one line: model text cannot forge another
    if clean != message:
        record.msg, record.args = clean, None
    return True


def say(text: str) -> None:
    """One line on stderr: titles, sources and errors carry article and model text, so control
    and bidi-override characters go and line breaks become spaces (text/controls.py)."""
    from briefing.text.controls import one_line

    typer.echo(one_line(text), err=True)


@contextlib.contextmanager
def cli_errors():
    """Turn a BriefingError into `error: message` on stderr and its exit code; nothing else is caught."""
    from briefing.errors import BriefingError

    try:
        yield
    except BriefingError as exc:
        from briefing.redact import redact_text

        say(f"error: {redact_text(str(exc))}")
        raise typer.Exit(exc.exit_code) from None


OUTPUT_FORMATS = ("md", "html", "json", "pdf", "docx")
PDF_HELP = (
    "pdf is the HTML handout printed by headless Chromium (install it: apt-get install chromium; "
    "or set BRIEFING_CHROMIUM to its path); paper A4, or --var paper=letter. docx is a Word document "
    "(headings, tables, citations linked to the sources), built without any converter."
)


def render_output(result, fmt: str, settings, dirs: list[Path], variables: dict | None = None) -> str | bytes:
    """Render one result as `fmt`; pdf is the HTML template printed by Chromium.

    `variables` (--var at render time) add to those saved with the result; the settings give the
    classification marking.
    """
    from briefing.digest_records import Digest
    from briefing.output.render import render_briefing, render_digest

    render = render_digest if isinstance(result, Digest) else render_briefing
    if fmt == "docx":
        from briefing.output.docx import render_docx

        return render_docx(result, dirs=dirs, variables=variables, classification=settings.classification)
    kwargs = dict(template=settings.template, dirs=dirs, variables=variables, classification=settings.classification)
    if fmt == "pdf":
        from briefing.output.pdf import render_pdf

        return render_pdf(render(result, "html", **kwargs))
    return render(result, fmt, **kwargs)


def is_file(path: Path) -> bool:
    """True for an existing file; False too for a folder we may not enter (the write then says so)."""
    try:
        return path.is_file()
    except OSError:
        return False


def emit_output(data: str | bytes, dest: Path | None, *, force: bool) -> None:
    """Write rendered output to `dest` atomically, or to stdout (a PDF or .docx never to a terminal)."""
    from briefing.errors import OutputError
    from briefing.output.files import write_output

    if dest is not None:
        write_output(data, dest, force=force)
        say(f"wrote {dest}")
    elif isinstance(data, bytes):
        if sys.stdout.isatty():
            raise OutputError("a PDF or .docx is binary: give -o FILE (or -o DIR/), or redirect stdout to a file")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def keep_unrendered(result, settings, name: str) -> Path:
    """Save a paid-for result (a briefing or a digest) that could not be written where asked in
    BRIEFING_HOME/unrendered, to render later with `briefing render`; return its path."""
    from briefing.output.files import safe_filename, write_output

    return write_output(
        result.model_dump_json(indent=2) + "\n", settings.home / "unrendered" / safe_filename(name, "json"), force=True
    )
