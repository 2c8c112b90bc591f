"""A small threaded web server on 127.0.0.1 serving scripted pages and feeds, recording every request;
POSTs (webhook deliveries) are recorded with their bodies and answered with `pages[path]` or 200."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between chunks of 64 bytes
    header_drip: float = 0.0  # seconds between bytes of the status line and headers


class WebServer:
    """Serves `pages[path]`; anything else is a 404. Use as a context manager."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, dict[str, str], bytes]] = []  # webhook deliveries: path, headers, body
        self._httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> WebServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms Nagle/delayed-ACK stall between headers and body

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                page = server.pages.get(self.path) or Page(b"not found", "text/plain", status=404)
                data = page.body.encode() if isinstance(page.body, str) else page.body
                headers = {"Content-Type": page.content_type, **page.headers, "Content-Length": str(len(data))}
                try:
                    if page.header_drip:
                        head = f"HTTP/1.1 {page.status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                        for byte in (head + "\r\n").encode():
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(page.header_drip)
                    else:
                        self.send_response(page.status)
                        for k, v in headers.items():
                            self.send_header(k, v)
                        self.end_headers()
                    if page.drip:
                        for i in range(0, len(data), 64):
                            self.wfile.write(data[i : i + 64])
                            self.wfile.flush()
                            time.sleep(page.drip)
                    else:
                        self.wfile.write(data)
                except OSError:  # the client hung up (a test of limits does that on purpose)
                    pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                page = server.pages.get(self.path) or Page(b"ok", "text/plain")
                data = page.body.encode() if isinstance(page.body, str) else page.body
                self.send_response(page.status)
                for k, v in page.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str = "/") -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{path}"
