"""Three digests on three days into one archive (loopback model): stories keep their ids, new and
dropped stories are named, and a judgment the model moves on day 3 is listed with the new sentences
that moved it, in the cover and the story's section of every format."""

from __future__ import annotations

import json
import re
import sqlite3

from tests.articles import make_article, marker
from tests.llm_server import Reply, schema_instance_for

DAY3 = "DAY3-NOTE: officials said the talks collapsed and tensions rose along the border overnight."


def kind(request) -> str:
    return request.body["response_format"]["json_schema"]["name"]


def moving_judgment(request):
    """On day 3 the story with the note gets a 'very likely' judgment citing the new sentence."""
    text = json.dumps(request.body, ensure_ascii=False)
    if kind(request) == "briefing" and marker(1) in text and "DAY3-NOTE" not in text:
        # Story b's risk is watched for the very event day 3 reports.
        answer = schema_instance_for(request.body)
        answer["risks"][0]["indicators"] = ["Officials report that tensions rose along the border"]
        return Reply(content=json.dumps(answer))
    if kind(request) != "briefing" or "DAY3-NOTE" not in text:
        return None
    answer = schema_instance_for(request.body)
    prompt = request.body["messages"][-1]["content"]
    new = int(re.search(r"\[S(\d+)\] DAY3-NOTE", prompt).group(1))
    for judgment in answer["key_judgments"]:
        judgment.update(likelihood="very likely", confidence="moderate", evidence=[new])
    return Reply(content=json.dumps(answer))


def write_day(folder, articles: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for name, text in articles.items():
        (folder / name).write_text(text)


def run_day(cli, llm, folder, day, out, *more):
    result = cli("digest", folder, "--base-url", llm.url, "--date", day, "-f", "json", "-f", "md", "-f", "html",
                 "-o", f"{out}/", *more)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [stem] = [p.with_suffix("") for p in out.glob(f"*-{day}.json")]
    return json.loads(stem.with_suffix(".json").read_text()), stem, result.stderr


def by_file(digest) -> dict[str, dict]:
    return {s["sources"][0]["source"].rsplit("/", 1)[-1]: s for s in digest["stories"]}


def test_three_days_track_stories_and_a_moved_judgment(cli, llm, tmp_path, isolated_env):
    llm.respond = moving_judgment
    write_day(tmp_path / "d1", {"a.txt": make_article(0), "b.txt": make_article(1), "c.txt": make_article(2)})
    write_day(tmp_path / "d2", {"a.txt": make_article(0), "b.txt": make_article(1), "d.txt": make_article(3)})
    write_day(
        tmp_path / "d3", {"a.txt": make_article(0), "b.txt": make_article(1, extra=DAY3), "d.txt": make_article(3)}
    )
    out = tmp_path / "out"

    one, _, err1 = run_day(cli, llm, tmp_path / "d1", "2026-03-02", out)
    assert one["changes"] is None and "archived as archive:d1" in err1
    two, _, err2 = run_day(cli, llm, tmp_path / "d2", "2026-03-03", out)
    three, stem, err3 = run_day(cli, llm, tmp_path / "d3", "2026-03-04", out)

    ids = [{name: s["archive_id"] for name, s in by_file(d).items()} for d in (one, two, three)]
    assert ids[0]["a.txt"] == ids[1]["a.txt"] == ids[2]["a.txt"]
    assert ids[0]["b.txt"] == ids[1]["b.txt"] == ids[2]["b.txt"]
    assert ids[1]["d.txt"] == ids[2]["d.txt"] and ids[1]["d.txt"] not in ids[0].values()
    assert len(set(ids[0].values())) == 3

    changes = two["changes"]
    assert changes["compared_with"] == "archive:d1" and "compared with 'Daily brief' of 2026-03-02 (archive:d1)" in err2
    numbers = {name: s["number"] for name, s in by_file(two).items()}
    assert changes["new"] == [numbers["d.txt"]]
    assert sorted(changes["continuing"]) == sorted([numbers["a.txt"], numbers["b.txt"]])
    assert [d["sources"] for d in changes["dropped"]] == [[str(tmp_path / "d1" / "c.txt")]]

    changes = three["changes"]
    assert changes["compared_with"] == "archive:d2" and changes["previous_date"] == "2026-03-03"
    b = by_file(three)["b.txt"]
    moved = {c["story"]: c for c in changes["stories"]}[b["number"]]
    new_sentence = next(i for i, s in enumerate(b["result"]["article"]["sentences"], 1) if "DAY3-NOTE" in s)
    assert moved["judgments_moved"], moved
    shift = moved["judgments_moved"][0]
    assert (shift["likelihood_before"], shift["likelihood_after"]) == ("almost no chance", "very likely")
    assert shift["sentences"] == [new_sentence]
    assert any(i["sentences"] == [new_sentence] for i in moved["indicators_seen"])
    quiet = {c["story"]: c for c in changes["stories"]}[by_file(three)["a.txt"]["number"]]
    assert not quiet["judgments_moved"] and not quiet["indicators_seen"]

    md, html = stem.with_suffix(".md").read_text(), stem.with_suffix(".html").read_text()
    for text in (md, html):
        assert "Judgment moved" in text and "Indicator seen" in text and "Since the last brief" in text
        assert "archive:d2" in text and ids[2]["b.txt"] in text
    section = md.split(f'<a id="story-{b["number"]}"></a>')[1].split("### ")[0]
    assert "**Judgment moved:**" in section and f"[S{new_sentence}]" in section and "very likely" in section

    db = sqlite3.connect(isolated_env / "archive.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r[0] for r in db.execute("SELECT date FROM digests ORDER BY date")] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
    ]
    story_days = db.execute("SELECT count(*) FROM digest_stories WHERE story_id = ?", (ids[0]["b.txt"],)).fetchone()
    assert story_days[0] == 3

    timeline = json.loads(cli("history", "story", ids[2]["b.txt"], "-f", "json").stdout)
    assert [d["date"] for d in timeline["days"]] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert [d["status"] for d in timeline["days"]] == ["", "continuing", "continuing"]
    assert timeline["days"][2]["change"]["judgments_moved"][0]["likelihood_after"] == "very likely"
    for fmt in ("md", "html"):
        shown = cli("history", "story", ids[2]["b.txt"], "-f", fmt)
        assert shown.exit_code == 0 and "Judgment moved" in shown.stdout and "archive:d3" in shown.stdout
    assert "Judgment moved" in cli("render", "archive:d3", "-f", "md").stdout


def test_a_story_that_returns_after_a_quiet_day_keeps_its_id_and_previous_file_wins(cli, llm, tmp_path):
    write_day(tmp_path / "d1", {"a.txt": make_article(0), "b.txt": make_article(1)})
    write_day(tmp_path / "d2", {"a.txt": make_article(0)})
    write_day(tmp_path / "d3", {"a.txt": make_article(0), "b.txt": make_article(1, extra="A later update.")})
    out = tmp_path / "out"
    one, _, _ = run_day(cli, llm, tmp_path / "d1", "2026-03-02", out)
    two, _, _ = run_day(cli, llm, tmp_path / "d2", "2026-03-03", out)
    assert [d["title"] for d in two["changes"]["dropped"]] == [by_file(one)["b.txt"]["result"]["briefing"]["title"]]
    three, _, err = run_day(cli, llm, tmp_path / "d3", "2026-03-04", out)
    b = by_file(three)["b.txt"]
    assert three["changes"]["new"] == [b["number"]]  # new since yesterday's brief...
    assert b["archive_id"] == by_file(one)["b.txt"]["archive_id"]  # ...but the same story as on day 1

    saved = out / "daily-brief-2026-03-02.json"
    again, _, err = run_day(cli, llm, tmp_path / "d3", "2026-03-05", out, "--previous", saved, "--no-archive")
    assert again["changes"]["compared_with"] == str(saved) and f"({saved})" in err
    assert again["changes"]["continuing"] and not again["changes"]["new"]
    assert "archived as" not in err
    later, _, _ = run_day(cli, llm, tmp_path / "d3", "2026-03-06", out, "--title", "Other desk")
    assert later["changes"] is None  # no earlier digest of that title
