"""Output templates: every built-in carries the grounding line and citations, escapes model text, and
speaks the briefing's language; --var values reach them."""

from __future__ import annotations

import re

import pytest

from briefing.output.render import render_briefing
from briefing.output.sample import sample_result
from briefing.output.variables import TEMPLATE_VARIABLES
from briefing.settings import builtin_dir

BUILTINS = [("briefing", "md"), ("handout", "html"), ("compact", "html"), ("email", "html")]


def hostile_result(**variables):
    result = sample_result(variables=variables)
    result.briefing.title = 'Title <script>alert(1)</script> & "quotes"'
    result.briefing.bluf = "<img src=x onerror=alert(1)>"
    return result


@pytest.mark.parametrize("name, fmt", BUILTINS)
def test_builtins_carry_grounding_and_citations(name, fmt):
    text = render_briefing(sample_result(), fmt, template=name)
    assert "5 of 8 items verified against the source" in text
    assert "S1" in text and "S3" in text  # citation markers
    assert "We will not negotiate under pressure" in text  # the verbatim quote
    assert "(translation)" in text  # and its translation beside it


@pytest.mark.parametrize("name", ["handout", "compact", "email"])
def test_html_templates_escape_model_text_and_load_nothing(name):
    html = render_briefing(hostile_result(), "html", template=name)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace('href="https://example.org/news/talks"', ""))
    assert "<link" not in html and "@import" not in html


def test_email_uses_inline_styles_and_tables_only():
    html = render_briefing(sample_result(), "html", template="email")
    assert "class=" not in html and "<style" not in html and "<script" not in html
    assert html.count("<table") >= 5 and 'role="presentation"' in html


def test_compact_is_one_self_contained_page():
    html = render_briefing(sample_result(), "html", template="compact")
    assert "Content-Security-Policy" in html and "@page" in html


def test_markdown_escapes_model_text():
    md = render_briefing(hostile_result(), "md")
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_markdown_keeps_each_gap_on_its_own_line_and_each_heading_after_a_blank_line():
    result = sample_result()
    result.briefing.gaps = ["It is not known whether talks resume.", "Who leads the delegation is not reported."]
    md = render_briefing(result, "md")
    assert "- It is not known whether talks resume.\n- Who leads the delegation is not reported.\n" in md
    for heading in re.findall(r"^## .+$", md, flags=re.MULTILINE):
        assert f"\n\n{heading}\n" in md  # a blank line before every section heading


@pytest.mark.parametrize("name, fmt", [b for b in BUILTINS if b[0] != "handout"])  # handout: redesigned separately
def test_french_labels(name, fmt):
    text = render_briefing(sample_result(variables={"language": "French"}), fmt, template=name)
    assert "Évaluations clés" in text and "probable" in text and "vérifiés dans la source" in text
    assert "Key judgments" not in text


def test_html_lang_follows_the_language():
    html = render_briefing(sample_result(variables={"language": "German"}), "html", template="compact")
    assert '<html lang="de">' in html
    html = render_briefing(sample_result(variables={"language": "Klingon"}), "html", template="compact")
    assert '<html lang="und">' in html  # BCP 47 "undetermined"


def test_own_labels_file_is_merged_over_the_builtin_one(tmp_path):
    (tmp_path / "labels.toml").write_text('[en]\nbluf = "The bottom line"\n[xx]\nsummary = "Xummary"\n')
    md = render_briefing(sample_result(), "md", dirs=[tmp_path, builtin_dir("templates")])
    assert "**The bottom line:**" in md and "## Summary" in md


def test_variables_reach_output_templates(tmp_path):
    (tmp_path / "mine.md.j2").write_text("{{ desk }}|{{ vars.desk }}|{{ audience }}|{{ lang }}|{{ b.title }}")
    result = sample_result(variables={"desk": "saved desk", "audience": "the minister", "language": "fr"})
    dirs = [tmp_path, builtin_dir("templates")]
    assert render_briefing(result, "md", template="mine", dirs=dirs).startswith(
        "saved desk|saved desk|the minister|fr|"
    )
    again = render_briefing(result, "md", template="mine", dirs=dirs, variables={"desk": "new desk"})
    assert again.startswith("new desk|new desk|")


def test_user_template_extends_a_builtin_and_overrides_one_block(tmp_path):
    (tmp_path / "briefing.md.j2").write_text(
        '{% extends "builtin/briefing.md.j2" %}{% block bluf %}> **BLUF for {{ audience }}:** {{ b.bluf | md }}\n\n{% endblock %}'
    )
    md = render_briefing(
        sample_result(variables={"audience": "the minister"}), "md", dirs=[tmp_path, builtin_dir("templates")]
    )
    assert "**BLUF for the minister:**" in md and "## Key judgments" in md


def test_every_variable_a_builtin_template_uses_is_documented():
    from jinja2 import meta, nodes

    from briefing.output.environment import make_output_environment

    documented = {k.split("(")[0] for k in TEMPLATE_VARIABLES}
    for name, fmt in BUILTINS:
        env = make_output_environment(fmt, [builtin_dir("templates")])
        tree = env.parse((builtin_dir("templates") / f"{name}.{fmt}.j2").read_text())
        macros = {m.name for m in tree.find_all(nodes.Macro)}
        imports = {i.target for i in tree.find_all(nodes.Import)}
        assigned = {t.name for a in tree.find_all(nodes.Assign) for t in a.find_all(nodes.Name)}
        assert meta.find_undeclared_variables(tree) - macros - imports - assigned <= documented, name


def test_the_digest_email_is_mail_safe_and_carries_the_marking():
    from briefing.output.render import render_digest
    from tests.sample_digest import TITLE

    digest = _one_story_digest()
    html = render_digest(digest, "html", template="digest-email", classification="Official")
    assert "class=" not in html and "<style" not in html and "<script" not in html and "src=" not in html
    assert html.count("Official") == 2 and digest.cover.bluf in html and TITLE in html
    hostile = render_digest(_one_story_digest(title="<script>alert(1)</script>"), "html", template="digest-email")
    assert "<script>alert(1)</script>" not in hostile and "&lt;script&gt;" in hostile


def _one_story_digest(title: str | None = None):
    from briefing.digest_records import Cover, CoverRisk, Digest, Source, Story, StoryGroup, TopLine, WatchItem
    from tests.sample_digest import TITLE

    result = sample_result()
    cover = Cover(
        headline="One line",
        bluf="The bottom line of the day.",
        top_lines=[TopLine(line="A top line", stories=[1])],
        top_risks=[CoverRisk(title="Risk", description="Why", likelihood="likely", impact="high", stories=[1])],
        watch=[WatchItem(item="Watch this", stories=[1])],
        groups=[StoryGroup(name="Asia", stories=[1])],
    )
    story = Story(number=1, id="x", sources=[Source(source="a.txt", title="A")], result=result)
    return Digest(
        title=title or TITLE, date="2026-03-04", cover=cover, stories=[story], model=result.model, prompt=result.prompt
    )


def test_flagged_cover_texts_are_marked_in_every_digest_format():
    from briefing.output.render import render_digest
    from briefing.records import Issue

    digest = _one_story_digest()
    digest.cover_issues = [
        Issue(path="headline", status="flagged", message="stops mid-phrase ('One line')", check="cut"),
        Issue(path="top_risks/0/title", status="flagged", message="ends mid-sentence ('Risk')", check="cut"),
    ]
    for fmt, template in (("md", None), ("html", None), ("html", "digest-email")):
        out = render_digest(digest, fmt, template=template)
        assert "flagged: stops mid-phrase" in out, (fmt, template)
        assert "flagged: ends mid-sentence" in out, (fmt, template)
