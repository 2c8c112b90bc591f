"""A content-addressed cache of validated results in BRIEFING_HOME/cache/results.   [disk]

The key is a SHA-256 over everything that decides an answer: the rendered prompt (article text and
prompt templates, with the random fence boundary masked), the JSON schema sent, the model and its
endpoint, the generation parameters and the schema version. Same key, same answer: a hit makes no
request. Change the prompt, a template, the model or a parameter and the key changes with it.

Entries are written atomically (output.write_atomic) the moment each result is validated, which is what makes a digest
resumable: killed half-way, the next run finds what was done and asks only for the rest. A corrupt
or unreadable entry is a miss, and a cache that cannot be written is a warning, never a failure.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from briefing.output.files import write_atomic
from briefing.records import SCHEMA_VERSION

CACHE_FORMAT = 1
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)


def build_key(kind: str, **parts: object) -> str:
    """A SHA-256 hex key over `kind`, the cache format, the schema version and `parts` (JSON-able)."""
    material = {"kind": kind, "format": CACHE_FORMAT, "schema_version": SCHEMA_VERSION, **parts}
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def schema_sha256(schema: dict) -> str:
    """A digest of a JSON schema, independent of key order."""
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()


class Cache:
    """Results by key under `folder`; `enabled=False` (--no-cache) makes every look-up a miss and writes nothing."""

    def __init__(self, folder: Path, *, enabled: bool = True) -> None:
        self.folder = folder
        self.enabled = enabled
        self._warned = False

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def load(self, key: str, model: type[M]) -> M | None:
        """The cached `model` under `key`, or None (missing, disabled, unreadable or outdated)."""
        if not self.enabled:
            return None
        try:
            return model.model_validate_json(self.path(key).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError) as exc:
            log.info("ignoring cache entry %s: %s", self.path(key), exc)
            return None

    def write(self, key: str, value: BaseModel) -> None:
        """Store `value` under `key` atomically (temp file in the same folder, then rename)."""
        if not self.enabled:
            return
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, value.model_dump_json().encode(), durable=False, mode=0o600)
        except OSError as exc:
            if not self._warned:  # one warning per run is enough to say the cache is not working
                self._warned = True
                log.warning("cannot write the cache in %s (%s); results will not be reused", self.folder, exc)
