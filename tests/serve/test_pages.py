"""The archive browser in real headless Chromium over an archive of three loopback-model digests:
every page loads with no console error and no request to another origin, search finds a story by
an actor, the story page shows three days and a chart, recording an outcome on the review page
changes the calibration page, and hostile article text and model output run nowhere."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from briefing.output.pdf import Chromium, find_chromium
from tests.conftest import PWNED


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.fail("headless Chromium is not installed: apt-get install chromium", pytrace=False)
    # The handout flags map every host name to nowhere; the served pages are on 127.0.0.1, and only there.
    loopback_only = ("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",)
    with Chromium(executable, timeout=30, extra_flags=loopback_only) as session:
        yield session


def visit(browser, url: str):
    """Open `url`; return (tab, every request the page made, HTTP statuses, console errors)."""
    first = len(browser.events)
    tab = browser.open(url, enable=("Network", "Log"))
    browser.evaluate("new Promise(r => setTimeout(r, 150))", session=tab)  # late requests show up
    events = [e for e in browser.events[first:] if e.get("sessionId") == tab]
    requests = [  # data: URLs are no request to anywhere (the browser's own form controls draw with them)
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent" and not e["params"]["request"]["url"].startswith("data:")
    ]
    statuses = [status_of(url)]
    errors = [
        str(e.get("params"))
        for e in events
        if e.get("method") == "Runtime.exceptionThrown"
        or e.get("method") == "Log.entryAdded"
        and e["params"]["entry"].get("level") in ("error", "warning")
        or e.get("method") == "Runtime.consoleAPICalled"
        and e["params"].get("type") in ("error", "warning")
    ]
    return tab, requests, statuses, errors


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def db(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "archive.db")
    conn.row_factory = sqlite3.Row
    return conn


def story_of(home: Path, file: str) -> str:
    """The story id of the article file `file` (the same on every day)."""
    row = (
        db(home)
        .execute(
            "SELECT DISTINCT ds.story_id FROM digest_stories ds JOIN briefings b ON b.id = ds.briefing_id"
            " JOIN articles a ON a.id = b.article_id WHERE a.source LIKE ?",
            (f"%/{file}",),
        )
        .fetchone()
    )
    return row[0]


def pages(home: Path) -> list[str]:
    conn = db(home)
    actor = json.loads(conn.execute("SELECT json FROM briefings ORDER BY id LIMIT 1").fetchone()[0])
    name = actor["briefing"]["key_actors"][0]["name"]
    return [
        "/",
        "/digest/1",
        "/digest/3",
        "/briefing/1",
        f"/story/{story_of(home, 'a.txt')}",
        f"/story/{story_of(home, 'c.txt')}",
        f"/actor/{quote(name)}",
        f"/search?q={quote(name)}",
        "/search?q=%22unterminated",
        "/review",
        "/calibration",
    ]


def test_every_page_loads_clean_and_fetches_nothing_from_elsewhere(browser, served, archive_home):
    for path in pages(archive_home):
        tab, requests, statuses, errors = visit(browser, served.url + path)
        assert requests == [served.url + path], f"{path} fetched something besides itself: {requests}"
        assert errors == [], f"{path}: {errors}"
        assert statuses == [200], path
        assert browser.evaluate("location.href", session=tab) == served.url + path  # not Chromium's error page
        assert browser.evaluate("document.scripts.length", session=tab) == 0
        assert browser.evaluate("document.title", session=tab) != PWNED


def test_search_finds_a_story_by_an_actor(browser, served, archive_home):
    conn = db(archive_home)
    story = story_of(archive_home, "b.txt")
    row = conn.execute(
        "SELECT b.json FROM briefings b JOIN digest_stories ds ON ds.briefing_id = b.id WHERE ds.story_id = ?", (story,)
    ).fetchone()
    names = [a["name"] for a in json.loads(row[0])["briefing"]["key_actors"]]
    tab, *_ = visit(browser, f"{served.url}/search?q={quote(chr(34) + names[0] + chr(34))}")
    links = browser.evaluate("[...document.querySelectorAll('.hits a')].map(a => a.getAttribute('href'))", session=tab)
    assert f"/story/{story}" in links
    marks = browser.evaluate("[...document.querySelectorAll('.snippet mark')].map(m => m.textContent)", session=tab)
    assert marks and all(m.lower() in names[0].lower() for m in marks)
    # The actor's own page lists the same story.
    tab, *_ = visit(browser, f"{served.url}/actor/{quote(names[0])}")
    links = browser.evaluate(
        "[...document.querySelectorAll('.mentions a')].map(a => a.getAttribute('href'))", session=tab
    )
    assert f"/story/{story}" in links


def test_the_story_page_shows_three_days_and_a_chart(browser, served, archive_home, tmp_path):
    story = story_of(archive_home, "b.txt")
    tab, *_ = visit(browser, f"{served.url}/story/{story}")
    assert (
        browser.evaluate("document.querySelectorAll('section.day[aria-labelledby^=\"day-\"]').length", session=tab) == 3
    )
    assert browser.evaluate("document.querySelectorAll('svg.chart').length", session=tab) == 1
    points = browser.evaluate("document.querySelectorAll('svg.chart .point').length", session=tab)
    assert points >= 3
    # Day 3 moved the judgments from 'likely' to 'very likely': the legend table says so.
    cells = browser.evaluate(
        "[...document.querySelectorAll('table.legend tbody tr')[0].cells].map(c => c.textContent)", session=tab
    )
    assert cells[1:] == ["likely", "likely", "very likely"], cells
    visible = browser.evaluate("document.querySelector('svg.chart').getBoundingClientRect().width", session=tab)
    assert visible > 300
    _screenshot(browser, tab, "story", tmp_path)
    tab, *_ = visit(browser, f"{served.url}/search?q=officials")
    _screenshot(browser, tab, "search", tmp_path)


def test_an_outcome_recorded_on_the_review_page_changes_the_calibration_page(browser, served):
    tab, *_ = visit(browser, f"{served.url}/calibration")
    assert browser.evaluate("document.querySelector('.brier')", session=tab) is None
    tab, *_ = visit(browser, f"{served.url}/review")
    due = browser.evaluate("document.querySelectorAll('form.review-form').length", session=tab)
    assert due >= 3
    browser.evaluate(
        """(() => { const f = document.querySelector('form.review-form');
        f.querySelector('select').value = 'happened'; f.querySelector('input[name=note]').value = 'seen <b>on TV</b>';
        f.querySelector('button').click(); })()""",
        session=tab,
    )
    browser.wait_for("Page.loadEventFired", session=tab)
    assert "Outcome recorded" in browser.evaluate("document.querySelector('.notice').textContent", session=tab)
    assert browser.evaluate("document.querySelectorAll('form.review-form').length", session=tab) == due - 1
    tab, *_ = visit(browser, f"{served.url}/calibration")
    assert browser.evaluate("document.querySelector('.brier').textContent", session=tab)
    assert browser.evaluate("document.querySelectorAll('svg.chart .point').length", session=tab) == 1


def test_a_post_without_the_csrf_token_is_refused(served, archive_home):
    before = db(archive_home).execute("SELECT count(*) FROM outcomes").fetchone()[0]
    for body, headers in [
        (b"judgment=j2&outcome=happened", {}),
        (b"judgment=j2&outcome=happened&csrf=guess", {}),
        (b"judgment=j2&outcome=happened", {"Origin": "https://evil.example"}),
        (b"&".join([b"x=1"] * 50), {}),
    ]:
        request = urllib.request.Request(f"{served.url}/review", data=body, headers=headers, method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        refused.value.close()
        assert refused.value.code in (400, 403)
    assert db(archive_home).execute("SELECT count(*) FROM outcomes").fetchone()[0] == before


def test_hostile_text_shows_as_text_and_runs_nothing(browser, served, archive_home):
    story = story_of(archive_home, "c.txt")
    for path in (f"/story/{story}", "/search?q=officials", "/review", "/digest/1", "/briefing/3"):
        tab, requests, _, errors = visit(browser, served.url + path)
        browser.evaluate(
            "document.querySelectorAll('a, svg, img, details').forEach(e => e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))",
            session=tab,
        )
        assert browser.evaluate("document.title", session=tab) != PWNED, path
        assert (
            browser.evaluate("document.querySelectorAll('script, img[onerror], svg[onload]').length", session=tab) == 0
        )
        assert requests == [served.url + path] and errors == [], path
    tab, *_ = visit(browser, f"{served.url}/story/{story}")
    text = browser.evaluate("document.body.innerText", session=tab)
    assert "The talks stall." in text and "The dispute will widen." in text


def _screenshot(browser, tab, name: str, tmp_path: Path) -> None:
    """Saved for a person to look at: $SERVE_SCREENSHOTS/NAME.png, else in the test's tmp folder."""
    shot = base64.b64decode(
        browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=tab)["data"]
    )
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
    folder = Path(os.environ.get("SERVE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.png").write_bytes(shot)
