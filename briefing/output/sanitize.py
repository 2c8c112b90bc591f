"""render_inline_markdown(): model text -> a small, safe subset of HTML for the handouts. Pure.

Briefing fields are one sentence or one paragraph of plain text, but models (chat-tuned ones above
all) often add **bold**, *italics* or a [link](https://...) anyway; shown raw, the asterisks make a
handout look broken. So the HTML templates render *inline* Markdown only: emphasis, strong, code and
http(s) links. Nothing block-level (a field starting with "#" or "1." stays text), raw HTML is
escaped by the parser (`html=False`), an image becomes its alt text, and the result goes through
nh3 (ammonia) with an allowlist as the last gate: no script, no event handler, no style, no image,
and no URL that is not http(s). Links get rel="noopener noreferrer nofollow"; the print stylesheet
shows their address, so link text cannot disguise where a link goes.
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3

ALLOWED_TAGS = frozenset({"a", "strong", "em", "code"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer nofollow"


def render_inline_markdown(text: object) -> str:
    """Render `text` as inline Markdown and return sanitized HTML (safe to insert unescaped)."""
    source = str(text or "")
    if not source.strip():
        return ""
    return clean_html(_parser().renderInline(source))


def clean_html(fragment: str) -> str:
    """Keep only the allowlisted tags and attributes, and http(s) links."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_only_absolute_links,
    )


def _only_absolute_links(tag: str, attribute: str, value: str) -> str | None:
    # nh3 passes relative URLs through; a handout link must name its site (http or https) or go.
    if attribute == "href" and not value.lower().startswith(("http://", "https://")):
        return None
    return value


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "backticks", "link", "image", "escape", "entity", "newline"])

    def image_as_text(self, tokens, idx, options, env):
        # An image would be a request (and a tracking pixel): keep only what it describes.
        return html.escape(self.renderInlineAsText(tokens[idx].children or [], options, env))

    md.add_render_rule("image", image_as_text)
    # Only http(s) links become links; any other target stays visible as the text the model wrote.
    md.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://"))
    return md
