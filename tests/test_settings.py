"""Settings: flags beat environment beat config profile beat config defaults; config mistakes are errors."""

from __future__ import annotations

import pytest

from briefing.errors import ConfigError
from briefing.settings import load_settings

CONFIG = """
[defaults]
audience = "senior policy makers at the ministry"
language = "English"
prompts_dirs = ["house/prompts"]

[defaults.vars]
desk = "Asia desk"
signature = "Policy Unit"

[profiles.minister]
model = "big-model"
base_url = "http://127.0.0.1:1/v1"
prompt = "executive"
template = "compact"
audience = "the minister"
language = "French"
output_dir = "~/briefings"

[profiles.minister.vars]
desk = "Minister's office"
"""


@pytest.fixture
def config(isolated_env):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text(CONFIG)
    return isolated_env


def test_defaults_without_config(isolated_env):
    settings = load_settings({})
    assert settings.prompt == "policy" and settings.sources["prompt"] == "default"
    assert settings.audience == "senior policy makers"


def test_profile_overrides_defaults_and_says_so(config):
    settings = load_settings({}, profile="minister")
    assert (settings.model, settings.template, settings.audience) == ("big-model", "compact", "the minister")
    assert settings.sources["model"] == "config [profiles.minister]"
    assert settings.sources["language"] == "config [profiles.minister]"
    assert settings.variables == {"desk": "Minister's office", "signature": "Policy Unit"}
    assert settings.sources["var.desk"] == "config [profiles.minister]"
    assert settings.sources["var.signature"] == "config [defaults]"
    assert settings.sources["profile"] == "flag"


def test_environment_beats_config_and_flags_beat_everything(config):
    env = {"BRIEFING_HOME": str(config), "BRIEFING_MODEL": "env-model", "BRIEFING_PROFILE": "minister"}
    settings = load_settings({"audience": "flag audience"}, env=env)
    assert settings.profile == "minister" and settings.sources["profile"] == "env BRIEFING_PROFILE"
    assert settings.model == "env-model" and settings.sources["model"] == "env BRIEFING_MODEL"
    assert settings.audience == "flag audience" and settings.sources["audience"] == "flag"
    assert settings.template == "compact"


def test_flag_variables_beat_config_variables(config):
    settings = load_settings({}, profile="minister", variables={"desk": "flag desk"})
    assert settings.variables["desk"] == "flag desk"


def test_config_folders_are_relative_to_the_user_folder(config, tmp_path):
    settings = load_settings({}, prompts_dirs=[tmp_path])
    dirs, origins = settings.prompt_search_path()
    assert dirs == [tmp_path, config / "house/prompts", config / "prompts", dirs[-1]]
    assert origins == ["--prompts-dir", "config", "user folder", "built-in"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("[defaults]\nmodle = 'x'\n", "unknown setting 'modle' in [defaults] (did you mean 'model'?)"),
        (
            "[profiles.minister]\naudiance = 'x'\n",
            "unknown setting 'audiance' in [profiles.minister] (did you mean 'audience'?)",
        ),
        ("[default]\nmodel = 'x'\n", "unknown setting 'default' in top level (did you mean 'defaults'?)"),
        ("[defaults]\nvars = 'x'\n", "vars in [defaults] must be a table"),
        ("[defaults]\nprompts_dirs = 'x'\n", "prompts_dirs in [defaults] must be a list"),
        ("[defaults]\nmax_retries = 'many'\n", "max_retries from config [defaults] must be a whole number"),
        ("[defaults]\nlength = 'huge'\n", "length must be one of short, standard, long"),
        ("[defaults\n", "not valid TOML"),
    ],
)
def test_config_mistakes_are_errors(isolated_env, text, message):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings({})
    assert message in str(caught.value)


def test_unknown_profile_lists_the_known_ones(config):
    with pytest.raises(ConfigError, match=r"unknown profile 'ministre'.*known: minister"):
        load_settings({}, profile="ministre")


def test_describe_never_shows_the_key_or_url_secrets(config):
    env = {
        "BRIEFING_HOME": str(config),
        "OPENAI_API_KEY": "sk-secret-123",
        "OPENAI_BASE_URL": "https://user:pw@example.org/v1?key=zzz",
    }
    text = repr(load_settings({}, env=env).describe())
    assert "sk-secret-123" not in text and "pw@" not in text and "zzz" not in text
    assert "set (hidden)" in text


@pytest.mark.parametrize(
    "flags, env, message",
    [
        ({"max_retries": -1}, {}, "--max-retries must be 0 or more, not -1"),
        ({"timeout": 0.0}, {}, "--timeout must be more than 0 seconds, not 0.0"),
        ({}, {"BRIEFING_MAX_TOKENS": "0"}, "max_tokens from env BRIEFING_MAX_TOKENS must be at least 1, not 0"),
        ({}, {"BRIEFING_CONCURRENCY": "-4"}, "concurrency from env BRIEFING_CONCURRENCY must be at least 1"),
        ({"base_url": "localhost:8080"}, {}, "--base-url is not an http(s) URL: 'localhost:8080'"),
        ({"base_url": "ftp://example.org/v1"}, {}, "--base-url is not an http(s) URL: 'ftp://example.org/v1'"),
        ({"base_url": "http://user:pw@[::1"}, {}, "--base-url is not an http(s) URL: '<invalid URL>'"),
        ({}, {"OPENAI_BASE_URL": "http://host:port/v1"}, "base_url from env OPENAI_BASE_URL is not an http(s) URL"),
    ],
)
def test_values_no_request_can_be_made_with_are_errors(isolated_env, flags, env, message):
    with pytest.raises(ConfigError) as caught:
        load_settings(flags, env={"BRIEFING_HOME": str(isolated_env), **env})
    assert message in str(caught.value) and "pw" not in str(caught.value)


def test_a_bad_number_in_the_config_names_the_table(isolated_env):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text("[defaults]\ntemperature = 7\n")
    with pytest.raises(ConfigError, match=r"temperature from config \[defaults\] must be between 0 and 2, not 7"):
        load_settings({})
