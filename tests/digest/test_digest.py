"""`briefing digest` end to end against the loopback LLM server (and a loopback web server for URLs).

Requests are counted on the server: which articles were asked for, how often, and whether the
cover was. Faults are injected there too (a failing article, a quota error, an outage after k).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from tests.articles import make_article, marker, write_articles
from tests.conftest import FIXTURES
from tests.llm_server import LLMServer, Reply, schema_instance_for
from tests.web_server import Page


def kind(request) -> str:
    """'briefing' or 'cover': the name of the schema a request asked for."""
    return request.body["response_format"]["json_schema"]["name"]


def asked(llm, name: str = "briefing") -> list:
    return [r for r in llm.chat_requests if kind(r) == name]


def body_text(request) -> str:
    return json.dumps(request.body, ensure_ascii=False)


def articles_in(requests, count: int) -> list[int]:
    """Which of articles 0..count-1 the requests were about, in request order."""
    return [i for r in requests for i in range(count) if marker(i) in body_text(r)]


def run_digest(cli, llm, *args):
    return cli("digest", *args, "--base-url", llm.url)


# Partial failure, cache and resume ----------------------------------------------------------------


def test_one_failing_article_exits_3_and_a_rerun_asks_only_for_it(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 5)
    (tmp_path / "in" / "broken.txt").write_text("Broken wire\n\nPOISON-PILL makes the endpoint fail. Always.\n")
    llm.respond = lambda r: (
        Reply(status=500, headers={"retry-after-ms": "1"}, body={"error": {"message": "boom"}})
        if "POISON-PILL" in body_text(r)
        else None
    )
    out = tmp_path / "out"
    first = run_digest(cli, llm, tmp_path / "in", "-f", "md", "-f", "json", "-o", f"{out}/", "--date", "2026-03-04")
    assert first.exit_code == 3, first.stderr
    digest = json.loads((out / "daily-brief-2026-03-04.json").read_text())
    assert len(digest["stories"]) == 5
    assert [f["source"] for f in digest["failures"]] == [str(tmp_path / "in" / "broken.txt")]
    assert "HTTP 500" in digest["failures"][0]["error"]
    assert "broken.txt" in first.stderr and "failed" in first.stderr
    md = (out / "daily-brief-2026-03-04.md").read_text()
    assert "Failed inputs\n" in md and "broken.txt" in md.split("Failed inputs\n")[1]
    poisoned = [r for r in llm.chat_requests if "POISON-PILL" in body_text(r)]
    assert len(poisoned) == 3  # the openai client's own retries: max_retries=2
    assert not any("POISON-PILL" in body_text(r) for r in asked(llm, "cover"))

    before = len(llm.chat_requests)
    again = run_digest(cli, llm, tmp_path / "in", "-f", "json", "-o", f"{out}/", "--date", "2026-03-04", "--force")
    assert again.exit_code == 3, again.stderr
    rerun = llm.chat_requests[before:]
    assert len(rerun) == len(poisoned) and all("POISON-PILL" in body_text(r) for r in rerun)
    assert "5 stories (5 from the cache)" in again.stderr


def test_second_identical_run_makes_no_request_and_changes_invalidate(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 3)
    args = [tmp_path / "in", "-f", "json", "-o", tmp_path / "d.json", "--force"]
    assert run_digest(cli, llm, *args).exit_code == 0
    assert len(asked(llm)) == 3 and len(asked(llm, "cover")) == 1

    before = len(llm.requests)
    again = run_digest(cli, llm, *args)
    assert again.exit_code == 0 and len(llm.requests) == before  # zero requests of any kind
    assert all(s["cached"] for s in json.loads((tmp_path / "d.json").read_text())["stories"])

    before = len(llm.chat_requests)
    assert run_digest(cli, llm, *args, "--audience", "finance ministers").exit_code == 0
    assert len(asked(llm)[3:]) == 3 and len(llm.chat_requests) - before == 4  # a new prompt: all again

    before = len(llm.chat_requests)
    assert run_digest(cli, llm, *args, "--model", "another-model").exit_code == 0
    assert len(llm.chat_requests) - before == 4
    assert {r.body["model"] for r in llm.chat_requests[before:]} == {"another-model"}

    before = len(llm.chat_requests)
    assert run_digest(cli, llm, *args, "--no-cache").exit_code == 0
    assert len(llm.chat_requests) - before == 4


def test_an_outage_after_k_requests_then_a_rerun_asks_only_for_the_rest(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 6)
    served = []
    lock = threading.Lock()

    def outage_after_three(request):
        with lock:
            served.append(request)
            if len(served) > 3:
                return Reply(status=503, body={"error": {"message": "down"}})
        return None

    llm.respond = outage_after_three
    args = [tmp_path / "in", "-f", "json", "-o", tmp_path / "d.json", "-j", "1", "--max-retries", "0", "--force"]
    first = run_digest(cli, llm, *args)
    assert first.exit_code == 3, first.stderr
    done = articles_in(llm.chat_requests[:3], 6)
    assert len(done) == 3
    saved = json.loads((tmp_path / "d.json").read_text())
    assert len(saved["stories"]) == 3 and len(saved["failures"]) == 3
    assert "synthesis call failed" in saved["cover_note"]  # the cover call met the outage too

    llm.respond = None
    before = len(llm.chat_requests)
    second = run_digest(cli, llm, *args)
    assert second.exit_code == 0, second.stderr
    rerun = llm.chat_requests[before:]
    assert sorted(articles_in([r for r in rerun if kind(r) == "briefing"], 6)) == sorted(set(range(6)) - set(done))
    assert [kind(r) for r in rerun].count("cover") == 1
    assert len(json.loads((tmp_path / "d.json").read_text())["stories"]) == 6


def test_a_killed_digest_resumes_with_only_the_missing_requests(tmp_path, isolated_env):
    write_articles(tmp_path / "in", 8)
    out = tmp_path / "out" / "d.json"
    with LLMServer(latency=0.15) as llm:
        args = [
            sys.executable,
            "-m",
            "briefing",
            "digest",
            str(tmp_path / "in"),
            "--base-url",
            llm.url,
            "-j",
            "1",
            "-f",
            "json",
            "-o",
            str(out),
        ]
        process = subprocess.Popen(args, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # Kill once three results are saved: each is saved the moment it is checked, while the
            # next request is already on its way (so the number of requests alone is no guide).
            results = isolated_env / "cache" / "results"
            deadline = time.monotonic() + 60
            while len(list(results.rglob("*.json"))) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        _assert_absent_or_complete(out)
        assert _temp_files(out.parent) == []
        cached = len(list(results.rglob("*.json")))
        assert 3 <= cached < 8  # results were saved as they arrived, and the kill came mid-run
        asked_first = set(articles_in(llm.chat_requests, 8))
        # What a kill between a write and its rename would leave behind; the rerun's write removes it.
        out.parent.mkdir(exist_ok=True)
        leftover = out.parent / f".{out.name}.{process.pid}.k1ll3d.tmp"
        leftover.write_text('{"kind": "digest", "stories": [')

        before = len(llm.chat_requests)
        done = subprocess.run(args, env=dict(os.environ), capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        rerun = llm.chat_requests[before:]
        again = articles_in([r for r in rerun if kind(r) == "briefing"], 8)
        assert len(again) == 8 - cached
        # Asked again: at most the one in flight and the one answered but not yet saved at the kill.
        assert set(again) | asked_first == set(range(8)) and len(set(again) & asked_first) <= 2
        assert [kind(r) for r in rerun].count("cover") == 1
        assert len(json.loads(out.read_text())["stories"]) == 8
        assert _temp_files(tmp_path) == []  # neither in the output folder nor in the cache


def _temp_files(folder) -> list:
    return [p for p in folder.rglob("*.tmp")]


def _assert_absent_or_complete(path) -> None:
    if path.exists():
        assert json.loads(path.read_text())["kind"] == "digest"


# Stories, sources and the cover ------------------------------------------------------------------


def test_the_same_wire_story_from_two_outlets_is_one_story_with_two_sources(cli, llm, tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(FIXTURES / "wire-outlet-a.html", tmp_path / "in" / "harbour.html")
    shutil.copy(FIXTURES / "wire-outlet-b.html", tmp_path / "in" / "courier.html")
    (tmp_path / "in" / "other.txt").write_text(make_article(1))
    result = run_digest(cli, llm, tmp_path / "in", "-f", "json", "-o", tmp_path / "d.json")
    assert result.exit_code == 0, result.stderr
    digest = json.loads((tmp_path / "d.json").read_text())
    assert len(digest["stories"]) == 2
    wire = next(s for s in digest["stories"] if len(s["sources"]) == 2)
    assert {s["outlet"] for s in wire["sources"]} == {"Harbour Times", "Coastal Courier"}
    assert {s["author"] for s in wire["sources"]} == {"Mira Castell", "Paul Ndiaye"}
    assert len(asked(llm)) == 2 and len(asked(llm, "cover")) == 1  # merged before any request


def test_cover_request_sees_every_story_and_groups_come_from_it(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 3)

    def grouped(request):
        if kind(request) != "cover":
            return None
        cover = schema_instance_for(request.body)
        cover["groups"] = [{"name": "Eastern region", "stories": [3, 1]}, {"name": "Trade", "stories": [2]}]
        cover["top_lines"] = [{"line": "Story three matters most today.", "stories": [3]}]
        return Reply(content=json.dumps(cover))

    llm.respond = grouped
    result = run_digest(cli, llm, tmp_path / "in", "--title", "Morning <brief>", "--date", "2026-03-04")
    assert result.exit_code == 0, result.stderr
    prompt = body_text(asked(llm, "cover")[0])
    assert all(f"[{n}]" in prompt for n in (1, 2, 3))
    md = result.stdout
    assert md.startswith("# Morning &lt;brief&gt; — 2026-03-04")
    contents = md.split("## Contents")[1].split("---")[0]
    assert contents.index("**Eastern region**") < contents.index("**Trade**")
    # Renumbered in reading order: old story 3 is now 1, and the top line follows it.
    assert "1. Story three matters most today. [1](#story-1)" in md
    assert md.index('<a id="story-1"></a>') < md.index('<a id="story-3"></a>')
    assert "## Top risks" in md and "## What to watch today" in md


def test_render_re_renders_a_saved_digest_without_requests(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert (
        run_digest(
            cli, llm, tmp_path / "in", "-f", "md", "-f", "json", "-f", "html", "-o", f"{out}/", "--date", "2026-03-04"
        ).exit_code
        == 0
    )
    before = len(llm.requests)
    rendered = cli("render", out / "daily-brief-2026-03-04.json", "-f", "md")
    assert rendered.exit_code == 0, rendered.stderr
    assert rendered.stdout == (out / "daily-brief-2026-03-04.md").read_text()
    html = cli("render", out / "daily-brief-2026-03-04.json", "-f", "html").stdout
    assert html == (out / "daily-brief-2026-03-04.html").read_text()
    assert "Content-Security-Policy" in html and "<script" not in html
    assert len(llm.requests) == before


# URLs and feeds ------------------------------------------------------------------------------------


def _site(web):
    pages = {}
    for name, outlet in (("a", "Harbour Times"), ("b", "Coastal Courier")):
        html = (FIXTURES / "wire-outlet-a.html").read_text()
        body = make_article(10 if name == "a" else 11).split("\n", 1)[1]
        paragraphs = "".join(f"<p>{s}.</p>" for s in body.strip().rstrip(".").split(". "))
        start, end = html.index("<p>Negotiators"), html.index("<script>document.write")
        pages[f"/{name}.html"] = Page(
            html[:start] + paragraphs + html[end:].replace("Harbour Times", outlet).replace("Harbour Times", outlet)
        )
    pages["/c.html"] = Page((FIXTURES / "wire-outlet-b.html").read_text())
    web.pages.update(pages)
    web.pages["/feed.xml"] = Page(
        f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Desk</title>
<item><title>Story A</title><link>{web.url("/a.html")}</link><pubDate>Wed, 04 Mar 2026 06:00:00 GMT</pubDate></item>
<item><title>Story B</title><link>/b.html</link><pubDate>Tue, 03 Mar 2026 06:00:00 GMT</pubDate></item>
</channel></rss>""",
        "application/rss+xml",
    )


def test_a_feed_and_pages_on_loopback_become_stories_of_their_text(cli, llm, web, tmp_path):
    _site(web)
    result = run_digest(
        cli, llm, web.url("/feed.xml"), web.url("/c.html"), "--allow-private", "-f", "json", "-o", tmp_path / "d.json"
    )
    assert result.exit_code == 0, result.stderr
    digest = json.loads((tmp_path / "d.json").read_text())
    sources = {s["sources"][0]["source"]: s for s in digest["stories"]}
    assert set(sources) == {web.url("/a.html"), web.url("/b.html"), web.url("/c.html")}
    assert marker(10) in sources[web.url("/a.html")]["result"]["article"]["text"]
    assert marker(11) in sources[web.url("/b.html")]["result"]["article"]["text"]
    assert "We tried every formula" in sources[web.url("/c.html")]["result"]["article"]["text"]
    assert sources[web.url("/c.html")]["sources"][0]["outlet"] == "Coastal Courier"
    assert sources[web.url("/a.html")]["sources"][0]["published"] == "2026-03-04"
    sent = " ".join(body_text(r) for r in llm.chat_requests) + json.dumps(digest)
    for token in ("NAVTOKEN", "SCRIPTTOKEN", "HIDDENTOKEN", "COOKIETOKEN", "FOOTERTOKEN"):
        assert token not in sent


def test_without_allow_private_loopback_urls_are_refused(cli, llm, web, tmp_path):
    _site(web)
    result = run_digest(cli, llm, web.url("/feed.xml"), web.url("/c.html"), "-o", tmp_path / "d.md")
    assert result.exit_code == 1
    assert result.stderr.count("refused: 127.0.0.1 is a loopback address") == 2
    assert "--allow-private" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "error: all 2 input(s) failed; no digest written"
    assert web.requests == [] and llm.requests == []
    assert not (tmp_path / "d.md").exists()


def test_feed_since_and_limit(cli, llm, web, tmp_path):
    _site(web)
    common = [web.url("/feed.xml"), "--allow-private", "-f", "json", "-o", tmp_path / "d.json", "--force"]
    assert run_digest(cli, llm, *common, "--limit", "1").exit_code == 0
    assert [s["sources"][0]["source"] for s in json.loads((tmp_path / "d.json").read_text())["stories"]] == [
        web.url("/a.html")
    ]
    assert run_digest(cli, llm, *common, "--since", "2026-03-03T12:00:00+00:00").exit_code == 0
    assert len(json.loads((tmp_path / "d.json").read_text())["stories"]) == 1


# What changed, and runs that stop ----------------------------------------------------------------


def test_previous_digest_gives_new_dropped_and_moved_risks(cli, llm, tmp_path):
    def escalating(request):
        if kind(request) != "briefing" or marker(2) not in body_text(request):
            return None
        answer = schema_instance_for(request.body)
        for i, risk in enumerate(answer["risks"]):  # the same risks on both days, graver on the second
            risk["title"] = f"Border clash number {i + 1}"
            if "ESCALATION-NOTE" in body_text(request):
                risk.update(likelihood="almost certain", impact="severe")
        return Reply(content=json.dumps(answer))

    llm.respond = escalating
    day1, day2 = tmp_path / "day1", tmp_path / "day2"
    write_articles(day1, 3)  # articles 0, 1, 2
    day2.mkdir()
    (day2 / "same.txt").write_text(make_article(1))
    (day2 / "update.txt").write_text(
        make_article(2, extra="ESCALATION-NOTE: the ministry confirmed new troop movements overnight.")
    )
    (day2 / "new.txt").write_text(make_article(3))
    assert run_digest(cli, llm, day1, "-f", "json", "-o", tmp_path / "d1.json", "--date", "2026-03-03").exit_code == 0
    result = run_digest(
        cli,
        llm,
        day2,
        "-f",
        "json",
        "-f",
        "md",
        "-o",
        f"{tmp_path}/d2/",
        "--date",
        "2026-03-04",
        "--previous",
        tmp_path / "d1.json",
    )
    assert result.exit_code == 0, result.stderr
    digest = json.loads((tmp_path / "d2" / "daily-brief-2026-03-04.json").read_text())
    number = {s["sources"][0]["source"].rsplit("/", 1)[-1]: s["number"] for s in digest["stories"]}
    changes = digest["changes"]
    assert changes["previous_date"] == "2026-03-03"
    assert changes["new"] == [number["new.txt"]]
    assert sorted(changes["continuing"]) == sorted([number["same.txt"], number["update.txt"]])
    assert [d["sources"] for d in changes["dropped"]] == [[str(day1 / "art-000.txt")]]
    assert {c["story"] for c in changes["risks_rose"]} == {number["update.txt"]}
    assert "almost certain, severe impact" in changes["risks_rose"][0]["after"]
    assert changes["risks_fell"] == []
    md = (tmp_path / "d2" / "daily-brief-2026-03-04.md").read_text()
    assert "## What changed since the last brief" in md and "**Risk rose:**" in md and "**Dropped out:**" in md


def test_previous_must_be_a_saved_digest(cli, llm, tmp_path, seed):
    bad = tmp_path / "b.json"
    bad.write_text('{"kind": "briefing"}')
    result = run_digest(cli, llm, seed, "--previous", bad)
    assert result.exit_code == 1 and "is not a digest saved with -f json" in result.stderr
    assert llm.requests == []


def test_all_inputs_failing_exits_1_and_writes_nothing(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 2)
    llm.respond = lambda r: Reply(status=400, body={"error": {"message": "bad request"}})
    result = run_digest(cli, llm, tmp_path / "in", tmp_path / "missing.txt", "-o", tmp_path / "d.md")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert [line.startswith("failed: ") for line in lines[-4:]] == [True, True, True, False]
    assert lines[-1] == "error: all 3 input(s) failed; no digest written"
    assert "Traceback" not in result.stderr and not (tmp_path / "d.md").exists()
    assert len(asked(llm)) == 2 and asked(llm, "cover") == []


def test_no_inputs_is_a_one_line_error(cli, llm, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_digest(cli, llm, tmp_path / "empty")
    assert result.exit_code == 1 and "no .txt, .md or .html files" in result.stderr
    assert llm.requests == []


def test_insufficient_quota_stops_the_digest_at_once(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 6)
    llm.respond = lambda r: Reply(
        status=429, body={"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}
    )
    result = run_digest(cli, llm, tmp_path / "in", "-j", "1", "-o", tmp_path / "d.md")
    assert result.exit_code == 1
    assert len(llm.chat_requests) == 1
    assert "out of quota" in result.stderr and "stopped at once" in result.stderr
    assert not (tmp_path / "d.md").exists()

    llm.requests.clear()
    result = run_digest(cli, llm, tmp_path / "in", "-j", "3", "-o", tmp_path / "d.md")
    assert result.exit_code == 1 and 1 <= len(llm.chat_requests) <= 3  # at most what was already in flight


def test_fifty_articles_at_concurrency_10_keep_ten_requests_in_flight(cli, tmp_path):
    """The endpoint is kept busy: ten briefings in flight at once, then one cover request.

    How close the wall time comes to the ideal (50 x 0.3 s / 10) is a benchmark, not a test:
    bench/bench_digest.py measures and prints it.
    """
    write_articles(tmp_path / "in", 50)
    with LLMServer(latency=0.3) as llm:
        result = cli(
            "digest", tmp_path / "in", "--base-url", llm.url, "-j", "10", "-f", "json", "-o", tmp_path / "d.json"
        )
    assert result.exit_code == 0, result.stderr
    assert len(llm.chat_requests) == 51
    assert llm.max_in_flight == 10


# Inputs from stdin, progress, dry run ------------------------------------------------------------


def test_a_list_on_stdin_and_plain_progress_lines(cli, llm, tmp_path):
    paths = write_articles(tmp_path / "in", 2)
    listing = f"{paths[0]}\n# skipped comment\n{paths[1]}\n{tmp_path / 'gone.txt'}\n"
    result = cli("digest", "-", "--base-url", llm.url, "-o", tmp_path / "d.md", input=listing)
    assert result.exit_code == 3, result.stderr
    assert "briefing: input 1/3" in result.stderr or "briefing: input 1/" in result.stderr
    assert "briefed:" in result.stderr and "gone.txt: no such file or folder" in result.stderr
    assert "\x1b[" not in result.stderr  # no terminal codes when stderr is not a terminal


def test_dry_run_shows_stories_and_cache_state_and_requests_nothing(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 2)
    (tmp_path / "in" / "copy.txt").write_text(make_article(0))
    assert run_digest(cli, llm, tmp_path / "in" / "art-000.txt", "-o", tmp_path / "d.md").exit_code == 0
    before = len(llm.requests)
    result = run_digest(cli, llm, tmp_path / "in", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert len(llm.requests) == before
    assert "[cached]" in result.stdout and "[to request]" in result.stdout
    assert "2 stories, 1 cached, 1 briefing request(s) + 1 cover request" in result.stdout


def test_rich_progress_draws_bars_and_failures_on_a_terminal():
    import io

    from rich.console import Console

    from briefing.progress import RichProgress

    stream = io.StringIO()
    progress = RichProgress(Console(file=stream, force_terminal=True, width=100))
    progress.add_inputs(2)
    progress.input_done("a.txt")
    progress.input_done("b[1].txt", error="b[1].txt: no such file")
    progress.add_stories(1)
    progress.story_done("A story", cached=True)
    progress.close()
    out = stream.getvalue()
    assert "Inputs (1 failed)" in out and "Briefings done" in out and "1 from cache" in out
    assert "failed: \x1b[0mb[1].txt" in out  # brackets are text, not rich markup


def test_html_and_markdown_keep_article_text_inert(cli, llm, tmp_path):
    (tmp_path / "in").mkdir()
    body = make_article(5).split("\n", 1)[1]
    (tmp_path / "in" / "x.txt").write_text(
        '<img src=x onerror="alert(1)"> Headline [link](javascript:alert(2))\n\n<script>alert(3)</script> ' + body
    )
    html = run_digest(cli, llm, tmp_path / "in", "-f", "html").stdout
    assert "<img" not in html and "<script>" not in html and "&lt;img src=x" in html
    md = run_digest(cli, llm, tmp_path / "in").stdout
    assert "<img" not in md and "<script>" not in md and "[link](javascript:" not in md  # brackets escaped


def test_the_config_template_for_briefings_does_not_leak_into_digests(cli, llm, tmp_path, isolated_env):
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "config.toml").write_text('[defaults]\ntemplate = "briefing"\n')
    write_articles(tmp_path / "in", 1)
    result = run_digest(cli, llm, tmp_path / "in")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Daily brief")


def test_a_fully_cached_digest_never_opens_the_endpoint(cli, llm, tmp_path):
    import pytest

    from briefing.cache import Cache
    from briefing.digest.build import DigestPlan, request_digest
    from briefing.digest.cover import COVER_PROMPT
    from briefing.digest.dedupe import build_stories
    from briefing.ingest.inputs import load_inputs
    from briefing.prompts import PromptSet
    from briefing.settings import load_settings

    write_articles(tmp_path / "in", 3)
    assert run_digest(cli, llm, tmp_path / "in", "-o", tmp_path / "d.md", "--date", "2026-03-04").exit_code == 0
    settings = load_settings({"base_url": llm.url})
    plan = DigestPlan(
        title="Daily brief", date="2026-03-04", stories=build_stories(load_inputs([str(tmp_path / "in")]).articles)
    )
    prompts = settings.prompt_search_path()
    digest = request_digest(
        plan,
        lambda: pytest.fail("the endpoint was opened"),
        PromptSet("policy", *prompts),
        PromptSet(COVER_PROMPT, *prompts),
        settings=settings,
        cache=Cache(settings.cache_dir / "results"),
        concurrency=4,
    )
    assert len(digest.stories) == 3 and all(s.cached for s in digest.stories) and digest.usage.requests == 0


def test_strict_leaves_out_unverified_stories_but_keeps_their_results(cli, llm, tmp_path):
    write_articles(tmp_path / "in", 1)
    (tmp_path / "in" / "vague.txt").write_text(
        "Vague note\n\nsomething happened somewhere. nobody is named here at all.\n"
    )
    args = [tmp_path / "in", "-f", "json", "-o", tmp_path / "d.json", "--force"]
    strict = run_digest(cli, llm, *args, "--strict")
    assert strict.exit_code == 3, strict.stderr
    saved = json.loads((tmp_path / "d.json").read_text())
    assert len(saved["stories"]) == 1 and "--strict" in saved["failures"][0]["error"]
    before = len(llm.chat_requests)
    lenient = run_digest(cli, llm, *args)
    assert lenient.exit_code == 0
    assert [kind(r) for r in llm.chat_requests[before:]] == ["cover"]  # both briefings came from the cache
