"""Upstream documents decoded into text that every later step can write: valid Unicode.

JSON's grammar allows a string escape of half a surrogate pair (``"\\ud83d"`` alone), and Python
decodes it into a lone surrogate that no UTF-8 writer accepts: one such post would fail every
score of its day. Invalid UTF-8 bytes are the same trouble in another form. So every upstream
JSON document is decoded here, once, and whatever it holds comes out valid: each lone surrogate
and each invalid byte becomes U+FFFD, the replacement character. Sealed snapshots keep the bytes
as fetched, so a day sealed with such a post is scored as well as a new one.
"""

from __future__ import annotations

import json
import re
from typing import Any

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# Where a JSON text can hold a lone surrogate at all: a \u escape of one (a surrogate pair
# decodes to one valid character, and bytes decoded with "replace" hold none).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _valid_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub(REPLACEMENT, text)


def _made_valid(value: Any) -> Any:
    if isinstance(value, str):
        return _valid_text(value)
    if isinstance(value, list):
        return [_made_valid(item) for item in value]
    if isinstance(value, dict):
        return {_valid_text(key): _made_valid(item) for key, item in value.items()}
    return value


def load_json(body: bytes | str) -> Any:
    """The JSON in an upstream document, every string in it valid Unicode (``ValueError`` if it
    is not JSON).

    The walk through the decoded document happens only when its text could need it (it holds
    the escape of a lone surrogate): a big day decodes 80,000 posts."""
    # JSON is UTF-8 (RFC 8259), and a byte order mark is ignored as it may be.
    text = body.decode("utf-8-sig", "replace") if isinstance(body, bytes) else body
    decoded = json.loads(text)
    if _SURROGATE_ESCAPE.search(text):
        return _made_valid(decoded)
    return decoded
