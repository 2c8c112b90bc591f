"""serve(): the archive browser on one socket with uvicorn, until Ctrl-C. [net, process]

The socket is bound here, before uvicorn starts, so a port in use is one clear error and port 0
(any free port) prints the port actually taken. uvicorn's access log is off: with a token, the
first address carries it, and tokens never reach logs.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import uvicorn

from briefing.errors import ConfigError, UnsafeServeError
from briefing.serve.app import ServeConfig, make_app
from briefing.serve.security import TOKEN_ENV, check_token, is_loopback


def check_binding(host: str, token: str | None) -> None:
    """UnsafeServeError (exit 2) unless `host` is loopback, or a usable token guards it."""
    problem = check_token(token)
    if problem:
        raise UnsafeServeError(f"--token: {problem}", hint=f"or set {TOKEN_ENV}")
    if not is_loopback(host) and token is None:
        raise UnsafeServeError(
            f"--host {host} is not a loopback address: serving the archive there needs a token",
            hint=f"--token TOKEN or {TOKEN_ENV}; anyone who can reach {host} could read the archive otherwise",
        )


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (ConfigError if it cannot be had)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}", hint="choose another --port") from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    name = f"[{host}]" if ":" in host else host
    return f"http://{name}:{port}/"


def serve(archive: Path, host: str, port: int, token: str | None, *, announce: Callable[[str], None]) -> None:
    """Serve `archive` on host:port until interrupted; `announce` is told the address to open."""
    check_binding(host, token)
    sock = bind(host, port)
    config = ServeConfig(archive=archive, loopback=is_loopback(host), token=token)
    address = url_of(sock, host)
    announce(address + (f"?token={token}" if token else ""))
    server = uvicorn.Server(
        uvicorn.Config(
            make_app(config),
            log_level="warning",
            access_log=False,
            proxy_headers=False,
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it shut down on
        pass
    finally:
        sock.close()
