"""PrefixStore: the fixed part of the prompt, processed once and kept across processes.   [disk, net]

Every briefing request starts with the same system prompt (rules, worked example, field guide):
about 1,800 tokens that the embedded model would process again in every new `generate` process.
llama.cpp's server can save a slot's cache to a file and restore it (`/slots/0?action=save|restore`,
enabled by `slot_save_path`). So the first process renders the system prompt through the server's
own chat template (`/apply-template`), has the server process just that prefix (`/completion`
with `n_predict: 0`), saves the slot, and every later process restores it before its first request:
the server then reuses the common prefix and processes only the article.

The file is keyed by everything its contents depend on: the model file's SHA-256, the runtime's
version, the context size and KV cache types, and the rendered system prompt. A file of another key
is never looked at; one that does not restore (corrupt, truncated, another runtime's format) is
deleted with one debug line and rebuilt. Nothing is trusted blindly: restoring only fills the cache,
and llama.cpp reuses it only for the tokens that match the new prompt exactly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)

KEEP = 4  # prefix files kept per folder (one per prompt in use); older ones are removed
_MARK = "\u2063BRIEFING-USER-CONTENT\u2063"


def prefix_key(identity: dict[str, object], system_text: str) -> str:
    """The file key: a digest of the model, runtime and cache settings, and the system prompt."""
    blob = json.dumps({**identity, "system": system_text}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


class PrefixStore:
    """Restore (or build and save) the embedded server's cache of a system prompt, once per process."""

    def __init__(self, root_url: str, folder: Path, identity: dict[str, object], *, timeout: float = 600.0) -> None:
        self.root_url = root_url.rstrip("/")
        self.folder = folder
        self.identity = identity
        self.timeout = timeout
        self.ready: set[str] = set()
        self.outcome: dict[str, str] = {}  # key -> "restored" | "saved" | "failed" (bench and tests read it)

    def prepare(self, system_text: str) -> str:
        """Make the server's slot hold `system_text`'s prefix; returns what happened (never raises)."""
        key = prefix_key(self.identity, system_text)
        if key in self.ready:
            return self.outcome.get(key, "ready")
        self.ready.add(key)
        try:
            outcome = self._restore(key) or self._build(key, system_text)
        except Exception as exc:  # noqa: BLE001 - a lost speed-up, never a failed run
            log.debug("prompt prefix cache unavailable: %s", exc)
            outcome = "failed"
        self.outcome[key] = outcome
        return outcome

    def path(self, key: str) -> Path:
        return self.folder / f"prefix-{key}.bin"

    def _restore(self, key: str) -> str | None:
        path = self.path(key)
        if not path.is_file():
            return None
        reply = self._post("/slots/0?action=restore", {"filename": path.name})
        if reply.status_code == 200 and int(reply.json().get("n_restored", 0)) > 0:
            log.debug("prompt prefix restored from %s (%s tokens)", path.name, reply.json().get("n_restored"))
            os.utime(path)  # recently used: kept when older ones are pruned
            return "restored"
        log.debug("prompt prefix file %s did not restore (HTTP %s); rebuilding it", path.name, reply.status_code)
        path.unlink(missing_ok=True)
        return None

    def _build(self, key: str, system_text: str) -> str:
        rendered = self._post(
            "/apply-template",
            {"messages": [{"role": "system", "content": system_text}, {"role": "user", "content": _MARK}]},
        )
        rendered.raise_for_status()
        prompt = str(rendered.json()["prompt"])
        prefix = prompt[: prompt.index(_MARK)]
        done = self._post("/completion", {"prompt": prefix, "n_predict": 0, "cache_prompt": True, "id_slot": 0})
        done.raise_for_status()
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = f"prefix-{key}.{os.getpid()}.part"
        saved = self._post("/slots/0?action=save", {"filename": partial})
        saved.raise_for_status()
        os.replace(self.folder / partial, self.path(key))  # a reader never sees half a file
        self._prune()
        log.debug("prompt prefix saved to %s", self.path(key).name)
        return "saved"

    def _prune(self) -> None:
        files = sorted(self.folder.glob("prefix-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
        for stale in self.folder.glob("prefix-*.part"):  # left by a killed process, not one saving now
            if stale.stat().st_mtime < time.time() - 3600:
                stale.unlink(missing_ok=True)

    def _post(self, path: str, body: dict):
        import httpx2

        return httpx2.post(self.root_url + path, json=body, timeout=self.timeout)
