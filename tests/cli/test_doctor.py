"""`briefing doctor`: the effective settings, where each came from, and the files a run would use."""

from __future__ import annotations

import re

CONFIG = """
[defaults]
language = "French"

[profiles.minister]
model = "minister-model"
template = "compact"
audience = "the minister"
"""


def rows(text: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in text.split("\n\n")[0].splitlines():  # the settings table comes first
        match = re.match(r"^(\S+)\s+(.*?)\s{2,}\((.+)\)$", line)
        if match:
            found[match.group(1)] = (match.group(2), match.group(3))
    return found


def test_doctor_shows_each_setting_and_its_source(cli, llm, isolated_env, monkeypatch):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text(CONFIG)
    monkeypatch.setenv("OPENAI_BASE_URL", llm.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-doctor-SECRET")
    result = cli("doctor", "--profile", "minister", "--length", "short", "--var", "desk=Asia")
    assert result.exit_code == 0, result.stderr
    table = rows(result.stdout)
    assert table["model"] == ("minister-model", "config [profiles.minister]")
    assert table["template"] == ("compact", "config [profiles.minister]")
    assert table["audience"] == ("the minister", "config [profiles.minister]")
    assert table["language"] == ("French", "config [defaults]")
    assert table["length"] == ("short", "flag")
    assert table["base_url"] == (llm.url, "env OPENAI_BASE_URL")
    assert table["prompt"] == ("policy", "default")
    assert table["profile"] == ("minister", "flag")
    assert table["api_key"] == ("set (hidden)", "env OPENAI_API_KEY")
    assert table["var.desk"] == ("Asia", "flag")
    assert "sk-doctor-SECRET" not in result.stdout

    out = result.stdout
    assert f"config    {isolated_env / 'config.toml'} (profiles: minister)" in out
    assert "endpoint  reachable" in out
    assert re.search(r"prompt    policy\.system\.j2: .*policy\.system\.j2 \(built-in\)", out)
    assert re.search(r"output    -f html: .*compact\.html\.j2 \(built-in\)", out)
    assert "-f md: no compact.md.j2" in out


def test_doctor_without_config_says_so_and_bad_config_is_one_line(cli, isolated_env):
    result = cli("doctor", "--no-check")
    assert result.exit_code == 0 and "(absent: defaults, environment and flags only)" in result.stdout
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text("[defaults]\ntemplte = 'compact'\n")
    bad = cli("doctor", "--no-check")
    assert bad.exit_code == 1
    assert bad.stderr.count("\n") == 1 and "did you mean 'template'?" in bad.stderr


def test_doctor_lists_named_briefs_and_the_mail_server_but_never_the_password(cli, isolated_env, monkeypatch):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text(
        '[smtp]\nhost = "smtp.example.org"\nuser = "me"\npassword_env = "DOCTOR_SMTP_PW"\n\n'
        '[briefs.morning]\ninputs = ["a"]\n\n[briefs.evening]\ninputs = ["b"]\n'
    )
    monkeypatch.setenv("DOCTOR_SMTP_PW", "doctor-SENTINEL-pw")
    result = cli("doctor", "--no-check")
    assert result.exit_code == 0, result.stderr
    assert "briefs    evening, morning (briefing run NAME)" in result.stdout
    assert "smtp      smtp.example.org:587 starttls, user me, password from env DOCTOR_SMTP_PW (set)" in result.stdout
    assert "doctor-SENTINEL-pw" not in result.stdout + result.stderr
