"""The real embedded model, end to end, on the seed article (tens of seconds; run in CI)."""

from __future__ import annotations

import os
import shutil

import pytest

from briefing.records import BriefingResult
from tests.conftest import SEED, run_briefing

# Tens of seconds alone; several minutes on a loaded 2-core machine: a generous ceiling, not a target.
pytestmark = [pytest.mark.model, pytest.mark.timeout(1500)]


@pytest.fixture(scope="module")
def model_home(tmp_path_factory):
    """One user folder for the module, so the 1.1 GB model is joined once."""
    return tmp_path_factory.mktemp("model-home")


@pytest.fixture(scope="module")
def seed_briefing(model_home, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["BRIEFING_HOME"] = str(model_home)
    proc = run_briefing("generate", SEED, "-f", "json", "-f", "md", "-f", "html", "-o", f"{out}/", env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr.decode()
    return out, proc


def test_seed_briefing_is_valid_and_names_actors_from_the_article(seed_briefing):
    out, proc = seed_briefing
    result = BriefingResult.model_validate_json(next(out.glob("*.json")).read_text())
    assert result.model.embedded and "offline" in (result.model.note or "")
    text = SEED.read_text()
    named = [a.name for a in result.briefing.key_actors if a.name in text]
    assert len(named) >= 4, [a.name for a in result.briefing.key_actors]
    for actor in result.briefing.key_actors:
        for quote in actor.quotes:
            assert quote.verified, quote
            assert quote.text in {q.text for q in result.article.quotations}
    assert result.usage.requests >= 1 and result.usage.completion_tokens > 0
    assert b"using qwen2.5-coder-1.5b-instruct-q4_k_m" in proc.stderr


def test_outputs_say_a_small_offline_model_drafted_them(seed_briefing):
    out, _ = seed_briefing
    assert "small offline model" in next(out.glob("*.md")).read_text()
    assert "small offline model" in next(out.glob("*.html")).read_text()


def test_corrupted_model_file_is_refused(model_home, tmp_path, seed_briefing):
    """One byte changed in the joined model: a clear message and exit 1, before any generation."""
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    original = next((model_home / "models").glob("*.gguf"))
    copy = home / "models" / original.name
    shutil.copyfile(original, copy)
    with copy.open("r+b") as f:
        f.seek(123_456_789)
        byte = f.read(1)
        f.seek(123_456_789)
        f.write(bytes([byte[0] ^ 0xFF]))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env["BRIEFING_HOME"] = str(home)
    proc = run_briefing("generate", SEED, env=env, timeout=120)
    assert proc.returncode == 1
    stderr = proc.stderr.decode()
    assert "corrupt" in stderr and "Traceback" not in stderr
    assert stderr.count("error:") == 1


def test_the_prompt_prefix_is_saved_once_and_restored_by_the_next_process(model_home, seed_briefing, tmp_path):
    """The seed run saved its system prompt's cache; a new server restores it, and a corrupt file is rebuilt."""
    from briefing.llm.embedded import EmbeddedServer, runtime_identity
    from briefing.llm.prefix import PrefixStore, prefix_key

    folder = model_home / "cache" / "prefix"
    assert len(list(folder.glob("prefix-*.bin"))) == 1, "the seed run saves its system prompt's prefix"
    model = next((model_home / "models").glob("*.gguf"))
    system = "You are a careful analyst. Answer in one short sentence."
    slots = tmp_path / "slots"
    outcomes = []
    for _ in range(2):  # two processes, one after the other
        with EmbeddedServer(model, slot_dir=slots) as server:
            store = PrefixStore(server.root_url, slots, runtime_identity("default", server))
            outcomes.append(store.prepare(system))
    assert outcomes == ["saved", "restored"]
    with EmbeddedServer(model, slot_dir=slots) as server:
        store = PrefixStore(server.root_url, slots, runtime_identity("default", server))
        key = prefix_key(store.identity, system)
        store.path(key).write_bytes(b"not a slot file")
        assert store.prepare(system) == "saved"  # the corrupt file is ignored, deleted and rebuilt
    assert store.path(key).stat().st_size > 1000
