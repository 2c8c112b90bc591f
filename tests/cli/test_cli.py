"""The CLI end to end against a loopback OpenAI-compatible server: formats, render, errors, counts."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_briefing


def test_generate_markdown_makes_one_request(cli, llm, seed):
    result = cli("generate", seed, "-f", "md", "--base-url", llm.url, "--model", "test-model")
    assert result.exit_code == 0, result.stderr
    assert len(llm.chat_requests) == 1
    md = result.stdout
    for heading in ("## Summary", "## Key judgments", "## Key actors", "## Risks", "## Outlook", "## Sources"):
        assert heading in md
    assert "Grounding:" in md
    body = llm.chat_requests[0].body
    assert body["model"] == "test-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True


def test_generate_html_is_escaped_page(cli, llm, seed):
    result = cli("generate", seed, "-f", "html", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in html
    assert len(llm.chat_requests) == 1


def test_json_holds_everything_and_render_reproduces_markdown(cli, llm, seed, tmp_path):
    out = tmp_path / "saved.json"
    assert cli("generate", seed, "-f", "json", "-o", out, "--base-url", llm.url).exit_code == 0
    saved = json.loads(out.read_text())
    assert saved["kind"] == "briefing"
    assert {"briefing", "article", "grounding", "model", "prompt", "usage", "timings"} <= saved.keys()
    assert saved["model"]["name"] == "gpt-4o-mini"
    assert saved["model"]["endpoint"] == llm.url
    assert saved["usage"]["requests"] == 1
    assert saved["usage"]["prompt_tokens"] == 100
    assert {"load", "prompt", "request", "verify"} <= saved["timings"].keys()
    assert len(saved["article"]["sentences"]) == 34

    before = len(llm.requests)
    rendered = cli("render", out, "-f", "md")
    assert rendered.exit_code == 0, rendered.stderr
    assert len(llm.requests) == before  # no request at all
    direct = cli("generate", seed, "-f", "md", "--base-url", llm.url).stdout
    # Same template, same briefing: only the creation date could differ, and it is the same day.
    assert rendered.stdout.split("## Summary")[1] == direct.split("## Summary")[1]


def test_several_formats_into_a_folder(cli, llm, seed, tmp_path):
    result = cli(
        "generate", seed, "-f", "md", "-f", "html", "-f", "json", "-o", f"{tmp_path}/out/", "--base-url", llm.url
    )
    assert result.exit_code == 0, result.stderr
    names = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert names == [".html", ".json", ".md"]
    assert len(llm.chat_requests) == 1


def test_existing_output_kept_without_force(cli, llm, seed, tmp_path):
    out = tmp_path / "b.md"
    out.write_text("precious")
    result = cli("generate", seed, "-o", out, "--base-url", llm.url)
    assert result.exit_code == 1
    assert "exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "precious"
    assert cli("generate", seed, "-o", out, "--base-url", llm.url, "--force").exit_code == 0
    assert out.read_text().startswith("# ")


def test_stdin_article(cli, llm, seed):
    result = cli("generate", "-", "--base-url", llm.url, input=seed.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert len(llm.chat_requests) == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\t\n", "whitespace"),
        (b"\x00\x01\x02binary\x00data" * 20, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
    ],
)
def test_unusable_input_fails_before_any_request(cli, llm, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = cli("generate", path, "--base-url", llm.url)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert llm.requests == []


def test_missing_file(cli, llm):
    result = cli("generate", "no/such/file.txt", "--base-url", llm.url)
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_unknown_format_is_usage_error(cli, llm, seed):
    result = cli("generate", seed, "-f", "pdfx", "--base-url", llm.url)
    assert result.exit_code == 2
    assert llm.requests == []


def test_model_without_key_or_base_url_asks_for_key(cli, seed):
    result = cli("generate", seed, "--model", "gpt-4o")
    assert result.exit_code == 1
    assert "OPENAI_API_KEY" in result.stderr


def test_unreachable_endpoint(cli, seed):
    result = cli("generate", seed, "--base-url", "http://127.0.0.1:9/v1", "--max-retries", "0")
    assert result.exit_code == 1
    assert "cannot reach" in result.stderr


def test_unknown_model_is_clear(cli, llm, seed):
    from tests.llm_server import Reply

    llm.queue.append(
        Reply(status=404, body={"error": {"message": "model 'nope' not found", "code": "model_not_found"}})
    )
    result = cli("generate", seed, "--base-url", llm.url, "--model", "nope")
    assert result.exit_code == 1
    assert "nope" in result.stderr and "404" in result.stderr
    assert len(llm.chat_requests) == 1


def test_version_and_help():
    version = run_briefing("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("briefing ")
    helped = run_briefing("--help")
    assert helped.returncode == 0 and b"generate" in helped.stdout and b"Exit codes" in helped.stdout


def test_subprocess_run_as_a_user(llm, seed, tmp_path):
    """The installed command, in a fresh process, against the loopback server."""
    proc = run_briefing("generate", seed, "-f", "md", "-o", tmp_path / "x.md", env={"OPENAI_BASE_URL": llm.url})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x.md").read_text().startswith("# ")
    assert b"Traceback" not in proc.stderr


def test_a_rerun_is_served_from_the_cache_and_no_cache_asks_again(cli, llm, seed):
    assert cli("generate", seed, "--base-url", llm.url).exit_code == 0
    again = cli("generate", seed, "--base-url", llm.url)
    assert again.exit_code == 0 and "from the cache" in again.stderr
    assert len(llm.chat_requests) == 1 and len(llm.requests) == 1  # the endpoint was not even contacted
    assert cli("generate", seed, "--base-url", llm.url, "--no-cache").exit_code == 0
    assert cli("generate", seed, "--base-url", llm.url, "--audience", "the minister").exit_code == 0
    assert len(llm.chat_requests) == 3
