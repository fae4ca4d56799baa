"""Secrets never leave the process: every configured credential, and every session token a source
obtains, is replaced by ``[REDACTED]`` in log lines and in the error texts the pipeline stores.

Upstreams are not trusted to keep a secret: a 401 body may echo the request's ``Authorization``
header. Error texts are therefore cut down to status and reason where they are made
(``upstream.send``), and this module is the second line: whatever text reaches a log or the
manifest is scrubbed of every secret the process knows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

MASK = "[REDACTED]"
# Shorter values are not credentials (and masking them would garble ordinary words).
MIN_SECRET_LENGTH = 6

_lock = threading.Lock()
_secrets: set[str] = set()


def register(*values: str | None) -> None:
    """Treat ``values`` as secrets from now on (credentials as read, tokens as obtained)."""
    with _lock:
        _secrets.update(value for value in values if value and len(value) >= MIN_SECRET_LENGTH)


def register_from(env: dict[str, str] | Any, names: Iterable[str]) -> None:
    """Register the values of the ``HOTPAPERS_<NAME>`` variables of the credentials ``names``."""
    register(*(env.get(f"HOTPAPERS_{name.upper()}") for name in names))


def redact(text: str) -> str:
    """``text`` with every known secret masked, longest first (a token may contain a shorter one)."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


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
