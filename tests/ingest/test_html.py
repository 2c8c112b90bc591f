"""build_web_article(): the text a reader sees and the page's metadata; looks_like_html/feed sniffing."""

from __future__ import annotations

import pytest

from briefing.errors import EmptyInputError
from briefing.ingest.feeds import looks_like_feed
from briefing.ingest.html import build_web_article, looks_like_html
from tests.conftest import FIXTURES

NOISE = ("NAVTOKEN", "SCRIPTTOKEN", "HIDDENTOKEN", "COOKIETOKEN", "FOOTERTOKEN", "analytics", "Accept")


def test_article_text_and_metadata_without_page_chrome():
    data = (FIXTURES / "wire-outlet-a.html").read_bytes()
    article = build_web_article(data, source="a.html", url="https://harbour.example/world/grain")
    assert article.title == "Grain corridor deal collapses as talks end in Istanbul"
    assert article.outlet == "Harbour Times"
    assert article.author == "Mira Castell"
    assert article.published == "2026-03-04"
    assert article.text.startswith("Negotiators from Ukraine and Russia left Istanbul")  # headline dropped
    assert "We tried every formula" in article.text and "Antonio Guterres" in article.text
    for token in NOISE:
        assert token not in article.text
    assert len(article.sentences) >= 5


def test_page_without_metadata_falls_back_to_what_the_caller_knows():
    html = (
        b"<html><body><article><p>"
        + b"The council met on Monday and agreed a budget for the coming year. " * 4
        + b"</p></article></body></html>"
    )
    article = build_web_article(
        html,
        source="feed-entry",
        url="https://www.news.example/x",
        title="Council agrees budget",
        outlet="News Feed",
        published="2026-03-01",
    )
    assert article.title == "Council agrees budget"
    assert article.outlet == "News Feed"
    assert article.published == "2026-03-01"


def test_page_without_article_text_is_an_input_error():
    with pytest.raises(EmptyInputError, match="no article text"):
        build_web_article(b"<html><body><nav>Home</nav><script>x()</script></body></html>", source="empty.html")


@pytest.mark.parametrize(
    "data, content_type, html, feed",
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", "", True, False),
        (b"\xef\xbb\xbf  <html lang='en'>", "", True, False),
        (b"<!-- generated --><html>", "", True, False),
        (b"plain words", "text/html", True, False),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "", False, True),
        (b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "", False, True),
        (b"<rdf:RDF xmlns:rdf='x'>", "", False, True),
        (b"anything", "application/rss+xml", False, True),
        (b"Headline\n\nJust text about <html> tags.", "", False, False),
        (b'<?xml version="1.0"?><svg></svg>', "", False, False),
    ],
)
def test_sniffing(data, content_type, html, feed):
    assert looks_like_html(data, content_type) is html
    assert looks_like_feed(data, content_type) is feed
