"""The HTML handout as markup: its parts, its safety against hostile text, and the -f pdf plumbing.

What a browser does with it (screenshots, requests, print-to-PDF, page breaks) is in test_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from briefing.output.environment import css_string, format_date
from briefing.output.render import language_tag, render_briefing
from briefing.settings import builtin_dir
from tests.conftest import FIXTURES, hostile_result

TEMPLATES = [builtin_dir("templates")]
HEAD_METAS = 6  # charset, CSP, referrer, viewport, color-scheme, generator


def handout(result, classification=None, **variables) -> str:
    return render_briefing(result, "html", dirs=TEMPLATES, variables=variables, classification=classification)


def test_handout_has_every_part(full_result):
    html = handout(full_result, classification="Official — internal")
    page = _parse(html)
    assert page.first_tag == ("html", {"lang": "en"})
    assert [h for h in page.text_of("h1")] == [full_result.briefing.title]
    assert page.text_of("h2") == [
        "Summary",
        "Key judgments",
        "Key actors",
        "Risks",
        "Outlook",
        "Gaps and open questions",
        "Source",
    ]
    assert "Bottom line up front" in html and "Information cut-off" in html and "26 November 2026" in html
    assert html.count('class="banner') == 2 and "Official — internal" in html
    assert len(page.find("li", cls="judgment")) == 4
    # Likelihood and confidence are separate fields, each with words and a drawn gauge.
    assert html.count("<dt>Likelihood</dt>") == 4 + 3 and html.count("<dt>Confidence</dt>") == 4
    # Actor and risk tables: column headers with scope, one row header per row.
    assert len(page.find("th", scope="col")) == 4 + 5
    assert len(page.find("th", scope="row")) == 6 + 4
    # One marker per risk in the matrix, numbered like the table.
    matrix = html.split('<svg class="matrix"')[1].split("</svg>")[0]
    assert re.findall(r">(R\d)</text>", matrix) == ["R1", "R2", "R3", "R4"]
    assert html.count('<svg class="rnum"') == 4
    # Citations: a link to the appendix with the sentence on hover, and the appendix entry.
    assert '<a class="cite" href="#s28" title="[S28] This is evident as Kim Jong-un' in html
    assert '<li id="s28">' in html
    # The markers and their legend.
    assert "✗ unverified" in html and "⚠ weak sourcing" in html and "✓ verbatim" in html
    assert "20 of 23 items verified against the source; 2 weakly supported; 1 unverified" in html
    assert "Dialogue is the only guarantee against war" in html and "does not occur in the article" in html


def test_handout_is_self_contained_with_strict_csp(seed_result):
    html = handout(seed_result)
    page = _parse(html)
    csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"]
    assert not page.find("script") and not page.find("img") and not page.find("link")
    assert not re.search(r"url\((?!#)", html), "only url(#local) references, never a remote one"
    assert not re.search(r"(src|href)=\"(?!#|https?://)", html)
    assert "@import" not in html and "@font-face" not in html


def test_print_css(seed_result):
    html = handout(seed_result)
    assert "size: A4;" in html
    assert 'content: "Page " counter(page) " of " counter(pages)' in html
    assert '@top-left { content: "Korea Talks Collapse\\00003a  Potential Military Confrontations"' in html
    assert "tr { break-inside: avoid" in html and "break-after: avoid" in html
    assert "@media screen and (prefers-color-scheme: dark)" in html
    assert "size: letter;" in handout(seed_result, paper="Letter")


def test_classification_is_optional(seed_result):
    html = handout(seed_result)
    assert 'class="banner' not in html
    assert handout(seed_result, classification="   ").count('class="banner') == 0


def test_classification_from_config_reaches_the_handout(cli, isolated_env, tmp_path):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text('[defaults]\nclassification = "Restricted — board only"\n')
    result = cli("render", FIXTURES / "seed-briefing.json", "-f", "html")
    assert result.exit_code == 0, result.stderr
    assert '<p class="banner" role="note" aria-label="Distribution">Restricted — board only</p>' in result.stdout


def test_hostile_article_and_answer_are_inert():
    html = handout(hostile_result(), classification="</style><script>alert(1)</script>")
    page = _parse(html)
    assert not page.find("script") and not page.find("img") and not page.find("iframe")
    for tag in ("object", "embed", "form", "button", "video", "details", "link", "base", "math", "svg:a"):
        assert not page.find(tag), tag
    assert len(page.find("meta")) == HEAD_METAS and len(page.find("style")) == 1
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "action", "formaction", "data", "srcset", "xlink:href"), (tag, name)
            if name == "href":
                assert value.startswith("#") or value.startswith(("https://", "http://")), (tag, value)
    hrefs = [a["href"] for t, a in page.tags if t == "a" and not a["href"].startswith("#")]
    # The article's own address (escaped into one attribute) and the model's one http(s) link; nothing else.
    assert hrefs == [hostile_result().article.source, "https://example.org/", hostile_result().article.source]
    style = html.split("<style>")[1].split("</style>")[0]
    assert "<" not in style and "url(http" not in style and "evil" not in style.replace("evil\\", "")
    assert "<strong>bold</strong> stays" in html  # the harmless Markdown still works


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain", '"plain"'),
        ('a"b', '"a\\000022 b"'),
        ("</style>", '"\\00003c \\00002f style\\00003e "'),
        ("x · y", '"x \\0000b7  y"'),
        ("line\nbreak", '"line break"'),
    ],
)
def test_css_string(text, expected):
    assert css_string(text) == expected


@pytest.mark.parametrize(
    "value, time, expected",
    [
        ("2026-11-27T23:18:21+00:00", False, "27 November 2026"),
        ("2026-11-27T23:18:21+00:00", True, "27 November 2026, 23:18 UTC"),
        ("2026-11-27T08:05:00+09:00", True, "27 November 2026, 08:05 +0900"),
        ("2026-03-01", True, "1 March 2026"),
        ("last Tuesday", False, "last Tuesday"),
        ("", False, ""),
    ],
)
def test_format_date(value, time, expected):
    assert format_date(value, time=time) == expected


@pytest.mark.parametrize(
    "language, tag",
    [
        ("English", "en"),
        ("french", "fr"),
        ("pt-BR", "pt-BR"),
        ("de", "de"),
        ("", "en"),
        ("Klingon", "und"),
    ],
)
def test_language_tag(language, tag):
    assert language_tag(language) == tag


def test_unknown_paper_is_a_clear_error(cli):
    result = cli("render", FIXTURES / "seed-briefing.json", "-f", "html", "--var", "paper=B5")
    assert result.exit_code == 1
    assert "paper 'B5' is not one of A4, letter" in result.stderr


def test_pdf_without_chromium_says_what_to_install(cli, llm, seed, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium anywhere
    result = cli("generate", seed, "-f", "pdf", "-o", tmp_path / "b.pdf", "--base-url", llm.url)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "needs headless Chromium" in result.stderr and "apt-get install chromium" in result.stderr
    assert llm.requests == []  # found out before any model call
    assert not (tmp_path / "b.pdf").exists()


def test_pdf_with_a_wrong_browser_path(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("BRIEFING_CHROMIUM", str(tmp_path / "nope"))
    result = cli("render", FIXTURES / "seed-briefing.json", "-f", "pdf", "-o", tmp_path / "b.pdf")
    assert result.exit_code == 1
    assert "BRIEFING_CHROMIUM" in result.stderr and "not an executable" in result.stderr


def test_help_says_what_pdf_needs(cli):
    for command in ("generate", "render"):
        text = re.sub(r"-\s+", "-", " ".join(cli(command, "--help").stdout.split()))  # undo line wrapping
        assert "pdf is the HTML handout printed by headless Chromium" in text
        assert "apt-get install chromium" in text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self._texts: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.first_tag: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        entry = (tag, {k: v or "" for k, v in attrs})
        self.first_tag = self.first_tag or entry
        self.tags.append(entry)
        if tag in ("h1", "h2"):
            self._open.append(tag)
            self._texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        for tag in self._open:
            self._texts[tag][-1] += data

    def text_of(self, tag: str) -> list[str]:
        return [" ".join(t.split()) for t in self._texts.get(tag, [])]

    def find(self, tag: str, cls: str | None = None, **attrs) -> list[dict]:
        return [
            a
            for t, a in self.tags
            if t == tag
            and (cls is None or cls in a.get("class", "").split())
            and all(a.get(k) == v for k, v in attrs.items())
        ]


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page
