"""The `speculative` setting: checked when settings load, turned into the runtime's own parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
import xllamacpp as xlc

from briefing import settings as settings_module
from briefing.errors import ConfigError, LocalModelError
from briefing.llm import embedded
from briefing.llm.embedded import EmbeddedServer
from briefing.settings import load_settings

KINDS = xlc.common_speculative_type


def speculate(mode: str, draft: Path | None = None) -> xlc.CommonParams:
    params = xlc.CommonParams()
    EmbeddedServer(Path("model.gguf"), speculative=mode, draft_path=draft, threads=2)._speculate(params, xlc)
    return params


def test_off_leaves_the_runtime_default():
    assert list(speculate("off").speculative.types) == [KINDS.COMMON_SPECULATIVE_TYPE_NONE]


def test_ngram_looks_drafts_up_in_the_text():
    params = speculate("ngram")
    assert list(params.speculative.types) == [KINDS.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
    assert params.speculative.ngram_simple.size_n == embedded.NGRAM_LOOKUP
    assert params.speculative.ngram_simple.size_m == embedded.NGRAM_DRAFT


def test_draft_names_the_small_model_and_needs_it(tmp_path):
    params = speculate("draft", tmp_path / "small.gguf")
    assert list(params.speculative.types) == [KINDS.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE]
    assert params.speculative.draft.mparams.path == str(tmp_path / "small.gguf")
    assert params.speculative.draft.n_max == embedded.DRAFT_TOKENS
    with pytest.raises(LocalModelError, match="small model"):
        speculate("draft", None)


def test_the_setting_is_checked_and_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path))
    assert load_settings({}).speculative == "off"
    monkeypatch.setenv("BRIEFING_SPECULATIVE", "ngram")
    assert load_settings({}).speculative == "ngram"
    monkeypatch.setenv("BRIEFING_SPECULATIVE", "eagle")
    with pytest.raises(ConfigError, match="speculative must be one of off, ngram, draft"):
        load_settings({})


def test_settings_and_runtime_agree_on_the_modes():
    assert settings_module.SPECULATIVE == embedded.SPECULATIVE


def test_the_saved_prefix_is_keyed_by_the_mode():
    on = EmbeddedServer(Path("m.gguf"), speculative="ngram", n_ctx=4096)
    off = EmbeddedServer(Path("m.gguf"), n_ctx=4096)
    assert embedded.runtime_identity("default", on) != embedded.runtime_identity("default", off)


def test_the_saved_prefix_is_keyed_by_the_kv_cache_type():
    f16 = EmbeddedServer(Path("m.gguf"), n_ctx=4096)
    q8 = EmbeddedServer(Path("m.gguf"), n_ctx=4096, kv_type="q8_0")
    assert embedded.runtime_identity("default", f16)["cache_types"] == "f16/f16"
    assert embedded.runtime_identity("default", q8)["cache_types"] == "q8_0/q8_0"
