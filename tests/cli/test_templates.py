"""`briefing templates list|show|init`; edited templates reach the output; broken or hostile ones
fail with file and line, exit 1, and leave nothing written."""

from __future__ import annotations

import pytest


def test_init_edit_generate_marker_reaches_the_output(cli, llm, seed, tmp_path):
    folder = tmp_path / "my-templates"
    result = cli("templates", "init", folder)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "briefing.md.j2",
        "compact.html.j2",
        "digest-email.html.j2",
        "digest.html.j2",
        "digest.md.j2",
        "email.html.j2",
        "handout.html.j2",
        "labels.toml",
        "timeline.html.j2",
        "timeline.md.j2",
    ]
    md = folder / "briefing.md.j2"
    md.write_text(
        md.read_text().replace(
            "{% block summary %}\n", "{% block summary %}\nMARKER-c41d prepared for the Asia desk.\n\n"
        )
    )

    out = tmp_path / "out.md"
    result = cli("generate", seed, "--templates-dir", folder, "-o", out, "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert "MARKER-c41d prepared for the Asia desk." in text
    assert "## Key judgments" in text


def test_edited_html_template_and_render_again(cli, llm, seed, tmp_path):
    folder = tmp_path / "t"
    cli("templates", "init", folder, "email")
    html = folder / "email.html.j2"
    html.write_text(html.read_text().replace("<body ", "<!-- EMAIL-MARKER --><body "))
    saved = tmp_path / "saved.json"
    assert cli("generate", seed, "-f", "json", "-o", saved, "--base-url", llm.url).exit_code == 0
    result = cli("render", saved, "--template", "email", "--templates-dir", folder)  # HTML implied
    assert result.exit_code == 0, result.stderr
    assert "<!-- EMAIL-MARKER -->" in result.stdout and result.stdout.startswith("<!DOCTYPE html>")


BROKEN = {
    "typo'd variable": (
        "# {{ b.title }}\n\n{{ b.sumary }}\n",
        3,
        "Briefing has no field 'sumary'",
        "did you mean summary?",
    ),
    "unknown variable": ("# {{ b.title }}\n{{ desk_name }}\n", 2, "'desk_name' is undefined", "templates show broken"),
    "syntax error": (
        "# {{ b.title }}\n{% for r in b.risks %}\n{{ r.title }}\n",
        3,
        "Unexpected end of template",
        "closed",
    ),
    "unknown filter": ("# {{ b.title | uppercase }}\n", 1, "No filter named 'uppercase'", "upper"),
}


@pytest.mark.parametrize("source, line, message, hint", BROKEN.values(), ids=BROKEN.keys())
def test_broken_template_exit_1_file_and_line_nothing_written(cli, llm, seed, tmp_path, source, line, message, hint):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "broken.md.j2").write_text(source)
    out = tmp_path / "out"
    result = cli(
        "generate",
        seed,
        "--templates-dir",
        folder,
        "--template",
        "broken",
        "-o",
        f"{out}/",
        "-f",
        "md",
        "-f",
        "json",
        "--base-url",
        llm.url,
    )
    assert result.exit_code == 1
    assert f"error: {folder / 'broken.md.j2'}, line {line}: {message}" in result.stderr
    assert hint in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()  # nothing written, not even the JSON
    assert llm.requests == []  # and found before paying for a request


HOSTILE = {
    "python internals": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "gigabytes": "{{ 'x' * 1024 * 1024 * 1024 * 4 }}",
    "gigabytes in a loop": "{% for i in range(100000) %}{{ 'y' * 100000 }}{% endfor %}",
    "endless loop": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_template_exit_1_clear_error_no_traceback(cli, llm, seed, tmp_path, monkeypatch, source):
    from briefing.output import sandbox

    monkeypatch.setattr(sandbox, "MAX_STEPS", 100_000)  # the same stop, sooner
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "evil.html.j2").write_text(source)
    out = tmp_path / "evil.html"
    result = cli("generate", seed, "--templates-dir", folder, "--template", "evil", "-o", out, "--base-url", llm.url)
    assert result.exit_code == 1
    # Stopped by the sandbox's budgets or, first, by the output guard (32 MB counted in real bytes).
    assert result.stderr.startswith(
        (
            f"error: {folder / 'evil.html.j2'}, line 1: stopped by the sandbox: ",
            "error: template evil.html.j2 produced more",
        )
    )
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists() and llm.requests == []


def test_failure_after_the_request_keeps_the_briefing_for_render(cli, llm, seed, tmp_path, isolated_env):
    folder = tmp_path / "t"
    folder.mkdir()
    # Fine on the sample briefing generate tries first, broken on the model's answer.
    (folder / "fragile.md.j2").write_text(
        "{{ b.title }}\n{% if not b.title.startswith('Sample') %}{{ nope }}{% endif %}\n"
    )
    out = tmp_path / "out.md"
    result = cli("generate", seed, "--templates-dir", folder, "--template", "fragile", "-o", out, "--base-url", llm.url)
    assert result.exit_code == 1, result.stdout
    assert "fragile.md.j2, line 2" in result.stderr
    assert not out.exists()
    kept = list((isolated_env / "unrendered").glob("*.json"))
    assert len(kept) == 1 and f"briefing render {kept[0]}" in result.stderr
    assert len(llm.chat_requests) == 1


def test_list_shows_formats_defaults_and_shadowing(cli, tmp_path, isolated_env):
    (isolated_env / "templates").mkdir(parents=True)
    (isolated_env / "templates" / "compact.html.j2").write_text('{% extends "builtin/compact.html.j2" %}')
    result = cli("templates", "list")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "briefing  [default for md]" in out and "handout  [default for html]" in out
    assert "compact  Compact one-page HTML" in out and "email  Email-friendly HTML" in out
    assert "(shadowed by user folder)" in out and "extends builtin/compact.html.j2" in out


def test_show_prints_source_and_the_variables_in_one_place(cli):
    result = cli("templates", "show", "email")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "===== email.html.j2: built-in" in out and 'role="presentation"' in out
    from briefing.output.variables import TEMPLATE_VARIABLES

    for name in TEMPLATE_VARIABLES:
        assert f"\n  {name} " in out
    assert "term" in out and "autoescaped" in out
    assert cli("templates", "show", "nope").exit_code == 1


def test_template_name_implies_html(cli, llm, seed):
    result = cli("generate", seed, "--template", "compact", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in result.stdout
