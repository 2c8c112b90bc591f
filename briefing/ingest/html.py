"""build_web_article(): an HTML page -> Article, with the text a reader sees and its metadata. Pure.

trafilatura finds the article body and drops navigation, scripts, styles, comments, hidden elements
and boilerplate; it also reads the title, site name (the outlet), author and date from the page's
metadata. The page's own headline, which trafilatura keeps as the first line, is dropped from the
text because it is the Article's title.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

from briefing.errors import EmptyInputError
from briefing.records import Article
from briefing.text.article import build_article
from briefing.text.decode import decode_text

MIN_WORDS = 20  # below this, what was extracted is a menu or a teaser, not an article
# A page, or a fragment of one (saved from a browser, pasted into a file): it opens with a document tag
# or a block element an article is made of.
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*"
    rb"<(!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6])\b",
    re.I | re.S,
)
# What trafilatura keeps and a reader never sees: hidden elements and inert templates. Inline
# styles are compared without spaces, in lower case and ending in ';' ("display: none", "FONT-SIZE:0").
_STYLE = "concat(translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz'), ';')"
_HIDDEN = [
    "//*[@hidden]",
    "//*[@aria-hidden='true']",
    "//template",
    *(
        f"//*[contains({_STYLE}, '{rule}')]"
        for rule in ("display:none", "visibility:hidden", "font-size:0;", "font-size:0px;", "opacity:0;")
    ),
    *(
        f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
        for name in ("hidden", "d-none", "sr-only", "visually-hidden", "screen-reader-text")
    ),
]


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """True for an HTML page: by its media type, or by how it starts when the type says nothing."""
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    return bool(_HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def build_web_article(
    data: bytes,
    *,
    source: str,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """Extract the article of an HTML page; `title`, `outlet`, `published` fill what the page lacks."""
    import trafilatura  # heavy (lxml and friends): only digests of web pages pay for it

    # Its "discarding data" warnings repeat what the EmptyInputError below says in one line.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)

    html = decode_text(data, source)
    doc: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        prune_xpath=_HIDDEN,
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_WORDS:
        raise EmptyInputError(
            f"{source}: no article text found on the page",
            hint="is it a front page, a paywall or a page built by JavaScript?",
        )
    page_title = _clean(doc.title) or title or _host(url) or "Untitled article"
    text = _drop_headline(text, page_title)
    # trafilatura falls back to the host name for the site name; the caller's outlet (a feed's title) is better.
    sitename = _clean(doc.sitename)
    if (
        sitename
        and url
        and sitename.lower().removeprefix("www.") in (_host(url), urlsplit(url).netloc.removeprefix("www."))
    ):
        sitename = None
    return build_article(
        source=source,
        title=page_title,
        text=text,
        outlet=sitename or outlet or _host(url),
        author=_clean(doc.author),
        published=_clean(doc.date) or published,
    )


def _drop_headline(text: str, title: str) -> str:
    first, _, rest = text.partition("\n")
    if rest.strip() and _norm(first) == _norm(title):
        return rest.strip()
    return text


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text[:200] or None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
