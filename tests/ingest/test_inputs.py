"""expand_inputs() and load_inputs(): files, folders, globs, '-' lists and URLs -> articles and failures."""

from __future__ import annotations

import io
import shutil

from briefing.ingest.fetch import FetchPolicy
from briefing.ingest.inputs import expand_inputs, load_inputs
from tests.articles import make_article
from tests.conftest import FIXTURES
from tests.web_server import Page


def _tree(tmp_path):
    (tmp_path / "day/sub/deeper").mkdir(parents=True)
    (tmp_path / "day/.drafts").mkdir()
    for name in (
        "day/b.txt",
        "day/a.md",
        "day/sub/c.html",
        "day/sub/deeper/d.htm",
        "day/.drafts/x.txt",
        "day/.hidden.txt",
        "day/notes.docx",
        "day/sub/e.TXT",
    ):
        (tmp_path / name).write_text("x")
    return tmp_path / "day"


def test_folders_are_searched_recursively_for_articles_only(tmp_path):
    day = _tree(tmp_path)
    items, failures = expand_inputs([str(day)])
    assert [p.removeprefix(str(day) + "/") for p in items] == [
        "a.md",
        "b.txt",
        "sub/c.html",
        "sub/deeper/d.htm",
        "sub/e.TXT",
    ]
    assert failures == []


def test_globs_urls_repeats_and_missing_inputs(tmp_path):
    day = _tree(tmp_path)
    items, failures = expand_inputs(
        [
            f"{day}/**/*.htm*",
            str(day / "b.txt"),
            str(day / "b.txt"),
            "https://news.example/a",
            "ftp://x/y",
            str(day / "nope.txt"),
            f"{day}/*.pdf",
        ]
    )
    assert items == [
        str(day / "sub/c.html"),
        str(day / "sub/deeper/d.htm"),
        str(day / "b.txt"),
        "https://news.example/a",
    ]
    assert [(f.source.rsplit("/", 1)[-1], f.error.rsplit(": ", 1)[-1]) for f in failures] == [
        ("y", "only http and https URLs are fetched"),
        ("nope.txt", "no such file or folder"),
        ("*.pdf", "no file matches"),
    ]


def test_a_list_on_stdin(tmp_path):
    day = _tree(tmp_path)
    listing = f"# today's reading\n{day / 'a.md'}\n\n  {day / 'sub'}  \nhttps://news.example/b\n"
    items, failures = expand_inputs(["-"], stdin=io.StringIO(listing))
    assert items == [
        str(day / "a.md"),
        str(day / "sub/c.html"),
        str(day / "sub/deeper/d.htm"),
        str(day / "sub/e.TXT"),
        "https://news.example/b",
    ]
    assert failures == []


def test_an_empty_folder_is_a_failure(tmp_path):
    (tmp_path / "empty").mkdir()
    items, failures = expand_inputs([str(tmp_path / "empty")])
    assert items == [] and "no .txt, .md or .html files" in failures[0].error


def test_loading_mixes_text_html_and_failures_in_input_order(tmp_path):
    (tmp_path / "1.txt").write_text(make_article(1))
    shutil.copy(FIXTURES / "wire-outlet-a.html", tmp_path / "2.html")
    (tmp_path / "3.txt").write_bytes(b"%PDF-1.7 binary")
    (tmp_path / "4.md").write_text("# A Markdown headline\n\n" + make_article(4).split("\n", 1)[1])
    loaded = load_inputs([str(tmp_path)])
    assert [a.source.rsplit("/", 1)[-1] for a in loaded.articles] == ["1.txt", "2.html", "4.md"]
    assert loaded.articles[1].outlet == "Harbour Times"
    assert loaded.articles[2].title == "A Markdown headline"
    assert len(loaded.failures) == 1 and "PDF" in loaded.failures[0].error


def test_a_local_feed_file_brings_its_entries(tmp_path, web):
    body = (
        "<html><body><article>"
        + "".join(f"<p>{s}</p>" for s in make_article(7).split("\n")[1].split(". "))
        + "</article></body></html>"
    )
    web.pages["/seven"] = Page(body)
    feed = tmp_path / "desk.xml"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Seven</title><link>{web.url("/seven")}</link><pubDate>Wed, 04 Mar 2026 06:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{web.url("/gone")}</link></item>
</channel></rss>""")
    loaded = load_inputs([str(feed)], policy=FetchPolicy(allow_private=True))
    assert [a.title for a in loaded.articles] == ["Seven"]
    assert loaded.articles[0].outlet == "Desk" and loaded.articles[0].published == "2026-03-04"
    assert [f.source for f in loaded.failures] == [web.url("/gone")] and "HTTP 404" in loaded.failures[0].error


def test_unreadable_files_and_folders_are_failed_inputs(tmp_path, deny):
    # Issue 14, item 6: a file in a folder the user cannot enter stopped the digest with a
    # PermissionError traceback, and an unreadable folder read as "no .txt, .md or .html files".
    day = _tree(tmp_path)
    deny(day / "sub")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("x")
    deny(tmp_path / "locked")
    items, failures = expand_inputs([str(day), str(tmp_path / "locked" / "a.txt"), str(tmp_path / "locked")])
    assert items == [str(day / "a.md"), str(day / "b.txt")]
    assert [(f.source, f.error) for f in failures] == [
        (str(day / "sub"), "cannot read this folder: Permission denied"),
        (str(tmp_path / "locked" / "a.txt"), "permission denied (a folder on its path cannot be entered)"),
        (str(tmp_path / "locked"), "cannot read this folder: Permission denied"),
    ]


def test_named_pipes_are_read_like_files(tmp_path):
    # Issue 14, item 14: `digest <(cat a.txt)` and FIFOs said "no such file or folder".
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = make_article(1)
    writer = threading.Thread(target=lambda: fifo.write_text(text), daemon=True)
    writer.start()
    try:
        loaded = load_inputs([str(fifo)])
    finally:
        if writer.is_alive():  # never opened for reading: open it, so the writer ends
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    writer.join(5)
    assert not loaded.failures and loaded.articles[0].source == str(fifo)
    assert loaded.articles[0].text.split()[-3:] == text.split()[-3:]
