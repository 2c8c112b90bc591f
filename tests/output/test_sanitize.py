"""The handouts' Markdown sanitizer: inline formatting survives, nothing executable or remote does."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.output.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_inline_markdown


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain words", "plain words"),
        ("**bold** and *italics*", "<strong>bold</strong> and <em>italics</em>"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("`code`", "<code>code</code>"),
        (
            "[UN](https://un.org/x?a=1&b=2)",
            '<a href="https://un.org/x?a=1&amp;b=2" rel="noopener noreferrer nofollow">UN</a>',
        ),
        ("# not a heading", "# not a heading"),
        ("1. not a list", "1. not a list"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("![chart *of* risks](https://evil.example/pixel.png)", "chart of risks"),
        ("", ""),
    ],
)
def test_inline_markdown(text, expected):
    assert render_inline_markdown(text) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "[rel](/etc/passwd) [mail](mailto:a@b.example)",
        '<div style="background:url(https://evil.example/bg.png)">x</div>',
        "<style>body{background:url(https://evil.example/bg)}</style>",
        "<iframe src=https://evil.example></iframe>",
        "<!-- comment --><math><mi xlink:href=javascript:alert(1)>x</mi></math>",
        '[x](https://ok.example "title" onmouseover="alert(1)")',
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ],
)
def test_hostile_input_is_inert(hostile):
    out = render_inline_markdown(hostile)
    _assert_safe(out)


def test_links_are_http_only_and_marked_nofollow():
    out = render_inline_markdown("[a](http://x.example) [b](ftp://x.example) [c](#s3)")
    assert out.count("<a ") == 1
    assert 'href="http://x.example" rel="noopener noreferrer nofollow"' in out


_FRAGMENTS = st.sampled_from(
    [
        "<",
        ">",
        "&",
        '"',
        "'",
        "=",
        "/",
        ":",
        "(",
        ")",
        "[",
        "]",
        "!",
        "*",
        "_",
        "`",
        "\\",
        " ",
        "\n",
        "\t",
        "script",
        "SCRIPT",
        "<script>",
        "</script>",
        "onerror",
        "onload",
        "javascript:",
        "JavaScript:",
        "data:",
        "img",
        "src",
        "href",
        "style",
        "url(",
        "https://evil.example/x.png",
        "alert(1)",
        "&#x6a;",
        "&#106;",
        "<a ",
        "<img ",
        "<svg ",
        "<iframe ",
        "](",
        "![",
        "**",
        "java\u0000script:",
        "\u202e",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_FRAGMENTS | st.text(max_size=3), max_size=30).map("".join)))
def test_output_never_executable(text):
    _assert_safe(render_inline_markdown(text))


def _assert_safe(out: str) -> None:
    low = out.lower()
    assert "<script" not in low
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", low), out
    assert "javascript:" not in re.sub(r">[^<]*<", "><", f">{low}<"), out  # only ever as visible text
    parser = _Tags()
    parser.feed(out)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, (tag, out)
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name, out)
            if name == "href":
                assert value.lower().startswith(("http://", "https://")), out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
