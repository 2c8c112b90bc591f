"""The layout shows the pipeline: imports flow one way, no cycles, small modules that say what they touch."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefing"
# About 350 lines a module; the largest today (records.py, verify.py) are just under this.
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every briefing module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefing"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("briefing")}
    return {m for m in found if m in modules}


MODULES = _modules()
GRAPH = {name: _imports(path, MODULES) - {name} for name, path in MODULES.items()}


def test_no_import_cycles():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if nxt == "briefing" or nxt.startswith("briefing.cli") and node.startswith("briefing.cli"):
                continue  # the package itself (__version__) and the CLI registering its commands
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


def test_no_stage_imports_the_cli():
    for name, deps in GRAPH.items():
        if not name.startswith(("briefing.cli", "briefing.__main__")):
            assert not [d for d in deps if d.startswith("briefing.cli")], name


@pytest.mark.parametrize("stage", ["briefing.text", "briefing.output", "briefing.ingest", "briefing.deliver"])
def test_pure_stages_do_not_import_the_llm(stage):
    for name, deps in GRAPH.items():
        if name.startswith(stage):
            assert not [d for d in deps if d.startswith("briefing.llm")], name


def test_stages_do_not_import_the_orchestrators():
    orchestrators = ("briefing.run", "briefing.digest.build", "briefing.brief", "briefing.session")
    stages = (
        "briefing.text",
        "briefing.output",
        "briefing.ingest",
        "briefing.llm",
        "briefing.records",
        "briefing.errors",
        "briefing.verify",
        "briefing.schema",
        "briefing.prompts",
        "briefing.deliver",
    )
    for name, deps in GRAPH.items():
        if name.startswith(stages):
            assert not [d for d in deps if d.startswith(orchestrators)], name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_is_small_and_says_what_it_is(name):
    path = MODULES[name]
    lines = path.read_text().splitlines()
    assert len(lines) <= MAX_LINES, f"{path}: {len(lines)} lines"
    if path.name == "__init__.py" and not lines:
        return
    docstring = ast.get_docstring(ast.parse(path.read_text()))
    assert docstring and docstring.strip(), f"{path}: no module docstring"
