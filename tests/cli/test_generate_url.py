"""`briefing generate URL`: the page fetched and extracted as a digest does, within the same limits and cache."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES
from tests.web_server import Page


def test_a_page_on_loopback_is_briefed_from_its_article_text(cli, llm, web, tmp_path):
    web.pages["/article.html"] = Page((FIXTURES / "wire-outlet-a.html").read_text())
    url = web.url("/article.html")
    out = tmp_path / "saved.json"
    result = cli("generate", url, "--allow-private", "-f", "json", "-o", out, "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    saved = json.loads(out.read_text())
    article = saved["article"]
    assert article["source"] == url and article["outlet"] == "Harbour Times"
    assert article["text"].startswith("Negotiators")
    sent = json.dumps(llm.chat_requests[0].body) + json.dumps(saved)
    assert "Negotiators" in sent
    for token in ("NAVTOKEN", "SCRIPTTOKEN", "HIDDENTOKEN", "COOKIETOKEN", "FOOTERTOKEN"):
        assert token not in sent

    # The same cache as a digest: a second run of the same page asks nothing.
    before = len(llm.requests)
    again = cli("generate", url, "--allow-private", "-f", "md", "--base-url", llm.url)
    assert again.exit_code == 0 and len(llm.requests) == before
    assert "from the cache" in again.stderr


def test_without_allow_private_the_url_is_refused_before_any_request(cli, llm, web, tmp_path):
    web.pages["/article.html"] = Page((FIXTURES / "wire-outlet-a.html").read_text())
    result = cli("generate", web.url("/article.html"), "-o", tmp_path / "b.md", "--base-url", llm.url)
    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: ") and "refused: 127.0.0.1 is a loopback address" in line
    assert "--allow-private" in line
    assert web.requests == [] and llm.requests == [] and not (tmp_path / "b.md").exists()


def test_a_feed_url_is_sent_to_digest_and_a_missing_page_is_one_line(cli, llm, web):
    web.pages["/feed.xml"] = Page(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        "<item><title>A</title><link>/a.html</link></item></channel></rss>",
        "application/rss+xml",
    )
    result = cli("generate", web.url("/feed.xml"), "--allow-private", "--base-url", llm.url)
    assert result.exit_code == 1 and "a feed, not an article" in result.stderr and "briefing digest" in result.stderr
    missing = cli("generate", web.url("/gone.html?token=SECRET-QUERY"), "--allow-private", "--base-url", llm.url)
    assert missing.exit_code == 1 and "HTTP 404" in missing.stderr and "SECRET-QUERY" not in missing.stderr
    ftp = cli("generate", "ftp://example.org/article.txt", "--base-url", llm.url)
    assert ftp.exit_code == 1 and "only http and https URLs are fetched, not ftp" in ftp.stderr
    assert llm.requests == []
