"""build_message() and send_mail(): a written brief as an e-mail, through the user's SMTP server.  [net]

The message is multipart: the HTML body is the mail-safe `email` template (inline styles, tables,
no script, class or remote resource: it survives Outlook and Gmail), the Markdown is both the
plain-text alternative and an attachment, and the PDF handout is attached when one was made.
Standard library only (smtplib, email). The password comes from the environment variable the
[smtp] table names, is registered with redact.py before the connection, and is never logged:
smtplib's own debug output stays off.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from briefing.deliver.config import SmtpConfig
from briefing.errors import ConfigError
from briefing.redact import add_secret


class MailError(Exception):
    """One failed attempt to send; `transient` says whether a second try may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def load_password(config: SmtpConfig) -> str | None:
    """The SMTP password from the variable named by password_env; ConfigError if it is not set."""
    if not config.user:
        return None
    name = config.password_env or ""
    password = os.environ.get(name)
    if not password:
        raise ConfigError(
            f"[smtp] password_env names {name}, which is not set",
            hint=f"export {name}=... in the environment that runs briefing (never in config.toml)",
        )
    add_secret(password)
    return password


def default_sender(config: SmtpConfig) -> str:
    """The From address: sender, else the login user if it is an address, else briefing@this-host."""
    if config.sender:
        return config.sender
    if config.user and "@" in config.user:
        return config.user
    return f"briefing@{socket.getfqdn() or 'localhost'}"


def build_message(
    *,
    subject: str,
    sender: str,
    recipients: list[str],
    html: str,
    markdown: str,
    attachments: list[tuple[str, str | bytes, str]],
) -> EmailMessage:
    """The e-mail: text and HTML alternatives, then attachments given as (file name, data, MIME type);
    text data is sent as UTF-8 text."""
    message = EmailMessage()
    message["Subject"] = " ".join(subject.split())  # a line break in a header would be an injection
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(markdown)
    message.add_alternative(html, subtype="html")
    for filename, data, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        if isinstance(data, str):
            message.add_attachment(data, subtype=subtype, filename=filename)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send_mail(config: SmtpConfig, message: EmailMessage, password: str | None) -> None:
    """Send `message` to its recipients; raises MailError with one line that never holds the password."""
    where = f"{config.host}:{config.port}"
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if config.security == "ssl":
            smtp = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with smtp:
            smtp.ehlo()
            if config.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.user:
                _login(smtp, config.user, password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        who = ", ".join(exc.recipients)
        transient = all(400 <= c < 500 for c in codes)
        raise MailError(f"{where} refused every recipient ({who})", transient=transient) from None
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"{where} rejected the login of {config.user}: {_reply(exc)}", transient=False) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"{where}: {_first_line(exc)}", transient=False) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"{where}: {_reply(exc)}", transient=400 <= exc.smtp_code < 500) from None
    except smtplib.SMTPServerDisconnected:
        raise MailError(f"{where} closed the connection", transient=True) from None
    except smtplib.SMTPException as exc:
        raise MailError(f"{where}: {_first_line(exc)}", transient=True) from None
    except ssl.SSLError as exc:
        raise MailError(f"{where}: TLS failed: {exc.reason or _first_line(exc)}", transient=False) from None
    except TimeoutError:
        raise MailError(f"{where}: no answer within {config.timeout:g} s", transient=True) from None
    except OSError as exc:
        raise MailError(f"cannot connect to {where}: {exc.strerror or _first_line(exc)}", transient=True) from None
    if refused:
        raise MailError(f"{where} refused some recipients: {', '.join(refused)}", transient=False)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """One login with the strongest mechanism the server offers. smtplib's login() tries each offered
    mechanism in turn after a rejected password, which counts against account lockouts twice over."""
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("the server offers no login (AUTH), and [smtp] has a user")
    offered = smtp.esmtp_features["auth"].upper().split()
    mechanism = next((m for m in ("CRAM-MD5", "PLAIN", "LOGIN") if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPException(f"no login mechanism briefing knows among {' '.join(offered)}")
    smtp.user, smtp.password = user, password  # what smtplib's auth_* callbacks read
    smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower().replace('-', '_')}"))


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())[:200]}"


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
