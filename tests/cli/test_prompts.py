"""`briefing prompts list|show|init`, and edited or extended prompts reaching the request."""

from __future__ import annotations

import json

from tests.conftest import run_briefing


def system_prompt(llm) -> str:
    return llm.chat_requests[-1].body["messages"][0]["content"]


def test_init_edit_generate_marker_reaches_the_request(cli, llm, seed, tmp_path):
    folder = tmp_path / "my-prompts"
    result = cli("prompts", "init", folder)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "cover.system.j2",
        "cover.user.j2",
        "executive.system.j2",
        "executive.user.j2",
        "merge.system.j2",
        "merge.user.j2",
        "policy.system.j2",
        "policy.user.j2",
        "risk.system.j2",
        "risk.user.j2",
    ]
    system = folder / "policy.system.j2"
    system.write_text(system.read_text().replace("Rules:\n", "Rules:\n- MARKER-7f3a: write for the Asia desk.\n"))

    result = cli("generate", seed, "--prompts-dir", folder, "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    assert "MARKER-7f3a: write for the Asia desk." in system_prompt(llm)


def test_init_keeps_edits_unless_force(cli, tmp_path):
    folder = tmp_path / "p"
    cli("prompts", "init", folder)
    (folder / "policy.user.j2").write_text("mine")
    again = cli("prompts", "init", folder)
    assert again.exit_code == 0
    assert "kept" in again.stdout and (folder / "policy.user.j2").read_text() == "mine"
    forced = cli("prompts", "init", folder, "policy", "--force")
    assert forced.exit_code == 0 and "replaced" in forced.stdout
    assert (folder / "policy.user.j2").read_text() != "mine"


def test_init_only_named_prompts_and_unknown_names_fail(cli, tmp_path):
    assert cli("prompts", "init", tmp_path / "a", "risk").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["risk.system.j2", "risk.user.j2"]
    bad = cli("prompts", "init", tmp_path / "b", "riks")
    assert bad.exit_code == 1 and "no built-in prompt named riks" in bad.stderr and "risk" in bad.stderr


def test_user_folder_prompt_extends_builtin_and_overrides_one_block(cli, llm, seed, isolated_env):
    folder = isolated_env / "prompts"
    folder.mkdir(parents=True)
    (folder / "policy.system.j2").write_text(
        '{% extends "builtin/policy.system.j2" %}\n'
        "{% block role %}\nYou brief the Asia desk of {{ audience }}.\n{% endblock %}\n"
    )
    before = {p: p.read_bytes() for p in folder.iterdir()}
    result = cli("generate", seed, "--base-url", llm.url, "--audience", "the ministry")
    assert result.exit_code == 0, result.stderr
    prompt = system_prompt(llm)
    assert prompt.startswith("You brief the Asia desk of the ministry.")
    assert "Rules:" in prompt and "Answer with one JSON object" in prompt  # the other blocks: built-in
    assert "intelligence analyst" not in prompt
    assert {p: p.read_bytes() for p in folder.iterdir()} == before  # the user folder is only read


def test_list_shows_origins_and_shadowing(cli, tmp_path, isolated_env):
    (isolated_env / "prompts").mkdir(parents=True)
    (isolated_env / "prompts" / "policy.system.j2").write_text('{% extends "builtin/policy.system.j2" %}')
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "desk.system.j2").write_text("{#- The desk brief. -#}\nsystem")
    (extra / "desk.user.j2").write_text("user")
    result = cli("prompts", "list", "--prompts-dir", extra)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "desk  The desk brief." in out
    assert "--prompts-dir" in out and "user folder" in out and "built-in" in out
    assert "policy  [in use]" in out
    assert "extends builtin/policy.system.j2" in out
    assert "(shadowed by user folder)" in out
    for style in ("executive", "risk"):
        assert f"\n{style}  " in out


def test_show_prints_source_blocks_and_variables(cli):
    result = cli("prompts", "show", "executive")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert '{% extends "policy.system.j2" %}' in out
    assert "can override: role, focus, length, rules, example, language, fields" in out
    for variable in ("audience", "language", "length", "translate_quotes", "numbered_sentences", "vars"):
        assert f"\n  {variable} " in out
    missing = cli("prompts", "show", "nope")
    assert missing.exit_code == 1 and "no system part" in missing.stderr


def test_broken_prompt_fails_before_any_request(cli, llm, seed, tmp_path):
    (tmp_path / "policy.system.j2").write_text("You write for {{ audiance }}.")
    result = cli("generate", seed, "--prompts-dir", tmp_path, "--base-url", llm.url)
    assert result.exit_code == 1
    assert f"{tmp_path / 'policy.system.j2'}, line 1: 'audiance' is undefined" in result.stderr
    assert "did you mean audience?" in result.stderr
    assert llm.requests == []


def test_as_a_user_in_a_subprocess(llm, seed, tmp_path):
    folder = tmp_path / "prompts"
    assert run_briefing("prompts", "init", folder).returncode == 0
    user = folder / "risk.user.j2"
    user.write_text(user.read_text().replace("Write the risk briefing", "SUBPROCESS-MARKER Write the risk briefing"))
    proc = run_briefing(
        "generate",
        seed,
        "--prompt",
        "risk",
        "--prompts-dir",
        folder,
        "-f",
        "json",
        "-o",
        tmp_path / "out.json",
        env={"OPENAI_BASE_URL": llm.url},
    )
    assert proc.returncode == 0, proc.stderr
    assert "SUBPROCESS-MARKER" in llm.chat_requests[0].body["messages"][1]["content"]
    saved = json.loads((tmp_path / "out.json").read_text())
    assert saved["prompt"]["name"] == "risk"
    assert any("--prompts-dir" in f for f in saved["prompt"]["files"])


def test_a_link_out_of_a_prompts_folder_is_refused_before_any_request(cli, llm, seed, tmp_path):
    # Issue 14, item 8: a link in a prompts folder to a system file, then {% include %} of it, sent that
    # file's contents to the endpoint.
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("TOP-SECRET-CONTENTS")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "notes.j2").symlink_to(secret)
    (pack / "inner.j2").write_text("kept inside")
    (pack / "alias.j2").symlink_to(pack / "inner.j2")  # a link that stays inside is fine
    (pack / "policy.system.j2").write_text(
        '{% extends "builtin/policy.system.j2" %}{% block focus %}'
        '{% include "alias.j2" %}{% include "notes.j2" %}{% endblock %}'
    )
    result = cli("generate", seed, "--prompts-dir", pack, "--base-url", llm.url)
    assert result.exit_code == 1 and not llm.requests
    assert "notes.j2 is a link to" in result.stderr and "outside" in result.stderr and "refused" in result.stderr
    assert "TOP-SECRET" not in result.stdout + result.stderr
    shown = cli("prompts", "show", "policy", "--prompts-dir", pack)
    assert "TOP-SECRET" not in shown.stdout + shown.stderr
    (pack / "policy.system.j2").write_text(
        '{% extends "builtin/policy.system.j2" %}{% block focus %}{% include "alias.j2" %}{% endblock %}'
    )
    ok = cli("generate", seed, "--prompts-dir", pack, "--base-url", llm.url)
    assert ok.exit_code == 0, ok.stderr
    assert "kept inside" in llm.chat_requests[0].body["messages"][0]["content"]


def test_a_linked_output_template_or_labels_file_is_refused(cli, llm, seed, tmp_path):
    secret = tmp_path / "secret.toml"
    secret.write_text('[en]\ntitle = "TOP-SECRET"\n')
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "labels.toml").symlink_to(secret)
    result = cli("generate", seed, "--templates-dir", folder, "--base-url", llm.url)
    assert result.exit_code == 1 and "labels.toml is a link to" in result.stderr and not llm.requests
    (folder / "labels.toml").unlink()
    (folder / "mine.md.j2").symlink_to(secret)
    result = cli("generate", seed, "--templates-dir", folder, "--template", "mine", "--base-url", llm.url)
    assert result.exit_code == 1 and "mine.md.j2 is a link to" in result.stderr and not llm.requests
    assert "TOP-SECRET" not in result.stdout + result.stderr
