"""Secrets are masked in every log line and every stored text."""

from __future__ import annotations

import io

from hotpapers import redaction
from hotpapers.config import load_settings
from hotpapers.observability import logger

TOKEN = "AAAA-secret-bearer-token-1234"


def test_configured_secrets_are_masked_in_texts_but_public_names_are_not() -> None:
    # Given settings read with an X token and a Bluesky handle
    load_settings({"HOTPAPERS_X_BEARER_TOKEN": TOKEN, "HOTPAPERS_BLUESKY_HANDLE": "alice.bsky.social"})
    # Then the token is masked wherever it appears, the handle (public) is not
    assert redaction.redact(f"x: Authorization: Bearer {TOKEN}!") == "x: Authorization: Bearer [REDACTED]!"
    assert redaction.redact("alice.bsky.social") == "alice.bsky.social"
    assert redaction.redact_value({"a": [f"{TOKEN}", 3], "b": (TOKEN,)}) == {
        "a": ["[REDACTED]", 3],
        "b": ("[REDACTED]",),
    }


def test_log_lines_are_masked_in_message_extra_keys_and_exceptions() -> None:
    # Given a registered secret and the logger writing into a buffer
    redaction.register(TOKEN)
    buffer = io.StringIO()
    handler = logger.registered_handler
    stream = handler.stream  # type: ignore[attr-defined]
    handler.stream = buffer  # type: ignore[attr-defined]
    try:
        # When a message, an extra key and an exception all carry it
        logger.warning(f"answer {TOKEN}", extra={"error": f"echo {TOKEN}", "nested": {"k": [TOKEN]}})
        try:
            raise RuntimeError(f"body said Bearer {TOKEN}")
        except RuntimeError:
            logger.exception("crashed")
    finally:
        handler.stream = stream  # type: ignore[attr-defined]
    # Then no line holds the secret, and each still says what happened (whichever formatter prints:
    # JSON on Lambda, the CLI's human lines)
    lines = buffer.getvalue()
    assert TOKEN not in lines
    for said in ("answer [REDACTED]", "echo [REDACTED]", "body said Bearer [REDACTED]"):
        assert said in lines


def test_short_values_are_not_taken_for_secrets() -> None:
    redaction.register("t", "abc")
    assert redaction.redact("the cat") == "the cat"
