"""The handouts in real headless Chromium: screenshot, zero requests, no console errors, A4 and Letter
print-to-PDF page counts, no table row split across pages, no heading left at the foot of a page,
and hostile text that never runs. The briefing handout first, then the digest's.

Chromium is driven over the DevTools pipe by briefing.output.pdf.Chromium (the same code as `-f pdf`). These
tests never skip: without Chromium they fail and say what to install (CI installs it in .ci/run).
Page breaks are read from the tagged PDF's structure tree, which records the pages each table row
(TR) and heading (H2) was drawn on.
"""

from __future__ import annotations

import base64
import io

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from briefing.digest_records import Digest
from briefing.output.pdf import Chromium, find_chromium, render_pdf
from briefing.output.render import render_briefing, render_digest
from briefing.settings import builtin_dir
from tests.conftest import FIXTURES, PWNED, Cli, hostile_result, isolate_env, load_result, run_briefing
from tests.llm_server import LLMServer
from tests.sample_digest import DATE, STORY_COUNT, TITLE, build_sample_digest, make_hostile

TEMPLATES = [builtin_dir("templates")]
A4 = (595, 842)
LETTER = (612, 792)
SEED_PAGES_A4 = 3  # the embedded model's briefing of the seed article: one actor table, one risk
FULL_PAGES = {"A4": 5, "letter": 5}  # every list at its maximum


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.fail(
            "headless Chromium is not installed: apt-get install chromium "
            "(or set BRIEFING_CHROMIUM to its path); the handout browser tests need it",
            pytrace=False,
        )
    with Chromium(executable, timeout=30) as session:
        yield session


def open_page(browser, html: str, tmp_path, **kw):
    """Load `html` from a file as a reader would; return (tab, page URL)."""
    path = tmp_path / f"page-{len(browser.events)}.html"
    path.write_text(html, encoding="utf-8")
    tab = browser.open(path.as_uri(), enable=("Network", "Log"), **kw)
    browser.evaluate("new Promise(r => setTimeout(r, 200))", session=tab)  # let late requests show up
    return tab, path.as_uri()


def requests_of(browser, tab) -> list[str]:
    return [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("sessionId") == tab and e.get("method") == "Network.requestWillBeSent"
    ]


def console_errors_of(browser, tab) -> list[str]:
    errors = []
    for e in browser.events:
        if e.get("sessionId") != tab:
            continue
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            errors.append(str(params.get("args")))
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            errors.append(params["entry"].get("text", ""))
    return errors


def test_seed_handout_in_the_browser(browser, tmp_path):
    result = load_result("seed-briefing.json")
    html = render_briefing(result, "html", dirs=TEMPLATES, classification="Official")
    tab, url = open_page(browser, html, tmp_path)

    shot = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session=tab)["data"])
    assert shot.startswith(b"\x89PNG\r\n\x1a\n") and len(shot) > 20_000

    assert requests_of(browser, tab) == [url], "the handout fetched something besides itself"
    assert console_errors_of(browser, tab) == []
    assert browser.evaluate("document.title", session=tab) == result.briefing.title
    assert browser.evaluate("document.documentElement.lang", session=tab) == "en"
    # Dark mode is a different palette, not an unreadable one.
    light = browser.evaluate("getComputedStyle(document.body).color", session=tab)
    browser.call(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}, session=tab
    )
    dark = browser.evaluate("getComputedStyle(document.body).color", session=tab)
    assert light == "rgb(26, 29, 33)" and dark == "rgb(227, 230, 234)"

    pdf = PdfReader(io.BytesIO(render_pdf(html)))
    assert len(pdf.pages) == SEED_PAGES_A4
    assert _size(pdf.pages[0]) == A4
    first = pdf.pages[0].extract_text()
    assert "OFFICIAL" in first and "Page 1 of 3" in first, "page boxes: classification and page numbers"
    assert "Korea Talks Collapse: Potential Military Confrontations" in pdf.pages[1].extract_text()  # running title


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_no_row_split_and_no_orphaned_heading(paper):
    html = render_briefing(load_result("full-briefing.json"), "html", dirs=TEMPLATES, variables={"paper": paper})
    pdf = PdfReader(io.BytesIO(render_pdf(html)))
    assert len(pdf.pages) == FULL_PAGES[paper]
    assert _size(pdf.pages[0]) == (A4 if paper == "A4" else LETTER)
    rows, headings = _layout(pdf)
    assert len(rows) == 6 + 4, "every body row of the actor and risk tables is tagged"
    split = [r for r in rows if len(r) != 1]
    assert not split, f"table rows drawn across pages: {split}"
    assert all(h == n for h, n in headings), f"a heading ends a page, its section starts on the next: {headings}"
    if paper == "A4":  # the check is not vacuous: a page break falls inside the actor table
        assert len({p for r in rows[:6] for p in r}) == 2


def test_split_rows_would_be_caught():
    """The same check on a handout whose CSS lets rows break: it must see the split."""
    html = render_briefing(load_result("full-briefing.json"), "html", dirs=TEMPLATES)
    loose = html.replace("</style>", "tr { break-inside: auto !important; break-before: auto !important; }</style>")
    rows, _ = _layout(PdfReader(io.BytesIO(render_pdf(loose))))
    assert any(len(r) > 1 for r in rows)


def test_hostile_handout_runs_nothing_and_fetches_nothing(browser, tmp_path):
    result = hostile_result()
    html = render_briefing(
        result, "html", dirs=TEMPLATES, classification=f"</style><script>document.title='{PWNED}'</script>"
    )
    tab, url = open_page(browser, html, tmp_path)
    # Click every in-page link and hover everything, in case a handler slipped through.
    browser.evaluate(
        """document.querySelectorAll('a[href^="#"], details, b, svg').forEach(e => {
        e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); if (e.click) e.click(); })""",
        session=tab,
    )
    browser.evaluate("new Promise(r => setTimeout(r, 200))", session=tab)
    title = browser.evaluate("document.title", session=tab)
    assert PWNED != title and title.startswith("</title><script>")
    dom = browser.evaluate(
        """({
        scripts: document.scripts.length, images: document.images.length,
        frames: document.querySelectorAll('iframe, object, embed, form, video, base, link, details').length,
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
                  .filter(n => n.startsWith('on')).length,
        links: [...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'))
               .filter(h => !h.startsWith('#')),
        backgrounds: [...document.querySelectorAll('*')].map(e => getComputedStyle(e).backgroundImage)
                     .filter(b => b !== 'none').length,
    })""",
        session=tab,
    )
    assert dom == {
        "scripts": 0,
        "images": 0,
        "frames": 0,
        "handlers": 0,
        "backgrounds": 0,
        "links": [result.article.source, "https://example.org/", result.article.source],
    }
    assert requests_of(browser, tab) == [url]
    assert console_errors_of(browser, tab) == []


def test_the_harness_sees_scripts_and_requests(browser, tmp_path):
    """Control: a page that does run a script and load an image is caught by the same checks."""
    bad = (
        "<!DOCTYPE html><title>t</title><img src='https://evil.example/x.png'>"
        f"<script>document.title='{PWNED}'; console.error('boom')</script>"
    )
    tab, url = open_page(browser, bad, tmp_path)
    assert browser.evaluate("document.title", session=tab) == PWNED
    assert "https://evil.example/x.png" in requests_of(browser, tab)
    assert console_errors_of(browser, tab)


def test_cli_pdf_as_a_user(tmp_path):
    out = tmp_path / "out"
    proc = run_briefing("render", FIXTURES / "seed-briefing.json", "-f", "pdf", "-o", f"{out}/")
    assert proc.returncode == 0, proc.stderr
    [pdf_file] = list(out.iterdir())  # no temp file left behind
    assert pdf_file.name == "korea-talks-collapse-potential-military-confrontations.pdf"
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(pdf_file).pages) == SEED_PAGES_A4
    again = run_briefing("render", FIXTURES / "seed-briefing.json", "-f", "pdf", "-o", pdf_file)
    assert again.returncode == 1 and b"--force" in again.stderr


def test_generate_pdf(cli, llm, seed, tmp_path):
    result = cli("generate", seed, "-f", "pdf", "-f", "html", "-o", f"{tmp_path}/out/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".html", ".pdf"]
    assert len(llm.chat_requests) == 1


# The digest handout ----------------------------------------------------------------------------

# The sample digest at A4: the cover, the contents page, then each story on pages of its own
# (the Korea story has every list at its maximum; the other two are shorter).
DIGEST_PAGES = {"cover": 1, "contents": 1, 1: 5, 2: 3, 3: 3}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Today's sample digest as `briefing digest -f json -f html -f pdf` wrote it: {format: path}."""
    folder = tmp_path_factory.mktemp("digest")
    with pytest.MonkeyPatch.context() as mp, LLMServer() as llm:
        isolate_env(mp, folder / "briefing-home")
        out = build_sample_digest(Cli(), llm, folder, "html", "pdf")
    files = {p.suffix[1:]: p for p in out.iterdir()}
    assert sorted(files) == ["html", "json", "pdf"] and files["html"].stem == f"morning-brief-{DATE}"
    return files


def test_digest_handout_in_the_browser(browser, sample, tmp_path):
    html = sample["html"].read_text(encoding="utf-8")
    tab, url = open_page(browser, html, tmp_path)

    shot = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session=tab)["data"])
    assert shot.startswith(b"\x89PNG\r\n\x1a\n") and len(shot) > 20_000
    assert requests_of(browser, tab) == [url], "the digest handout fetched something besides itself"
    assert console_errors_of(browser, tab) == []
    assert browser.evaluate("document.title", session=tab) == f"{TITLE} — 4 March 2026"

    page = browser.evaluate(
        """({
        ids: [...document.querySelectorAll('[id]')].map(e => e.id),
        missing: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
                 .filter(id => !document.getElementById(id)),
        toc: [...document.querySelectorAll('.toc a')].map(a => {
                 const target = document.getElementById(a.getAttribute('href').slice(1));
                 return [target.tagName, target.querySelector('h2').textContent.trim() === a.textContent.trim()]; }),
        stories: [...document.querySelectorAll('article.story')].map(a => a.id),
        outlets: [...document.querySelectorAll('article.story')].map(a => a.querySelectorAll('.sources-list li').length),
        cover: [...document.querySelectorAll('.cover h2')].map(h => h.textContent),
        sections: [...document.querySelectorAll('.contents h2')].map(h => h.textContent),
        failed: document.querySelector('#failed-inputs + p + ul').textContent,
    })""",
        session=tab,
    )
    assert len(page["ids"]) == len(set(page["ids"])), "ids (citation anchors, SVG patterns) are unique"
    assert page["missing"] == [], "every in-page link resolves"
    assert page["toc"] == [["ARTICLE", True]] * STORY_COUNT, "the contents link each story by its title"
    assert page["stories"] == [f"story-{n}" for n in range(1, STORY_COUNT + 1)]
    assert sorted(page["outlets"]) == [1, 1, 2], "the merged story lists both outlets"
    assert page["cover"] == ["Top lines", "Top risks across stories", "What to watch today"]
    assert page["sections"] == ["Contents", "What changed since the last brief", "Inputs not covered"]
    assert "sahel-update.html" in page["failed"] and "no such file or folder" in page["failed"]
    # Every story carries the whole briefing, its matrix patterns under its own ids.
    assert (
        browser.evaluate("document.querySelectorAll('article.story svg.matrix pattern').length", session=tab)
        == 2 * STORY_COUNT
    )

    browser.call(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}, session=tab
    )
    assert browser.evaluate("getComputedStyle(document.body).color", session=tab) == "rgb(227, 230, 234)"


def test_digest_pdf_pages_and_layout(sample):
    pdf = PdfReader(sample["pdf"])
    assert len(pdf.pages) == sum(DIGEST_PAGES.values())
    assert all(_size(p) == A4 for p in pdf.pages)
    texts = [p.extract_text() for p in pdf.pages]
    # The running head says whose page it is: none on the cover, the brief's title, then each story's.
    heads = []
    for text in texts:
        found = [n for n in range(1, STORY_COUNT + 1) if f"Story {n} · " in text]
        heads.append(found[0] if found else "contents" if text.startswith(TITLE) else "cover")
    assert heads == [k for k, pages in DIGEST_PAGES.items() for _ in range(pages)], heads
    words = [" ".join(t.split()) for t in texts]
    digest = Digest.model_validate_json(sample["json"].read_text(encoding="utf-8"))
    assert digest.cover.headline in words[0] and digest.cover.watch[-1].item in words[0], "the whole cover, on one page"
    assert "sahel-update.html" in words[1] and "Marrow and Jorvik" in words[1], "contents, changes, failures"
    for story in digest.stories:  # each story starts on a page of its own, its bottom line at the top
        assert " ".join(story.result.briefing.bluf.replace("**", "").split())[:60] in words[heads.index(story.number)]
    rows, headings = _layout(pdf, ("/H2", "/H3"))
    assert len(rows) >= 6 + 4 + 4 + 3, "every body row of the cover and story tables is tagged"
    split = [r for r in rows if len(r) != 1]
    assert not split, f"table rows drawn across pages: {split}"
    assert all(h == n for h, n in headings), f"a heading ends a page, its section starts on the next: {headings}"
    # Not vacuous: a page break falls between table rows somewhere (where depends on the cover's length).
    assert any(a != b for a, b in zip(rows, rows[1:])), "no page break between table rows"


def test_digest_cli_renders_the_same_handout(cli, sample, tmp_path):
    html = cli("render", sample["json"], "-f", "html")
    assert html.exit_code == 0, html.stderr
    assert html.stdout == sample["html"].read_text(encoding="utf-8")
    out = tmp_path / "again.pdf"
    pdf = cli("render", sample["json"], "-f", "pdf", "-o", out)
    assert pdf.exit_code == 0, pdf.stderr
    assert len(PdfReader(out).pages) == len(PdfReader(sample["pdf"]).pages)


def test_hostile_digest_runs_nothing_and_fetches_nothing(browser, sample, tmp_path):
    digest = make_hostile(Digest.model_validate_json(sample["json"].read_text(encoding="utf-8")))
    html = render_digest(
        digest, "html", dirs=TEMPLATES, classification=f"</style><script>document.title='{PWNED}'</script>"
    )
    assert "<script" not in html.lower().replace("&lt;script", "")
    tab, url = open_page(browser, html, tmp_path)
    browser.evaluate(
        """document.querySelectorAll('a[href^="#"], details, b, svg').forEach(e => {
        e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); if (e.click) e.click(); })""",
        session=tab,
    )
    browser.evaluate("new Promise(r => setTimeout(r, 200))", session=tab)
    title = browser.evaluate("document.title", session=tab)
    assert title == f"{digest.title} — 4 March 2026"
    dom = browser.evaluate(
        """({
        scripts: document.scripts.length, images: document.images.length,
        frames: document.querySelectorAll('iframe, object, embed, form, video, base, link, details, meta[http-equiv=refresh]').length,
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
                  .filter(n => n.startsWith('on')).length,
        links: [...new Set([...document.querySelectorAll('[href]')].map(e => e.getAttribute('href'))
               .filter(h => !h.startsWith('#')))],
        backgrounds: [...document.querySelectorAll('*')].map(e => getComputedStyle(e).backgroundImage)
                     .filter(b => b !== 'none').length,
    })""",
        session=tab,
    )
    links = dom.pop("links")
    allowed = {src.source for s in digest.stories for src in s.sources} | {
        digest.stories[0].result.article.source,
        "https://example.org/",
    }
    assert links and set(links) <= allowed and all(link.startswith(("http://", "https://")) for link in links)
    assert dom == {"scripts": 0, "images": 0, "frames": 0, "handlers": 0, "backgrounds": 0}
    assert requests_of(browser, tab) == [url]
    assert console_errors_of(browser, tab) == []


def _size(page) -> tuple[int, int]:
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def _layout(pdf: PdfReader, heading_tags=("/H2",)) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """From the structure tree: the pages of every body row (TR not made of TH only), and for every
    heading (H2 by default) the page it is on and the page where the next element starts."""
    numbers = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(pdf.pages)}
    rows: list[list[int]] = []
    headings: list[tuple[int, int]] = []

    def node(obj):
        return obj.get_object() if isinstance(obj, IndirectObject) else obj

    def kids(n) -> list:
        k = n.get("/K")
        return [] if k is None else [node(c) for c in (k if isinstance(k, list) else [k])]

    def page_of(n, page):
        return numbers[n.raw_get("/Pg").idnum] if isinstance(n, dict) and "/Pg" in n else page

    def pages(n, page, acc: list[int]) -> list[int]:
        page = page_of(n, page)
        if isinstance(n, int) or (isinstance(n, dict) and n.get("/Type") == "/MCR"):
            acc.append(page)
        elif isinstance(n, dict):
            for c in kids(n):
                pages(c, page, acc)
        return acc

    def walk(n, page):
        if not isinstance(n, dict):
            return
        page = page_of(n, page)
        children = kids(n)
        if n.get("/S") == "/TR" and any(isinstance(c, dict) and c.get("/S") == "/TD" for c in children):
            rows.append(sorted(set(pages(n, page, []))))
        for i, c in enumerate(children):
            if isinstance(c, dict) and c.get("/S") in heading_tags and i + 1 < len(children):
                here, after = pages(c, page, []), pages(children[i + 1], page, [])
                if here and after:
                    headings.append((max(here), min(after)))
            walk(c, page)

    walk(node(pdf.trailer["/Root"]["/StructTreeRoot"]), None)
    return rows, headings
