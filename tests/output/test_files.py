"""Output safety: file names from hostile titles, atomic writes, --force, leftovers of killed writers."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import OutputError
from briefing.output.files import MAX_STEM, MAX_STEM_BYTES, safe_filename, write_output
from tests.conftest import ROOT
from tests.llm_server import Reply, instance


@pytest.mark.parametrize(
    "title, name",
    [
        ("Talks collapse in Geneva", "talks-collapse-in-geneva.md"),
        ("../../etc/passwd", "etc-passwd.md"),
        ("/etc/passwd", "etc-passwd.md"),
        ("C:\\Windows\\System32\\drivers", "c-windows-system32-drivers.md"),
        ("~/.ssh/authorized_keys", "ssh-authorized-keys.md"),
        (".bashrc", "bashrc.md"),
        ("-rf --no-preserve-root", "rf-no-preserve-root.md"),
        ("CON", "briefing-con.md"),
        ("nul", "briefing-nul.md"),
        ("Lpt1", "briefing-lpt1.md"),
        ("COM9", "briefing-com9.md"),
        ("con.txt", "con-txt.md"),
        ("\u202etxt.exe\u202c Invoice", "txt-exe-invoice.md"),
        ("Evil\u202egpj.exe", "evilgpj-exe.md"),
        ("", "briefing.md"),
        ("../..", "briefing.md"),
        ("\x00\x1b[31m\u200b", "31m.md"),
        ("انهيار المحادثات في جنيف", "انهيار-المحادثات-في-جنيف.md"),
        ("השיחות בז'נבה קרסו", "השיחות-בז-נבה-קרסו.md"),
        ("日内瓦会谈破裂", "日内瓦会谈破裂.md"),
        ("नमस्ते दुनिया", "नमस्ते-दुनिया.md"),
        ("Ｆｕｌｌｗｉｄｔｈ　ＴＩＴＬＥ", "fullwidth-title.md"),
    ],
)
def test_safe_filename(title, name):
    assert safe_filename(title, "md") == name


def test_very_long_titles_are_cut_in_characters_and_bytes():
    assert safe_filename("word " * 500, "html") == "-".join(["word"] * 16) + ".html"
    cjk = safe_filename("会" * 500, "html")
    assert len(cjk.encode()) <= MAX_STEM_BYTES + len(".html")
    assert len(safe_filename("𐌰" * 500, "md").encode()) <= MAX_STEM_BYTES + 3  # four bytes a letter


def _check_name(name: str, suffix: str) -> None:
    stem, dot, ext = name.rpartition(".")
    assert dot and ext == suffix and stem
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith((".", "-"))
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)
    assert stem not in {"con", "prn", "aux", "nul", "com1", "lpt1"}
    assert len(stem) <= MAX_STEM + len("briefing-") and len(name.encode()) <= MAX_STEM_BYTES + 20
    joined = os.path.normpath(os.path.join("/out", name))
    assert os.path.dirname(joined) == "/out" and os.path.basename(joined) == name


_HOSTILE = st.sampled_from(
    [
        "..",
        "/",
        "\\",
        ".",
        "CON",
        "nul",
        "\u202e",
        "\u202d",
        "\u200f",
        "\x00",
        "\n",
        " ",
        "~",
        "-",
        "_",
        ":",
        "*",
        "?",
        "会",
        "ب",
        "\u0301",
        "𐌰",
        "C:",
        "%2e%2e%2f",
        "\ufeff",
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(st.text(max_size=300), st.lists(_HOSTILE | st.text(max_size=3), max_size=60).map("".join)),
    st.sampled_from(["md", "html", "json", "pdf"]),
)
def test_any_title_gives_a_harmless_name_inside_the_folder(title, suffix):
    name = safe_filename(title, suffix)
    _check_name(name, suffix)
    assert safe_filename(name.rpartition(".")[0], suffix) == name  # a safe name stays itself


# Writing ------------------------------------------------------------------------------------------


def test_existing_file_is_kept_unless_force(tmp_path):
    path = tmp_path / "b.md"
    path.write_text("precious")
    with pytest.raises(OutputError, match="exists; use --force"):
        write_output("new", path)
    assert path.read_text() == "precious"
    write_output("new", path, force=True)
    assert path.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "b.md"
    path.write_text("old")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_output("new", path, force=True)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.md"]


def test_temp_files_of_killed_writers_are_swept_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = tmp_path / "brief.md"
    left = tmp_path / f".brief.md.{dead.pid}.abc123.tmp"
    live = tmp_path / f".brief.md.{os.getppid()}.def456.tmp"  # our parent is alive: its write may be under way
    other = tmp_path / f".other.md.{dead.pid}.ghi789.tmp"
    for p in (left, live, other):
        p.write_text("half a fi")
    write_output("whole", path)
    assert path.read_text() == "whole"
    assert not left.exists() and live.exists() and other.exists()


def test_devices_and_links_are_written_through_never_replaced(tmp_path):
    write_output("gone", Path(os.devnull))
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    with pytest.raises(OutputError, match="cannot write /dev/full: No space left on device"):
        write_output("x" * 100_000, Path("/dev/full"), force=True)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    target = tmp_path / "2026-03-04.md"
    target.write_text("old")
    link = tmp_path / "latest.md"
    link.symlink_to(target.name)
    with pytest.raises(OutputError, match="exists"):
        write_output("new", link)
    write_output("new", link, force=True)
    assert link.is_symlink() and target.read_text() == "new"


def test_a_writer_killed_at_any_moment_leaves_a_whole_file_and_the_next_write_cleans_up(tmp_path):
    path = tmp_path / "brief.md"
    writer = (
        "import sys\nfrom pathlib import Path\nfrom briefing.output.files import write_output\n"
        "for i in range(10**6):\n    write_output(str(i % 10) * 1_000_000, Path(sys.argv[1]), force=True)\n"
    )
    for delay in (0.3, 0.4, 0.5):
        process = subprocess.Popen(
            [sys.executable, "-c", writer, str(path)], env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if path.exists():
            text = path.read_text()
            assert len(text) == 1_000_000 and len(set(text)) == 1  # one whole version, never a mix
    write_output("final", path, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


# On the command line -----------------------------------------------------------------------------


def titled(title: str):
    """A server whose briefing carries `title` (whatever an injected or confused model would write)."""

    def respond(request):
        schema = request.body["response_format"]["json_schema"]["schema"]
        data = instance(schema, schema["$defs"])
        data["title"] = title
        return Reply(content=json.dumps(data, ensure_ascii=False))

    return respond


@pytest.mark.parametrize(
    "title, name",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/tmp/x/../../root/.bashrc", "tmp-x-root-bashrc"),
        ("CON", "briefing-con"),
        ("\u202efdp.exe", "fdp-exe"),
        ("x" * 120, "x" * MAX_STEM),
    ],
)
def test_hostile_titles_land_inside_the_output_folder(cli, llm, seed, tmp_path, title, name):
    llm.respond = titled(title)
    out = tmp_path / "out"
    result = cli("generate", seed, "-f", "md", "-f", "json", "-o", f"{out}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.json", f"{name}.md"]
    assert {p.name for p in tmp_path.iterdir()} - {"briefing-home"} == {"out"}


def test_an_arabic_briefing_gets_an_arabic_name_and_utf8_text(cli, llm, tmp_path):
    article = tmp_path / "arabic.txt"
    article.write_text(
        "انهيار المحادثات في جنيف\n\nانهارت المحادثات يوم الاثنين. هل ستستأنف؟ لا أحد يعرف.\n", encoding="utf-8"
    )
    llm.respond = titled("انهيار المحادثات في جنيف")
    out = tmp_path / "out"
    result = cli("generate", article, "-f", "md", "-f", "json", "-o", f"{out}/", "--base-url", llm.url)
    assert result.exit_code == 0, result.stderr
    stem = "انهيار-المحادثات-في-جنيف"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.json", f"{stem}.md"]
    assert (out / f"{stem}.md").read_bytes().decode("utf-8").startswith("# انهيار المحادثات في جنيف\n")
    saved = json.loads((out / f"{stem}.json").read_bytes().decode("utf-8"))
    assert saved["article"]["sentences"] == ["انهارت المحادثات يوم الاثنين.", "هل ستستأنف؟", "لا أحد يعرف."]


def test_a_taken_name_keeps_the_old_file_and_the_new_briefing(cli, llm, seed, tmp_path, isolated_env):
    out = tmp_path / "out"
    assert cli("generate", seed, "-o", f"{out}/", "--base-url", llm.url).exit_code == 0
    (written,) = out.iterdir()
    written.write_text("edited by hand")
    again = cli("generate", seed, "-o", f"{out}/", "--base-url", llm.url)
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1].startswith(f"error: {written} exists; use --force to replace it")
    assert written.read_text() == "edited by hand"
    (kept,) = (isolated_env / "unrendered").glob("*.json")
    assert f"briefing render {kept}" in again.stderr
    assert cli("render", kept, "-o", f"{tmp_path / 'other'}/").exit_code == 0
    assert len(llm.chat_requests) == 1  # the second run's briefing came from the cache


def test_an_existing_output_file_stops_the_run_before_any_request(cli, llm, seed, tmp_path):
    out = tmp_path / "b.md"
    out.write_text("precious")
    result = cli("generate", seed, "-o", out, "--base-url", llm.url)
    assert result.exit_code == 1 and result.stderr == f"error: {out} exists; use --force to replace it\n"
    assert out.read_text() == "precious" and llm.requests == []


def test_several_formats_into_one_file_is_a_usage_error(cli, llm, seed, tmp_path):
    result = cli("generate", seed, "-f", "md", "-f", "json", "-o", tmp_path / "b.md", "--base-url", llm.url)
    assert result.exit_code == 2 and "-o DIR" in result.stderr
    assert llm.requests == [] and not (tmp_path / "b.md").exists()


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_mode_the_umask_gives(tmp_path, umask, expected):
    # Issue 14, item 13: outputs were always 0600 (the temp file's mode), whatever the umask.
    old = os.umask(umask)
    try:
        write_output("new", tmp_path / "new.md")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == expected


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "kept.md"
    target.write_text("old")
    target.chmod(0o640)
    write_output("new", target, force=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new"


def test_a_name_taken_while_writing_is_never_replaced(tmp_path, monkeypatch):
    # Issue 14, item 14: a file created by another process after the check was overwritten (or the
    # new output lost); now the other file stays and the write fails with the usual message.
    from briefing.output import files

    target = tmp_path / "digest.md"
    real = files._sweep_leftovers

    def someone_else_writes(path):
        real(path)
        target.write_text("theirs")

    monkeypatch.setattr(files, "_sweep_leftovers", someone_else_writes)
    with pytest.raises(OutputError, match="exists; use --force"):
        write_output("ours", target)
    assert target.read_text() == "theirs" and [p.name for p in tmp_path.iterdir()] == ["digest.md"]


def test_with_no_cache_a_briefing_that_cannot_be_written_is_kept(cli, llm, seed, tmp_path, isolated_env, deny):
    # Issue 14, item 14: with --no-cache, a briefing whose output could not be written was lost.
    out = tmp_path / "out"
    out.mkdir()
    deny(out)
    result = cli("generate", seed, "-o", f"{out}/", "--base-url", llm.url, "--no-cache")
    assert result.exit_code == 1 and "cannot write" in result.stderr, result.stderr
    (kept,) = (isolated_env / "unrendered").glob("*.json")
    assert f"briefing render {kept}" in result.stderr
    assert not list(isolated_env.rglob("cache/**/*.json"))  # the kept file is the only copy
