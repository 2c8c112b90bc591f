"""What prompts and output templates exist, where each comes from, and copying the built-ins out. [disk]

`briefing prompts list|show|init` and `briefing templates list|show|init` are thin views of this.
A prompt is two files, NAME.system.j2 and NAME.user.j2; an output template is NAME.FORMAT.j2. Each
file is looked up on its own along the search path, so a user folder may replace just one part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from briefing.errors import TemplateError
from briefing.output.files import write_output
from briefing.output.templating import TemplateSource, list_templates

# Shipped with the templates but not a template: the labels of each language (see render.load_labels).
DATA_FILES = ("labels.toml",)


@dataclass(frozen=True)
class Entry:
    """One template file name and every copy of it on the search path, the one in use first."""

    name: str  # policy, compact
    variant: str  # system or user for prompts; md or html for output templates
    copies: tuple[TemplateSource, ...]

    @property
    def file(self) -> str:
        return self.copies[0].name

    @property
    def used(self) -> TemplateSource:
        return self.copies[0]


def find_entries(dirs: list[Path], origins: list[str]) -> list[Entry]:
    """Every template file name on the search path, sorted by name, with all its copies."""
    by_file: dict[str, list[TemplateSource]] = {}
    for source in list_templates(dirs, origins):
        by_file.setdefault(source.name, []).append(source)
    entries = []
    for file, copies in by_file.items():
        stem = file.removesuffix(".j2")
        name, _, variant = stem.partition(".")
        entries.append(Entry(name, variant, tuple(copies)))
    return sorted(entries, key=lambda e: (e.name, e.variant))


def describe(path: Path) -> str:
    """The first sentence of the comment a template file opens with, or ''."""
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return ""
    match = re.match(r"\s*\{#-?\s*(.*?)\s*-?#\}", head, re.S)
    if not match:
        return ""
    text = " ".join(match.group(1).split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence


def blocks(env: jinja2.Environment, name: str) -> list[tuple[str, str]]:
    """(block, file) for every block a template and the templates it extends define, nearest first."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    current: str | None = name
    while current and current not in seen:
        seen.add(current)
        try:
            source, filename, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
            tree = env.parse(source)
        except jinja2.TemplateError:
            break
        for block in tree.find_all(nodes.Block):
            if block.name not in {b for b, _ in found}:
                found.append((block.name, current))
        extends = tree.find(nodes.Extends)
        current = extends.template.value if extends and isinstance(extends.template, nodes.Const) else None
    return found


def extends(path: Path) -> str | None:
    """The template a file extends, if it says so plainly."""
    try:
        match = re.search(r"\{%-?\s*extends\s+[\"']([^\"']+)[\"']", path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return match.group(1) if match else None


def copy_builtins(
    builtin: Path, dest: Path, names: list[str] | None, *, kind: str, force: bool = False
) -> list[tuple[Path, str]]:
    """Copy the built-in files (all, or those of `names`) into `dest`; returns (path, 'wrote'|'kept'|'replaced')."""
    files = sorted(p for p in builtin.iterdir() if p.is_file() and (p.suffix == ".j2" or p.name in DATA_FILES))
    if names:
        known = sorted({p.name.split(".")[0] for p in files if p.suffix == ".j2"})
        unknown = [n for n in names if n not in known]
        if unknown:
            raise TemplateError(f"no built-in {kind} named {', '.join(unknown)}", hint=f"there are: {', '.join(known)}")
        files = [p for p in files if p.name.split(".")[0] in names]
    done = []
    for src in files:
        target = dest / src.name
        existed = target.exists()
        if existed and not force:
            done.append((target, "kept"))
            continue
        write_output(src.read_text(encoding="utf-8"), target, force=True)
        done.append((target, "replaced" if existed else "wrote"))
    return done
