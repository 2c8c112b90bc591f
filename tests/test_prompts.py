"""Prompt styles, the variables prompts receive, and a user prompt that extends a built-in one."""

from __future__ import annotations

import pytest

from briefing.ask import prompt_variables, quote_translation
from briefing.errors import ConfigError, TemplateError
from briefing.ingest.files import load_article
from briefing.output.variables import PROMPT_VARIABLES, check_variable_names
from briefing.prompts import PromptSet, build_messages
from briefing.settings import load_settings


def messages_for(seed, *, flags=None, prompts_dirs=None, variables=None):
    settings = load_settings(flags or {}, prompts_dirs=prompts_dirs, variables=variables)
    article = load_article(str(seed))
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    system, user = build_messages(
        article, prompt, variables=prompt_variables(settings), translate_to=quote_translation(article, settings)
    )
    return system["content"], user["content"]


@pytest.mark.parametrize(
    "style, system_says, user_says",
    [
        ("policy", "writing a policy briefing for", "Write the briefing of this article."),
        ("executive", "one-minute briefing", "Write the executive briefing of this article."),
        ("risk", "Focus on risk", "Write the risk briefing of this article."),
    ],
)
def test_builtin_styles_share_the_rules(seed, style, system_says, user_says):
    system, user = messages_for(seed, flags={"prompt": style})
    assert system_says in system and user.startswith(user_says)
    for shared in ("Rules:", "Cite evidence", "Answer with one JSON object", "- key_judgments:"):
        assert shared in system  # the blocks they do not override come from policy
    assert "[S34]" in user


def test_audience_length_and_own_variables_reach_the_prompt(seed, tmp_path):
    (tmp_path / "policy.system.j2").write_text(
        '{% extends "builtin/policy.system.j2" %}{% block focus %}\n\nHouse rule for {{ desk }} ({{ vars.desk }}).\n{% endblock %}'
    )
    system, _ = messages_for(
        seed,
        flags={"audience": "the trading desk", "length": "short"},
        prompts_dirs=[tmp_path],
        variables={"desk": "Asia desk"},
    )
    assert "for the trading desk." in system
    assert "Be brief" in system
    assert "House rule for Asia desk (Asia desk)." in system
    assert "Rules:" in system  # everything else is the built-in prompt


def test_language_french_asks_for_french_and_translated_quotes(seed):
    system, _ = messages_for(seed, flags={"language": "French"})
    assert "Write the whole briefing in French" in system
    assert "proper names" in system
    assert "`text` is copied word for word in the article's own language" in system
    assert "translation: The quote translated into French" in system


def test_english_article_in_english_needs_no_translation(seed):
    system, _ = messages_for(seed)
    assert "Write the whole briefing in English" in system
    assert "translation" not in system


def test_a_prompt_missing_a_part_is_an_error(tmp_path, seed):
    (tmp_path / "mine.system.j2").write_text("system only")
    settings = load_settings({"prompt": "mine"}, prompts_dirs=[tmp_path])
    prompt = PromptSet("mine", *settings.prompt_search_path())
    with pytest.raises(TemplateError, match="no user part"):
        prompt.check()


@pytest.mark.parametrize("name", ["b", "article", "audience", "field_guide", "sentence", "labels"])
def test_own_variables_may_not_hide_builtin_ones(name):
    with pytest.raises(ConfigError, match=name):
        check_variable_names({name: "x"})


def test_every_prompt_variable_is_documented(seed):
    from briefing.prompts import PARTS

    settings = load_settings({})
    prompt = PromptSet("policy", *settings.prompt_search_path())
    env = prompt.environment()
    from jinja2 import meta

    used = set()
    for part in PARTS:
        source = (prompt.builtin / f"policy.{part}.j2").read_text()
        used |= meta.find_undeclared_variables(env.parse(source))
    assert used <= set(PROMPT_VARIABLES)


def test_a_rewrite_loses_the_label_the_request_gave_it():
    from briefing.revise import _unecho

    path = "key_actors/2/stance"
    assert _unecho("key_actors/2/stance: wants a deal by June", path) == "wants a deal by June"
    assert _unecho("t3: The talks failed.", path) == "The talks failed."
    assert _unecho("key_actors_2_stance: wants a deal", path) == "wants a deal"
    assert _unecho("stance: wants a deal", path) == "wants a deal"
    assert _unecho("The talks failed: both sides walked out.", path) == "The talks failed: both sides walked out."
    assert _unecho("tensions, not talks", path) == "tensions, not talks"
    assert _unecho("The bluf states that Barghouti will run.", "bluf") == "Barghouti will run."
    assert _unecho("The risk 1 title states 'Dispute goes to court'", "risks/1/title") == "Dispute goes to court"
    assert _unecho("The outlook is bleak.", "outlook/0/development") == "The outlook is bleak."
