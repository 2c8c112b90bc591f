"""The saved prompt prefix: keyed by everything it depends on; a lost speed-up, never a failed run."""

from __future__ import annotations

import socket

from briefing.llm.prefix import PrefixStore, prefix_key

IDENTITY = {"model": "abc", "runtime": "1.0", "n_ctx": 8192, "cache_types": "f16/f16"}


def test_the_key_changes_with_the_model_runtime_context_and_prompt():
    base = prefix_key(IDENTITY, "system")
    assert prefix_key(dict(IDENTITY), "system") == base
    for change in ({"model": "abd"}, {"runtime": "1.1"}, {"n_ctx": 4096}, {"cache_types": "q8_0/q8_0"}):
        assert prefix_key({**IDENTITY, **change}, "system") != base
    assert prefix_key(IDENTITY, "system.") != base


def test_an_unreachable_server_or_a_bad_file_never_fails_the_run(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    store = PrefixStore(f"http://127.0.0.1:{port}", tmp_path, IDENTITY, timeout=2)
    store.path(prefix_key(IDENTITY, "system")).write_bytes(b"garbage")
    assert store.prepare("system") == "failed"
    assert store.prepare("system") == "failed"  # tried once per process, then left alone
