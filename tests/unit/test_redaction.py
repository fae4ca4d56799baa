"""Secrets are masked in every log line and every stored text."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Callable

from hotpapers import redaction
from hotpapers.config import load_settings
from hotpapers.observability import logger

TOKEN = "AAAA-secret-bearer-token-1234"


def logged(action: Callable[[], None]) -> str:
    """What the one logger's handler printed while ``action`` ran (whichever formatter it has)."""
    buffer = io.StringIO()
    handler = logger.registered_handler
    stream = handler.stream  # type: ignore[attr-defined]
    handler.stream = buffer  # type: ignore[attr-defined]
    try:
        action()
    finally:
        handler.stream = stream  # type: ignore[attr-defined]
    return buffer.getvalue()


def fresh(length: int = 24) -> str:
    """A value no earlier test (nor an earlier run in this process) can have registered: the
    register of secrets lasts as long as the process."""
    return uuid.uuid4().hex[:length]


def test_configured_secrets_are_masked_in_texts_but_public_names_are_not() -> None:
    # Given settings read with an X token and a Bluesky handle
    token = fresh()
    load_settings({"HOTPAPERS_X_BEARER_TOKEN": token, "HOTPAPERS_BLUESKY_HANDLE": "alice.bsky.social"})
    # Then the token is masked wherever it appears, the handle (public) is not
    assert redaction.redact(f"x: Authorization: Bearer {token}!") == "x: Authorization: Bearer [REDACTED]!"
    assert redaction.redact("alice.bsky.social") == "alice.bsky.social"
    assert redaction.redact_value({"a": [f"{token}", 3], "b": (token,)}) == {
        "a": ["[REDACTED]", 3],
        "b": ("[REDACTED]",),
    }


def test_log_lines_are_masked_in_message_extra_keys_and_exceptions() -> None:
    # Given a registered secret
    redaction.register(TOKEN)

    # When a message, its arguments, an extra key and an exception all carry it
    def log() -> None:
        logger.warning(f"answer {TOKEN}", extra={"error": f"echo {TOKEN}", "nested": {"k": [TOKEN]}})
        logger.warning("argument %s", f"said {TOKEN}")
        try:
            raise RuntimeError(f"body said Bearer {TOKEN}")
        except RuntimeError:
            logger.exception("crashed")

    lines = logged(log)
    # Then no line holds the secret, and each still says what happened (whichever formatter prints:
    # JSON on Lambda, the CLI's human lines)
    assert TOKEN not in lines
    for said in ("answer [REDACTED]", "echo [REDACTED]", "argument said [REDACTED]", "body said Bearer [REDACTED]"):
        assert said in lines


def test_every_exception_of_a_chain_is_masked_whether_cause_or_context() -> None:
    # Given a secret, and errors raised from an error that carries it, or while handling one
    secret = "token-in-a-chained-error"
    redaction.register(secret)
    caused = RuntimeError("wrapped")
    caused.__cause__ = ValueError(f"cause said {secret}")
    handled = RuntimeError("while handling")
    handled.__context__ = KeyError(f"context said {secret}")

    # When each is logged with its traceback
    def log() -> None:
        for error in (caused, handled):
            logger.error("failed", exc_info=error)

    lines = logged(log)
    # Then no exception of either chain shows the secret
    assert secret not in lines
    assert "cause said [REDACTED]" in lines
    assert "context said [REDACTED]" in lines


def test_an_exception_chain_that_loops_back_is_masked_once_and_logging_ends() -> None:
    # Given two errors, each the context of the other, one carrying a secret
    secret = "token-in-a-looping-chain"
    redaction.register(secret)
    first, second = RuntimeError(f"first said {secret}"), ValueError("second")
    first.__context__, second.__context__ = second, first
    # When the first is logged / Then logging ends, with the secret masked
    record = logging.LogRecord("hotpapers", logging.ERROR, __file__, 1, "failed", None, (RuntimeError, first, None))
    redaction.RedactingFilter().filter(record)
    assert first.args == ("first said [REDACTED]",)


def test_a_value_as_short_as_a_credential_may_be_is_masked_and_shorter_ones_are_not() -> None:
    shorter, shortest_secret = fresh(redaction.MIN_SECRET_LENGTH - 1), fresh(redaction.MIN_SECRET_LENGTH)
    redaction.register("t", shorter, shortest_secret)
    assert redaction.redact(f"the cat {shorter} {shortest_secret}") == f"the cat {shorter} [REDACTED]"


def test_a_secret_holding_another_is_masked_whole() -> None:
    # Given two secrets, the shorter inside the longer (and sorting after it as text)
    short = "zz" + fresh(8)
    long = "aa" + fresh(8) + short
    redaction.register(short, long)
    # When the longer one is redacted / Then none of it is left
    assert redaction.redact(f"token={long};") == "token=[REDACTED];"


def test_a_secret_is_masked_as_written_in_a_url_or_a_json_string_too() -> None:
    # Given a secret with characters that URLs and JSON write otherwise
    redaction.register("redaction-test/secret+value")
    # Then it is masked plain, percent-encoded (a redirect's query) and JSON-escaped, in text and bytes
    assert redaction.redact("https://h/?t=redaction-test%2Fsecret%2Bvalue") == "https://h/?t=[REDACTED]"
    assert redaction.redact_bytes(b'{"t": "redaction-test\\/secret+value"}') == b'{"t": "[REDACTED]"}'
    assert redaction.redact_bytes(b"no secret here") == b"no secret here"
