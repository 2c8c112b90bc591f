"""A small OpenAI-compatible server on 127.0.0.1 for tests and benchmarks, with fault injection.

By default it answers POST /v1/chat/completions with an instance of whatever JSON schema the request
carries in `response_format` (or a valid briefing when it carries none), and GET /v1/models with one
model. Tests script faults by queueing `Reply` objects (status, headers, body, delay, drip, hang,
close, header drip) or by setting `respond`, a function from the request to a Reply. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: object = None  # dict -> JSON; str/bytes -> sent as is; None -> the default completion
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between bytes of the body (a slow drip)
    header_drip: float = 0.0  # seconds between bytes of the status line and headers
    close: bool = False  # drop the connection without answering
    content: str | None = None  # a chat completion with this message content
    finish_reason: str = "stop"
    refusal: str | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


class LLMServer:
    """A threaded fake endpoint; use as a context manager or call start()/stop()."""

    def __init__(self, *, latency: float = 0.0, model: str = "test-model") -> None:
        self.latency = latency
        self.model = model
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests the server was answering at once
        self.queue: list[Reply] = []
        self.respond: Callable[[Request], Reply | None] | None = None
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    # lifecycle --------------------------------------------------------------------------------
    def start(self) -> LLMServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the
            # client's delayed ACK add ~40 ms to every reply, which would swamp latency measurements.
            disable_nagle_algorithm = True

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # A short poll interval: stop() returns at once instead of after half a second.
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def chat_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # handling ---------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self._answer(h, method)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        request = Request(method, h.path, {k.lower(): v for k, v in h.headers.items()}, body)
        with self._lock:
            self.requests.append(request)
            reply = self.queue.pop(0) if self.queue else None
        if reply is None and self.respond is not None:
            reply = self.respond(request)
        reply = reply or Reply()
        if self.latency:
            time.sleep(self.latency)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.close:
            h.close_connection = True
            try:
                h.connection.shutdown(2)
            except OSError:
                pass
            return
        if method == "GET" and h.path.rstrip("/").endswith("/models"):
            payload: object = {"object": "list", "data": [{"id": self.model, "object": "model"}]}
        elif reply.body is not None:
            payload = reply.body
        else:
            payload = self.completion(request, reply)
        data = (
            payload
            if isinstance(payload, bytes)
            else (payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
        )
        content_type = (
            "application/json" if isinstance(payload, (dict, list)) else reply.headers.get("Content-Type", "text/html")
        )
        headers = {
            "Content-Type": content_type,
            **{k: v for k, v in reply.headers.items() if k.lower() != "content-type"},
            "Content-Length": str(len(data)),
        }
        try:
            if reply.header_drip:
                head = f"HTTP/1.1 {reply.status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
                for byte in head.encode():
                    h.wfile.write(bytes([byte]))
                    h.wfile.flush()
                    time.sleep(reply.header_drip)
            else:
                h.send_response(reply.status)
                for k, v in headers.items():
                    h.send_header(k, v)
                h.end_headers()
            if reply.drip:
                for i in range(len(data)):
                    h.wfile.write(data[i : i + 1])
                    h.wfile.flush()
                    time.sleep(reply.drip)
            else:
                h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True

    def completion(self, request: Request, reply: Reply) -> dict:
        """A chat completion whose content is `reply.content` or an instance of the request's schema."""
        content = reply.content
        if content is None:
            content = json.dumps(schema_instance_for(request.body or {}))
        message: dict = {"role": "assistant", "content": None if reply.refusal else content}
        if reply.refusal:
            message["refusal"] = reply.refusal
        return {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": (request.body or {}).get("model", self.model),
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
            # llama.cpp's server adds its own timings to each completion
            "timings": {
                "cache_n": 60,
                "prompt_n": 40,
                "prompt_ms": 800.0,
                "predicted_n": 50,
                "predicted_ms": 2500.0,
                "predicted_per_second": 20.0,
            },
        }


def schema_instance_for(body: dict) -> dict:
    """An instance of the schema the request carries, or a valid briefing when it carries none.

    The same schema always gives the same instance (its texts are handed out from the start).
    """
    _turn[0] = 0
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt.get("type") == "json_schema" else None
    if schema is None:
        from briefing.schema import base_schema

        schema = base_schema()
    return instance(schema, schema.get("$defs", {}))


def instance(node: dict, defs: dict) -> object:
    """A deterministic, valid instance of a JSON schema node (the subset briefing uses)."""
    if "$ref" in node:
        return instance(defs[node["$ref"].split("/")[-1]], defs)
    if "anyOf" in node:
        return instance(node["anyOf"][0], defs)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        return {k: instance(v, defs) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        count = node.get("minItems", 1)
        if node.get("maxItems") is not None:
            count = min(max(count, 1), node["maxItems"])
        return [instance(node.get("items", {}), defs) for _ in range(count)]
    if kind == "integer":
        return node.get("minimum", 1)
    if kind == "number":
        return node.get("minimum", 1.0)
    if kind == "boolean":
        return False
    if kind == "string":
        return _text(node)
    return None


# Distinct, well-formed texts (each a sentence, an assessment, none a copy of another), handed out in
# turn, so that a fake answer passes the verifier's analytic checks and tests count only the requests
# they mean to (verify/analytic.py).
_TEXTS = (
    "Both governments will likely harden their positions before any new round.",
    "Seoul may seek closer defence ties with Tokyo to offset the setback.",
    "Pyongyang could resume missile tests to raise its leverage in future talks.",
    "Washington is expected to press for a quick return to the negotiating table.",
    "Regional markets might react nervously if military drills are expanded.",
    "Informal channels would probably keep a minimum of contact between capitals.",
    "Hardliners in both capitals stand to gain from the breakdown of dialogue.",
    "A humanitarian emergency remains unlikely in the coming weeks.",
    "Japan will probably increase its own readiness measures this month.",
    "The United Nations could offer to host a fresh meeting of envoys.",
    "Sanctions enforcement may tighten as allies coordinate their response.",
    "Public opinion in the South seems to favour keeping some contact alive.",
    "Fishing fleets near the maritime border risk being caught in a naval incident.",
    "A change of negotiator in Seoul would signal a harder line on concessions.",
    "Chinese mediation is possible but depends on Beijing's wider trade interests.",
    "Aid agencies fear that food shipments to the North could be delayed.",
    "Investors are likely to price in a higher risk premium for Korean bonds.",
    "Parliament in Seoul may demand hearings on the failure of the talks.",
    "Cyber attacks on southern banks would mark a dangerous new escalation.",
    "Russian support for Pyongyang could grow if Western pressure increases.",
    "Airlines might reroute flights away from the peninsula as a precaution.",
    "An accidental clash at sea is the most probable trigger of a crisis.",
    "Election politics in Washington make a bold peace offer less likely.",
    "Families separated by the war lose hope of reunions for another year.",
    "Defence firms in the region should expect new orders within months.",
    "A summit of allied leaders will probably be called before the autumn.",
    "Refugee flows across the northern border seem improbable for now.",
    "The nuclear test site may show fresh activity on satellite images soon.",
    "Trade between the Koreas, already minimal, is unlikely to recover.",
    "Energy prices in Asia could rise if shipping lanes are threatened.",
    "Local officials near the border want new shelters built before winter.",
    "A freeze on joint exercises would be the price of restarting dialogue.",
    "Coastal provinces plan evacuation drills after the latest naval warning.",
    "Grain deliveries through the northern ports have slowed since spring.",
    "The defence ministry wants a larger budget for air defence next year.",
    "Diplomats expect the envoy to travel to the region before the holidays.",
    "Opposition lawmakers accuse the cabinet of mishandling the negotiations.",
    "Insurance costs for ships in the strait have roughly doubled this quarter.",
    "Border towns report fewer visitors since the crossings were narrowed.",
    "Satellite operators have been asked to share imagery with the allies.",
    "The central bank signals readiness to steady the currency if needed.",
    "Veterans' groups are lobbying against any cut in the garrison's size.",
    "A backchannel through a neutral embassy is reported to remain open.",
    "Shipping firms weigh longer routes that add days to each voyage.",
    "The foreign ministry summoned the ambassador over the drills.",
    "Student exchanges between the two sides have been suspended for now.",
    "Analysts in the capital see little appetite for a new agreement.",
    "Power grids in the north are under strain from the cold spell.",
)
_turn = [0]


def _text(node: dict) -> str:
    limit = node.get("maxLength", 200)
    parts = []
    while not parts or len(" ".join(parts)) < node.get("minLength", 0):
        parts.append(_TEXTS[_turn[0] % len(_TEXTS)])
        _turn[0] += 1
    text = " ".join(parts)
    if len(text) <= limit:
        return text
    words = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return words + "." if "pattern" in node or limit >= 40 else words
