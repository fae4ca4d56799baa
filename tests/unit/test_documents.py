"""Upstream JSON decoded into valid text: ``hotpapers.documents``."""

from __future__ import annotations

import json

import pytest
from hotpapers.documents import load_json


def test_lone_surrogate_escapes_anywhere_become_replacement_characters() -> None:
    # Given JSON text with lone halves of surrogate pairs in a value, a key and a list
    body = b'{"text": "\\ud83d hi \\uDE00", "\\udc00key": ["\\ud800"], "n": 3}'

    # When it is decoded
    decoded = load_json(body)

    # Then every half is U+FFFD, the rest as written, and all of it encodes as UTF-8
    assert decoded == {"text": "\ufffd hi \ufffd", "\ufffdkey": ["\ufffd"], "n": 3}
    json.dumps(decoded, ensure_ascii=False).encode()


def test_a_whole_surrogate_pair_stays_the_character_it_writes() -> None:
    assert load_json(b'"\\ud83d\\ude00"') == "\U0001f600"


def test_bytes_that_are_not_utf8_become_replacement_characters_and_a_bom_is_ignored() -> None:
    assert load_json(b'\xef\xbb\xbf{"a": "x\xff\xedy"}') == {"a": "x\ufffd\ufffdy"}


def test_what_is_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        load_json(b"<html>Rate exceeded</html>")
