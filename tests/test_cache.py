"""The content-addressed cache: keys, atomic writes, misses that never fail."""

from __future__ import annotations

import logging

from briefing.cache import Cache, build_key
from briefing.records import Usage


def test_round_trip_and_atomic_write(tmp_path):
    cache = Cache(tmp_path / "results")
    key = build_key("briefing", prompt="p", model="m")
    assert cache.load(key, Usage) is None
    cache.write(key, Usage(requests=3))
    assert cache.load(key, Usage) == Usage(requests=3)
    files = [p.name for p in (tmp_path / "results").rglob("*") if p.is_file()]
    assert files == [f"{key}.json"]  # no temp file left behind


def test_keys_change_with_every_part():
    base = dict(prompt="p", schema="s", model="m", endpoint="e", temperature=0.2, max_tokens=3000)
    key = build_key("briefing", **base)
    assert key == build_key("briefing", **dict(reversed(list(base.items()))))  # order does not matter
    assert key != build_key("cover", **base)
    for name, other in [
        ("prompt", "p2"),
        ("schema", "s2"),
        ("model", "m2"),
        ("endpoint", "e2"),
        ("temperature", 0.3),
        ("max_tokens", 2000),
    ]:
        assert key != build_key("briefing", **{**base, name: other}), name


def test_corrupt_or_outdated_entries_are_misses(tmp_path):
    cache = Cache(tmp_path)
    for content in (b"{not json", b'{"requests": "many"}', b'{"requests": 1, "surprise": 2}'):
        cache.path("k" * 64).parent.mkdir(parents=True, exist_ok=True)
        cache.path("k" * 64).write_bytes(content)
        assert cache.load("k" * 64, Usage) is None


def test_disabled_cache_neither_reads_nor_writes(tmp_path):
    Cache(tmp_path).write("a" * 64, Usage(requests=1))
    off = Cache(tmp_path, enabled=False)
    assert off.load("a" * 64, Usage) is None
    off.write("b" * 64, Usage(requests=2))
    assert not off.path("b" * 64).exists()


def test_unwritable_cache_warns_once_and_goes_on(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker / "results")
    with caplog.at_level(logging.WARNING):
        cache.write("a" * 64, Usage())
        cache.write("b" * 64, Usage())
    assert len([r for r in caplog.records if "cannot write the cache" in r.message]) == 1
