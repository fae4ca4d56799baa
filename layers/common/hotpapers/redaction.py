"""Secrets never leave the process: every configured credential, and every session token a source
obtains, is replaced by ``[REDACTED]`` in log lines and in the error texts the pipeline stores.

Upstreams are not trusted to keep a secret: a 401 body may echo the request's ``Authorization``
header. Error texts are therefore cut down to status and reason where they are made
(``upstream.send``), and this module is the second line: whatever text reaches a log or the
manifest is scrubbed of every secret the process knows.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "[REDACTED]"
# Shorter values are not credentials (and masking them would garble ordinary words).
MIN_SECRET_LENGTH = 6

_lock = threading.Lock()
_secrets: set[str] = set()
_masked: list[str] = []
"""Every written form of every secret, longest first (a token may contain a shorter one)."""


def register(*values: str | None) -> None:
    """Treat ``values`` as secrets from now on (credentials as read, tokens as obtained)."""
    global _masked
    with _lock:
        _secrets.update(value for value in values if value and len(value) >= MIN_SECRET_LENGTH)
        _masked = sorted({form for secret in _secrets for form in _forms(secret)}, key=len, reverse=True)


def register_from(env: dict[str, str] | Any, names: Iterable[str]) -> None:
    """Register the values of the ``HOTPAPERS_<NAME>`` variables of the credentials ``names``."""
    register(*(env.get(f"HOTPAPERS_{name.upper()}") for name in names))


def _forms(secret: str) -> set[str]:
    """How a secret can be written where it is stored: as it is, escaped in a JSON string (``\\/``
    included), and percent-encoded in a URL (a redirect's query may carry it)."""
    escaped = json.dumps(secret)[1:-1]
    return {secret, escaped, escaped.replace("/", "\\/"), quote(secret, safe=""), quote_plus(secret)}


def _known_forms() -> list[str]:
    with _lock:
        return _masked


def redact(text: str) -> str:
    """``text`` with every known secret masked, in each of its written forms."""
    for form in _known_forms():
        if form in text:
            text = text.replace(form, MASK)
    return text


def redact_bytes(body: bytes) -> bytes:
    """``body`` (an upstream answer as stored) with every known secret masked, in each of its
    written forms: an upstream may reflect the caller's credentials in a 200 answer."""
    for form in _known_forms():
        encoded = form.encode()
        if encoded in body:
            body = body.replace(encoded, MASK.encode())
    return body


def redact_value(value: Any) -> Any:
    """Strings masked inside ``value``, through dicts, lists and tuples; anything else as it is."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    return value


# The attributes every LogRecord has; anything else on a record came from ``extra``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message, arguments, ``extra`` keys and exception before any
    formatter sees it; installed on the one logger's handler, so the CLI's formatter is covered."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = redact_value(record.args)
        for key, value in list(vars(record).items()):
            if key not in _RECORD_ATTRIBUTES:
                setattr(record, key, redact_value(value))
        if record.exc_info and record.exc_info[1] is not None:
            _redact_exception(record.exc_info[1])
        return True


def _redact_exception(error: BaseException | None) -> None:
    """Mask secrets in the messages of ``error`` and the exceptions it was raised from; its
    traceback is formatted from those messages."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        error.args = tuple(redact_value(argument) for argument in error.args)
        error = error.__cause__ or error.__context__
