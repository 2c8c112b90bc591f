"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the delivery tests: it keeps every message and login."""

from __future__ import annotations

import logging
import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import FIXTURES

# A self-signed certificate for 127.0.0.1 (valid until 2126), made for these tests only: a client
# trusts it through SSL_CERT_FILE, exactly as it would trust a company CA.
CERT = FIXTURES / "smtp-test-cert.pem"
KEY = FIXTURES / "smtp-test-key.pem"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class SMTPServer:
    """Use as a context manager. `user`/`password` turn on AUTH (over plain text: loopback only);
    `fail_first` answers the first n messages with 451 (a transient failure); `tls` is "starttls"
    (required before AUTH and MAIL) or "ssl" (TLS from the first byte) with the test certificate."""

    user: str | None = None
    password: str | None = None
    fail_first: int = 0
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    attempts: int = 0
    port: int = 0
    tls: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        self.attempts += 1
        if self.attempts <= self.fail_first:
            return "451 4.3.0 try again later"
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=(login, password) == (self.user, self.password), handled=False)

    def __enter__(self) -> SMTPServer:
        # aiosmtpd logs every line of DATA at DEBUG: a message with a PDF is thousands of records,
        # slow enough on a loaded machine to pass the client's timeout and cause a retried login.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.port = free_port()
        kwargs: dict = {}
        if self.user:  # tests check the login; without TLS, AUTH over plain text (loopback only)
            kwargs = dict(authenticator=self._authenticate, auth_require_tls=self.tls == "starttls")
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(CERT, KEY)
            if self.tls == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


def free_port() -> int:
    """A port nothing listens on (for the server to take, or for a test of a server that is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
