"""gunicorn's sync worker, bounded against slow clients and answering problem+json.

A sync worker serves one connection at a time and, left alone, waits on a client for as
long as it cares to send: two connections that announce a body and never send it hold
two workers until gunicorn's ``timeout`` kills them. This worker gives every client a
deadline for its request line and headers and another for its body, read in full before
the app runs, and answers ``408`` when one passes. The body's deadline moves on as bytes
arrive (one second per ``MIN_BODY_RATE`` bytes), so a large import on a fair link is
never cut, while a client that stops sending is.

Errors gunicorn answers itself (a malformed request line, bad header bytes, headers too
large, a broken chunk) are HTML in gunicorn; here they keep gunicorn's status and become
problem+json like every other error of the service. A reverse proxy in front (see the
README) still does better: it buffers slow clients without holding a worker at all.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import time
from http import HTTPStatus

from gunicorn.http.body import LengthReader
from gunicorn.workers.sync import SyncWorker

from service.config import Config
from service.errors import HTTP_CODES, PROBLEM_MIMETYPE, TYPE_BASE
from service.http import IMPORT_PATHS

# A client sending a body at this rate or faster never reaches its deadline.
MIN_BODY_RATE = 64 * 1024  # bytes per second
# Bodies up to this size stay in memory while they are read ahead; larger ones spool to disk.
SPOOL_BYTES = 1024 * 1024
# How long a closing connection waits for the client's last bytes (see ``DeadlineSocket``).
LINGER_SECONDS = 0.25

__all__ = ["MIN_BODY_RATE", "ClientTooSlow", "Worker", "problem_bytes"]


class ClientTooSlow(Exception):
    """The client did not send its request within its deadline."""


class DeadlineSocket:
    """A client socket whose reads fail once a deadline passes.

    Every ``recv`` waits only for the time left, so a client that trickles a byte now and
    then gains nothing. Once gunicorn shuts the socket down to close it, it drains what
    the client still sends for at most ``LINGER_SECONDS`` (gunicorn's own wait is 2 s,
    which a client that never closes could claim after every request).
    """

    def __init__(self, sock, seconds: float):
        self._sock = sock
        self.deadline = time.monotonic() + seconds
        self.credit_rate = 0.0  # seconds of extra time per byte received
        self.closing = False

    def recv(self, size: int, *flags) -> bytes:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError() if self.closing else ClientTooSlow()
        self._sock.settimeout(remaining)
        try:
            data = self._sock.recv(size, *flags)
        except TimeoutError:
            if self.closing:
                raise
            raise ClientTooSlow() from None
        finally:
            self._sock.settimeout(None)
        self.deadline += len(data) * self.credit_rate
        return data

    def restart(self, seconds: float, rate: float) -> None:
        """A fresh deadline ``seconds`` from now, extended by one second per ``rate`` bytes."""
        self.deadline = time.monotonic() + seconds
        self.credit_rate = 1 / rate

    def settimeout(self, _timeout) -> None:
        pass  # every read sets its own, from the deadline

    def shutdown(self, how: int) -> None:
        self.closing = True
        self.credit_rate = 0.0
        self.deadline = min(self.deadline, time.monotonic() + LINGER_SECONDS)
        self._sock.shutdown(how)

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


def problem_bytes(status: int, detail: str, code: str | None = None) -> bytes:
    """A whole HTTP/1.1 problem+json response that closes the connection."""
    reason = HTTPStatus(status).phrase
    code = code or HTTP_CODES.get(status, "error")
    body = json.dumps(
        {
            "type": TYPE_BASE + code,
            "title": reason,
            "status": status,
            "detail": detail,
            "code": code,
        },
        sort_keys=True,
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        f"Content-Type: {PROBLEM_MIMETYPE}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Content-Type-Options: nosniff\r\n\r\n"
    )
    return head.encode("latin-1") + body


class _Recorder:
    """Stands in for the client socket while gunicorn writes its HTML error."""

    def __init__(self):
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data


_STATUS_LINE = re.compile(rb"^HTTP/1\.1 (\d{3}) ")
_MESSAGE = re.compile(rb"</h1>\s*(.*?)\s*</body>", re.S)


class Worker(SyncWorker):
    """The sync worker with client deadlines and problem+json errors."""

    def load_wsgi(self):
        super().load_wsgi()
        # The app's settings (``throughline serve``, or plain gunicorn on service.wsgi:app).
        flask_config = getattr(self.wsgi, "config", None) or {}
        self.service_config = flask_config.get("THROUGHLINE") or Config.from_env()

    def handle(self, listener, client, addr):
        if self.cfg.is_ssl:
            return super().handle(listener, client, addr)
        timed = DeadlineSocket(client, self.service_config.client_header_timeout)
        return super().handle(listener, timed, addr)

    def handle_request(self, listener, req, client, addr):
        if isinstance(client, DeadlineSocket):
            client.restart(self.service_config.client_body_timeout, MIN_BODY_RATE)
            self._read_body_ahead(req, client)
        return super().handle_request(listener, req, client, addr)

    def handle_error(self, req, client, addr, exc):
        if isinstance(exc, ClientTooSlow):
            self.log.warning("Client too slow from ip=%s: request timed out", (addr or ("",))[0])
            self._send(client, problem_bytes(408, "The request was not sent in time."))
            return
        # gunicorn decides the status (and logs); only its HTML is replaced.
        recorder = _Recorder()
        super().handle_error(req, recorder, addr, exc)
        found = _STATUS_LINE.match(recorder.data)
        status = int(found.group(1)) if found else 500
        if status >= 500:
            detail = "The server could not answer this request."
        else:
            message = _MESSAGE.search(recorder.data)
            text = html.unescape(message.group(1).decode("latin-1")) if message else ""
            detail = text or HTTPStatus(status).phrase
        self._send(client, problem_bytes(status, detail))

    def _send(self, client, data: bytes) -> None:
        try:
            client.sendall(data)
        except OSError:
            self.log.debug("Failed to send error message.")

    def _read_body_ahead(self, req, client) -> None:
        """Read the whole body now, within the client's deadline, up to what the app accepts.

        A body larger than the app accepts is left unread: the app answers 413 from its
        announced length (or from the bytes read here, for a chunked body).
        """
        reader = req.body.reader
        if isinstance(reader, LengthReader) and reader.length == 0:
            return
        config = self.service_config
        limit = config.max_import_bytes if req.path in IMPORT_PATHS else config.max_body_bytes
        if isinstance(reader, LengthReader) and reader.length > limit:
            return
        # The client waits for this before it sends the body; gunicorn would send it
        # only when the app starts, after the body is read here.
        if req._expected_100_continue:
            req._expected_100_continue = False
            client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the app reads it)
        read = 0
        while read <= limit and (data := req.body.read(min(65536, limit + 1 - read))):
            spool.write(data)
            read += len(data)
        spool.seek(0)
        req.body = spool
