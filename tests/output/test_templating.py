"""Template errors name the file and line and give a hint; builtin/NAME; the search path and shadowing."""

from __future__ import annotations

import pytest

from briefing.errors import TemplateError
from briefing.output.templating import find_template, list_templates, load_template, make_environment, render_template
from briefing.settings import builtin_dir


def render(folder, name: str, context: dict | None = None, *, builtin=None) -> str:
    env = make_environment([folder], autoescape=False, builtin=builtin)
    return render_template(env, name, context or {})


@pytest.mark.parametrize(
    "source, line, expected, hint",
    [
        ("one\ntwo {{ titel }}\n", 2, "'titel' is undefined", "did you mean title?"),
        ("{{ b.tittle }}", 1, "Briefing has no field 'tittle'", "did you mean title?"),
        ("a\nb\n{% for x in b.risks %}{{ x.likelihod }}{% endfor %}", 3, "Risk has no field 'likelihod'", "likelihood"),
        ("{{ vars.desk }}", 1, "no attribute 'desk'", "templates show t"),
        ("ok\n{% if x %}\nunclosed", 3, "Unexpected end of template", "closed"),
        ("{{ b.title | uper }}", 1, "No filter named 'uper'", "did you mean upper?"),
        ("{{ b.title is strnig }}", 1, "No test named 'strnig'", "did you mean string?"),
        ("{{ 1 / 0 }}", 1, "ZeroDivisionError", None),
        ("{% include 'missing.md.j2' %}", 1, "template missing.md.j2 not found", "templates list"),
    ],
)
def test_errors_name_file_line_and_hint(tmp_path, source, line, expected, hint):
    from briefing.output.sample import sample_result

    (tmp_path / "t.md.j2").write_text(source)
    result = sample_result()
    context = {"b": result.briefing, "title": "x", "vars": {}}
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, "t.md.j2", context)
    error = caught.value
    assert f"{tmp_path / 't.md.j2'}, line {line}" in error.message
    assert expected in error.message
    if hint:
        assert hint in error.hint
    assert "\n" not in str(error)


def test_missing_template_lists_the_folders(tmp_path):
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, "nope.md.j2")
    assert "nope.md.j2 not found" in str(caught.value) and str(tmp_path) in str(caught.value)


def test_syntax_error_found_before_rendering(tmp_path):
    (tmp_path / "t.md.j2").write_text("{% for x in y %}")
    env = make_environment([tmp_path], autoescape=False)
    with pytest.raises(TemplateError, match=r"t\.md\.j2, line 1"):
        load_template(env, "t.md.j2")


def test_user_template_extends_the_builtin_it_replaces(tmp_path):
    (tmp_path / "policy.user.j2").write_text(
        '{% extends "builtin/policy.user.j2" %}{% block header %}MARKER header\n{% endblock %}'
    )
    context = {
        "fence_open": "<<<",
        "fence_close": ">>>",
        "headline": "H",
        "outlet": "",
        "published": "",
        "numbered_sentences": "[S1] x",
        "people": [],
        "bodies": [],
    }
    text = render(tmp_path, "policy.user.j2", context, builtin=builtin_dir("prompts"))
    assert text.startswith("MARKER header")
    assert "[S1] x" in text and "Write the briefing" not in text


def test_extending_its_own_name_explains_builtin(tmp_path):
    (tmp_path / "policy.user.j2").write_text('{% extends "policy.user.j2" %}')
    with pytest.raises(TemplateError) as caught:
        render(tmp_path, "policy.user.j2", builtin=builtin_dir("prompts"))
    assert "builtin/policy.user.j2" in str(caught.value)


def test_first_match_wins_and_shadowed_copies_are_listed(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "x.md.j2").write_text("first")
    (second / "x.md.j2").write_text("second")
    (second / "y.md.j2").write_text("only")
    dirs, origins = [first, second], ["--templates-dir", "user folder"]
    assert find_template(dirs, "x.md.j2", origins).origin == "--templates-dir"
    assert render(first, "x.md.j2") == "first"
    listed = [
        (s.name, s.origin, s.shadowed_by.origin if s.shadowed_by else None) for s in list_templates(dirs, origins)
    ]
    assert listed == [
        ("x.md.j2", "--templates-dir", None),
        ("x.md.j2", "user folder", "--templates-dir"),
        ("y.md.j2", "user folder", None),
    ]


def test_html_is_autoescaped_whatever_the_name(tmp_path):
    (tmp_path / "t.txt").write_text("{{ x }}")
    env = make_environment([tmp_path], autoescape=True)
    assert render_template(env, "t.txt", {"x": "<script>"}) == "&lt;script&gt;"


def test_a_kept_environment_follows_edits_and_new_overrides(tmp_path):
    """Environments are kept per search path; their cache must never serve a stale or shadowed file."""
    import os
    import time

    user, builtin = tmp_path / "user", tmp_path / "builtin"
    user.mkdir()
    builtin.mkdir()
    (builtin / "x.j2").write_text("built-in")
    env = make_environment([user, builtin], autoescape=False)
    assert render_template(env, "x.j2", {}) == "built-in"

    (user / "x.j2").write_text("user copy")  # an earlier folder gains the name
    assert render_template(env, "x.j2", {}) == "user copy"

    (user / "x.j2").write_text("user copy, edited")
    later = time.time() + 5
    os.utime(user / "x.j2", (later, later))
    assert render_template(env, "x.j2", {}) == "user copy, edited"

    (user / "x.j2").unlink()  # and loses it again
    assert render_template(env, "x.j2", {}) == "built-in"
