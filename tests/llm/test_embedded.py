"""The embedded model's weights: join once, verify by SHA-256, refuse corruption; never started needlessly."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap

import pytest

from briefing.errors import LocalModelError
from briefing.llm import embedded as local


@pytest.fixture
def tiny_model(tmp_path, monkeypatch):
    """A model shipped as three importable piece modules, like the real PyPI pieces."""
    pieces = [b"GGUF" + b"a" * 1000, b"b" * 1500, b"c" * 700]
    site = tmp_path / "site"
    for i, data in enumerate(pieces, 1):
        pkg = site / f"tinypiece_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / "part.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "import os\ndef get_part_path():\n    return os.path.join(os.path.dirname(__file__), 'data', 'part.bin')\n"
        )
    monkeypatch.syspath_prepend(str(site))
    for i in range(1, 4):  # each test imports its own pieces, never a previous test's
        monkeypatch.delitem(sys.modules, f"tinypiece_part{i}", raising=False)
    whole = b"".join(pieces)
    spec = local.ModelSpec(
        key="tiny",
        name="tiny-model",
        parts=tuple(f"tinypiece_part{i}" for i in range(1, 4)),
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        install="pip install tiny",
    )
    monkeypatch.setitem(local.MODELS, "tiny", spec)
    return spec, whole, site


def test_pieces_are_joined_once_and_verified(tiny_model, tmp_path):
    spec, whole, _ = tiny_model
    path = local.prepare_model("tiny", tmp_path / "home")
    assert path.read_bytes() == whole
    stamp = json.loads(path.with_suffix(".sha256.json").read_text())
    assert stamp["sha256"] == spec.sha256
    mtime = path.stat().st_mtime_ns
    assert local.prepare_model("tiny", tmp_path / "home") == path
    assert path.stat().st_mtime_ns == mtime  # reused, not joined again


def test_one_changed_byte_in_the_joined_file_is_refused(tiny_model, tmp_path):
    path = local.prepare_model("tiny", tmp_path / "home")
    data = bytearray(path.read_bytes())
    data[1234] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(LocalModelError, match="corrupt") as err:
        local.prepare_model("tiny", tmp_path / "home")
    assert f"rm {path}" in str(err.value)


def test_corrupt_piece_is_refused_and_leaves_no_partial_file(tiny_model, tmp_path):
    _, _, site = tiny_model
    (site / "tinypiece_part2" / "data" / "part.bin").write_bytes(b"x" * 1500)
    with pytest.raises(LocalModelError, match="corrupt"):
        local.prepare_model("tiny", tmp_path / "home")
    assert not list((tmp_path / "home" / "models").glob("*.gguf"))
    assert not list((tmp_path / "home" / "models").glob(".*.tmp"))


def test_missing_piece_names_the_install_command(tiny_model, tmp_path, monkeypatch):
    spec, _, _ = tiny_model
    monkeypatch.setitem(
        local.MODELS, "tiny", local.ModelSpec(**{**spec.__dict__, "parts": (*spec.parts, "nope_part9")})
    )
    with pytest.raises(LocalModelError, match="not installed") as err:
        local.prepare_model("tiny", tmp_path / "home")
    assert "pip install tiny" in str(err.value)


def test_user_gguf_path_must_be_a_gguf(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"not a model")
    with pytest.raises(LocalModelError, match="not a GGUF"):
        local.prepare_model(str(bad), tmp_path)
    with pytest.raises(LocalModelError, match="no such file"):
        local.prepare_model(str(tmp_path / "missing.gguf"), tmp_path)


def test_remote_endpoint_never_starts_the_embedded_model(llm, seed, tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from briefing.cli import app
        try:
            app(["generate", {str(seed)!r}, "--base-url", {llm.url!r}, "-o", {str(tmp_path / "b.md")!r}])
        except SystemExit as exc:
            code = exc.code
        print("CODE", code, "XLLAMACPP", "xllamacpp" in sys.modules)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "CODE 0 XLLAMACPP False" in proc.stdout, proc.stderr
    assert not (tmp_path / "briefing-home" / "models").exists()
