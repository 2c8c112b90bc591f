"""How `prompts` and `templates` list, show and init print: shared by both command groups."""

from __future__ import annotations

from pathlib import Path

import typer


def echo_entries(entries, dirs: list[Path], origins: list[str], *, in_use: str | dict[str, str], kind: str) -> None:
    """Print the search path, then each name with its files, origins and shadowed copies."""
    from briefing.library import describe, extends

    typer.echo("Search path (first match wins):")
    for i, (folder, origin) in enumerate(zip(dirs, origins), 1):
        typer.echo(f"  {i}. {origin:<16} {folder}{'' if Path(folder).is_dir() else '  (absent)'}")
    typer.echo("")
    if not entries:
        typer.echo(f"no {kind}s found")
        return
    names = list(dict.fromkeys(e.name for e in entries))
    for name in names:
        group = [e for e in entries if e.name == name]
        used_for = _used_for(name, group, in_use)
        description = next((d for e in group for c in e.copies if (d := describe(c.path))), "")
        typer.echo(f"{name}{used_for}  {description}".rstrip())
        for entry in group:
            for i, copy in enumerate(entry.copies):
                label = entry.variant if i == 0 else ""
                note = extends(copy.path)
                note = f"  extends {note}" if note and i == 0 else ""
                if i > 0:
                    note = f"  (shadowed by {entry.used.origin})"
                typer.echo(f"  {label:<8} {copy.origin:<16} {copy.path}{note}")


def _used_for(name: str, group, in_use: str | dict[str, str]) -> str:
    if isinstance(in_use, str):
        return "  [in use]" if name == in_use else ""
    formats = [e.variant for e in group if in_use.get(e.variant) == name]
    return f"  [default for {', '.join(formats)}]" if formats else ""


def echo_source(env, file: str, dirs: list[Path], origins: list[str]) -> None:
    """Print one template file with where it comes from and the blocks it can override."""
    from briefing.library import blocks, extends
    from briefing.output.templating import find_template, load_template

    source = find_template(dirs, file, origins)
    assert source is not None  # the caller checked
    parent = extends(source.path)
    typer.echo(f"===== {file}: {source.origin}, {source.path} =====")
    if parent:
        typer.echo(f"(extends {parent})")
    typer.echo(source.path.read_text(encoding="utf-8").rstrip("\n"))
    typer.echo(f"===== end of {file} =====")
    load_template(env, file)  # a broken file says so here, with its line
    found = blocks(env, file)
    if found:
        typer.echo(
            f'Blocks a template that {{% extends "{file}" %}} can override: ' + ", ".join(name for name, _ in found)
        )
    typer.echo("")


def echo_init(done: list[tuple[Path, str]], next_step: str) -> None:
    """Report what init copied and kept, and what to do next."""
    for path, status in done:
        if status == "kept":
            typer.echo(f"kept     {path} (exists; --force replaces it)")
        else:
            typer.echo(f"{status:<8} {path}")
    if any(status != "kept" for _, status in done):
        typer.echo(f"Edit them, then: {next_step}")
