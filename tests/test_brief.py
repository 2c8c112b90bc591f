"""The pipeline's requests: what a digest builds once, and what stays the same from article to article."""

from __future__ import annotations

from briefing.ask import build_request
from briefing.prompts import PromptSet
from briefing.settings import load_settings
from briefing.text.article import build_article
from tests.articles import make_article


def _request(i: int):
    settings = load_settings({})
    prompt = PromptSet(str(settings.prompt), *settings.prompt_search_path())
    article = build_article(source=f"a{i}.txt", title=f"Story {i}", text=make_article(i, extra="More. " * i))
    return build_request(article, prompt, settings)


def test_the_system_prompt_is_the_same_for_every_article_of_a_run():
    # The embedded server then reuses its processed prefix (prompt cache) across a digest.
    first, second = _request(1), _request(7)
    assert first.messages[0]["content"] == second.messages[0]["content"]
    assert first.messages[1]["content"] != second.messages[1]["content"]


def test_the_fence_boundary_is_random_hex_and_the_prompt_digest_stable():
    request = _request(2)
    fence = next(line for line in request.messages[1]["content"].splitlines() if line.startswith("<<<ARTICLE "))
    assert len(fence.split()[1]) == 16  # 8 random bytes, hex
    assert request.sha256 == _request(2).sha256
