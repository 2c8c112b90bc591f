"""Writing a digest: every format that can be written is, the digest is never lost, and large digests fit."""

from __future__ import annotations

import json

from briefing.digest_records import Digest
from briefing.output.render import render_digest
from tests.articles import write_articles


def _digest(cli, llm, tmp_path, *args):
    write_articles(tmp_path / "in", 2)
    return cli("digest", tmp_path / "in", "--date", "2026-03-04", "--base-url", llm.url, *args)


def test_a_failing_format_does_not_stop_the_others_and_the_digest_is_kept(cli, llm, tmp_path, isolated_env):
    # Issue 14, item 9: when the HTML digest failed, the md and json of the same run were not written.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "digest.html.j2").write_text("{{ digest.title }}{{ 1 // 0 }}")
    (templates / "digest.md.j2").write_text("# {{ digest.title }}\n")
    out = tmp_path / "out"
    result = _digest(
        cli,
        llm,
        tmp_path,
        "-f",
        "html",
        "-f",
        "md",
        "-f",
        "json",
        "-o",
        f"{out}/",
        "--templates-dir",
        templates,
        "--no-cache",
    )
    assert result.exit_code == 3, result.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".md"]
    assert "error: -f html not written" in result.stderr and "ZeroDivisionError" in result.stderr
    kept = list((isolated_env / "unrendered").glob("*.json"))
    assert len(kept) == 1 and Digest.model_validate_json(kept[0].read_text()).stories


def test_a_digest_whose_name_is_taken_at_write_time_is_kept(cli, llm, tmp_path, isolated_env, monkeypatch):
    # Issue 14, item 14: the name was checked at the start; a file made there during the run (another
    # cron job) made the write fail and, with --no-cache, the paid-for digest was lost.
    from briefing.llm import structured

    dest = tmp_path / "brief.md"
    real = structured.request_object

    def meanwhile(*args, **kwargs):  # the cover request: the run is nearly done
        dest.write_text("another job's brief")
        return real(*args, **kwargs)

    monkeypatch.setattr("briefing.digest.build.request_object", meanwhile)
    result = _digest(cli, llm, tmp_path, "-o", dest, "--no-cache")
    assert result.exit_code == 1 and f"{dest} exists; use --force" in result.stderr
    assert dest.read_text() == "another job's brief"
    kept = list((isolated_env / "unrendered").glob("*.json"))
    assert len(kept) == 1 and f"briefing render {kept[0]}" in result.stderr


def test_a_digest_of_400_stories_renders_as_html(cli, llm, tmp_path):
    # Issue 14, item 9: the output guard overcounted ~2.5x and failed the HTML digest at ~400 stories.
    out = tmp_path / "day.json"
    assert _digest(cli, llm, tmp_path, "-f", "json", "-o", out).exit_code == 0
    data = json.loads(out.read_text())
    stories = []
    for n in range(1, 401):
        story = json.loads(json.dumps(data["stories"][n % 2]))
        story["number"], story["id"] = n, f"{story['id']}-{n}"
        stories.append(story)
    data["stories"] = stories
    data["cover"]["groups"] = [{"name": "All", "stories": list(range(1, 401))}]
    html = render_digest(Digest.model_validate(data), "html")
    assert html.count('id="story-') >= 400 and len(html.encode()) < 32_000_000
