"""generate with --language, --dry-run, --var, profiles and output_dir, against the loopback server."""

from __future__ import annotations

import json

from tests.llm_server import Reply, instance

PROFILE = """
[defaults]
audience = "the policy unit"

[profiles.minister]
model = "minister-model"
template = "compact"
audience = "the minister"
prompt = "executive"
"""


def answer_with_kim_yo_jong(request):
    """A schema instance whose actor is Kim Yo-jong, whom the article quotes."""
    schema = request.body["response_format"]["json_schema"]["schema"]
    data = instance(schema, schema["$defs"])
    kim = next(a for a in schema["$defs"]["Actor"]["anyOf"] if a["properties"]["name"]["enum"] == ["Kim Yo-jong"])
    data["key_actors"] = [instance(kim, schema["$defs"])]
    return Reply(content=json.dumps(data))


def test_language_french_prompt_schema_output_and_verbatim_quote(cli, llm, seed, tmp_path):
    llm.respond = answer_with_kim_yo_jong
    out = tmp_path / "out"
    result = cli(
        "generate", seed, "--language", "French", "-f", "md", "-f", "json", "-o", f"{out}/", "--base-url", llm.url
    )
    assert result.exit_code == 0, result.stderr
    body = llm.chat_requests[0].body
    system = body["messages"][0]["content"]
    assert "Write the whole briefing in French" in system and "translation" in system
    actors = body["response_format"]["json_schema"]["schema"]["$defs"]["Actor"]["anyOf"]
    kim = next(a for a in actors if a["properties"]["name"]["enum"] == ["Kim Yo-jong"])
    assert "translation" in kim["properties"]["quotes"]["items"]["required"]

    saved = json.loads(next(out.glob("*.json")).read_text())
    quotes = [q for a in saved["briefing"]["key_actors"] for q in a["quotes"]]
    assert quotes and all(q["verified"] for q in quotes)  # the original text still verifies
    assert all(q["translation"] for q in quotes)  # with the translation beside it
    assert saved["grounding"]["sections"]["quotes"]["unverified"] == 0
    assert saved["prompt"]["variables"]["language"] == "French"

    md = next(out.glob("*.md")).read_text()
    assert "## Évaluations clés" in md and "traduction:" in md
    assert quotes[0]["text"] in md.replace("\\", "")


def test_dry_run_prints_messages_and_estimate_and_calls_nothing(cli, llm, seed, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET-4242")
    base = llm.url.replace("http://", "http://user:pa55word@") + "?token=QUERYSECRET"
    result = cli(
        "generate", seed, "--dry-run", "--base-url", base, "--audience", "the minister", "--language", "German"
    )
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("===== dry run: prompt 'policy' for gpt-4o-mini at http://127.0.0.1:")
    assert "----- system -----" in out and "----- user -----" in out
    assert "policy briefing for the minister." in out and "Write the whole briefing in German" in out
    assert "[S34]" in out
    assert "prompt tokens (+ ~" in out and "no request made" in out
    assert "quotes translated into German" in out
    for secret in ("sk-test-SECRET-4242", "pa55word", "QUERYSECRET"):
        assert secret not in out and secret not in result.stderr
    assert llm.requests == []


def test_own_variables_reach_prompt_and_output(cli, llm, seed, tmp_path):
    prompts, templates = tmp_path / "p", tmp_path / "t"
    prompts.mkdir(), templates.mkdir()
    (prompts / "policy.user.j2").write_text(
        '{% extends "builtin/policy.user.j2" %}{% block header %}For {{ desk }}.\n{% endblock %}'
    )
    (templates / "desk.md.j2").write_text("Prepared by {{ desk }} for {{ audience }}: {{ b.title }}\n")
    result = cli(
        "generate",
        seed,
        "--var",
        "desk=Asia desk",
        "--prompts-dir",
        prompts,
        "--templates-dir",
        templates,
        "--template",
        "desk",
        "--base-url",
        llm.url,
    )
    assert result.exit_code == 0, result.stderr
    assert llm.chat_requests[0].body["messages"][1]["content"].startswith("For Asia desk.")
    assert result.stdout.startswith("Prepared by Asia desk for senior policy makers: ")


def test_own_variable_may_not_hide_a_builtin_one(cli, llm, seed):
    result = cli("generate", seed, "--var", "b=oops", "--base-url", llm.url)
    assert result.exit_code == 1 and "variable 'b'" in result.stderr
    assert llm.requests == []
    assert cli("generate", seed, "--var", "no-equals", "--base-url", llm.url).exit_code == 2


def test_profile_changes_model_template_and_audience(cli, llm, seed, isolated_env):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text(PROFILE)
    result = cli("generate", seed, "--profile", "minister", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    body = llm.chat_requests[0].body
    assert body["model"] == "minister-model"
    assert "one-minute briefing for the minister" in body["messages"][0]["content"]
    assert result.stdout.startswith("<!DOCTYPE html>") and "grid-template-columns" in result.stdout  # compact.html

    plain = cli("generate", seed, "--base-url", llm.url)
    assert plain.exit_code == 0
    assert "for the policy unit." in llm.chat_requests[1].body["messages"][0]["content"]
    assert plain.stdout.startswith("# ")


def test_output_dir_from_config(cli, llm, seed, isolated_env, tmp_path):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text(f'[defaults]\noutput_dir = "{tmp_path / "briefings"}"\n')
    result = cli("generate", seed, "-f", "md", "-f", "html", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.suffix for p in (tmp_path / "briefings").iterdir()) == [".html", ".md"]
    assert result.stdout == ""


def test_several_articles_one_failing_writes_the_others_and_exits_3(cli, llm, seed, tmp_path):
    """generate is the run loop of a digest: a failed article is listed, the others are written (exit 3)."""
    other = tmp_path / "other.txt"
    other.write_text(
        "Port strike spreads\n\nDockers in Rotterdam walked out on Monday, said Jan de Vries.\n"
        "The union said the strike would last a week.\n"
    )

    def fail_the_seed(request):
        text = json.dumps(request.body)
        return Reply(status=400, body={"error": {"message": "bad article"}}) if "Kim Yo-jong" in text else None

    llm.respond = fail_the_seed
    out = tmp_path / "out"
    result = cli("generate", seed, other, "-f", "json", "-o", f"{out}/", "--base-url", llm.url, "--max-retries", "0")
    assert result.exit_code == 3, result.stderr
    assert f"failed: {seed}" in result.stderr and "1 of 2 briefing(s) written" in result.stderr
    written = [json.loads(p.read_text()) for p in out.glob("*.json")]
    assert [w["article"]["source"] for w in written] == [str(other)]


def test_every_article_failing_exits_1(cli, llm, seed, tmp_path):
    llm.respond = lambda request: Reply(status=400, body={"error": {"message": "bad article"}})
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed.read_bytes().replace(b"Seoul", b"Busan"))
    result = cli("generate", seed, copy, "-o", f"{tmp_path}/out/", "--base-url", llm.url, "--max-retries", "0")
    assert result.exit_code == 1, result.stderr
    assert "0 of 2 briefing(s) written" in result.stderr


LONG_QUOTE = " ".join(["We will keep talking to every partner in the region about the terms of the agreement."] * 6)


def test_a_quotation_longer_than_a_quote_holds_is_quoted_in_part(cli, llm, tmp_path):
    # Issue 14, item 4: a quotation over 400 characters crashed generate with a pydantic traceback
    # (the sample briefing quoted it whole), even with --dry-run.
    article = tmp_path / "long-quote.txt"
    article.write_text(
        "Talks resume in Geneva\n\nThe talks resumed on Monday in Geneva after a long pause. "
        f'"{LONG_QUOTE}" said Foreign Minister Ana Duarte on Monday. Officials in Geneva expect a long '
        "week of meetings. Ana Duarte will meet her counterpart on Tuesday.\n"
    )
    dry = cli("generate", article, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    llm.respond = lambda request: Reply(content=json.dumps(_quoting_actor(request, "Ana Duarte")))
    result = cli("generate", article, "-f", "json", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    quote = json.loads(result.stdout)["briefing"]["key_actors"][0]["quotes"][0]
    assert 100 < len(quote["text"]) <= 400 and LONG_QUOTE.startswith(quote["text"]) and quote["verified"]


def _quoting_actor(request, name: str) -> dict:
    schema = request.body["response_format"]["json_schema"]["schema"]
    data = instance(schema, schema["$defs"])
    actor = next(a for a in schema["$defs"]["Actor"]["anyOf"] if a["properties"]["name"]["enum"] == [name])
    data["key_actors"] = [instance(actor, schema["$defs"])]
    return data
