"""Reading request bodies: one loader for every JSON body, one guard for every byte read.

Everything the service stores must be writable as UTF-8 by both databases and by the
fingerprint, so a body is refused (400) before any schema sees it when it holds what JSON
parsers accept but no database can store or no number field can convert:

- a lone surrogate (``"\\ud800"``) in any string or key: valid JSON escapes, not text;
- an integer of more than ``MAX_INT_DIGITS`` digits (Python refuses to convert those);
- arrays and objects nested deeper than ``MAX_JSON_DEPTH``.

A body that cannot be read at all (a chunk size that is not hex, a connection cut
mid-body) is a 400 too: the server's own read errors become werkzeug's ``BadRequest``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.exceptions import BadRequest, HTTPException

__all__ = ["MAX_INT_DIGITS", "MAX_JSON_DEPTH", "ReadableInput", "load_json", "nesting_depth"]

MAX_JSON_DEPTH = 32
MAX_INT_DIGITS = 4300  # Python's own limit for converting digits to an integer
# Only an escape can put a surrogate in a parsed string: raw UTF-8 cannot encode one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _parse_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS + 1:  # + 1: the sign
        raise json.JSONDecodeError(f"an integer has more than {MAX_INT_DIGITS} digits", digits, 0)
    return int(digits)


def load_json(data: bytes | str) -> Any:
    """The parsed body; ``json.JSONDecodeError`` for anything the service must not accept."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(
                f"Bytes decoding error : {error.reason}", "<body>", error.start
            ) from None
    else:
        text = data
    try:
        value = json.loads(text, parse_int=_parse_int)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", "<body>", 0) from None
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise json.JSONDecodeError(f"nested deeper than {MAX_JSON_DEPTH} levels", "<body>", 0)
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise json.JSONDecodeError("a string holds a lone surrogate (not text)", "<body>", 0)
    return value


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iterative)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                break
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class ReadableInput:
    """WSGI middleware: a body the server cannot read is the client's 400, not a 500."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        stream = environ.get("wsgi.input")
        if stream is not None:
            environ["wsgi.input"] = _GuardedStream(stream)
        return self.app(environ, start_response)


class _GuardedStream:
    def __init__(self, stream):
        self._stream = stream

    def _guard(self, method, *args):
        try:
            return method(*args)
        except HTTPException:
            raise
        except Exception as error:  # gunicorn's chunk parser, a cut connection, ...
            raise BadRequest(f"The request body cannot be read: {error}") from None

    def read(self, *args):
        return self._guard(self._stream.read, *args)

    def readinto(self, buffer) -> int:
        """What werkzeug's limited stream calls; gunicorn's body has only ``read``."""
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, *args):
        return self._guard(self._stream.readline, *args)

    def readlines(self, *args):
        return self._guard(self._stream.readlines, *args)

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name):
        return getattr(self._stream, name)
