"""What the terminal shows: lines for people by default, the Lambda logs when asked.

By default the structured logs are held back (errors excepted): the CLI prints what happened
from the steps' results, and a detail such as a post whose embed is missing stays in the logs,
for ``--verbose``. ``--log-format json`` prints the logs and the EMF metrics lines as Lambda
writes them to CloudWatch.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

HUMAN, JSON = "human", "json"


class _HumanFormatter(LambdaPowertoolsFormatter):
    """Powertools' structured record, printed as one readable line: message, then its keys."""

    HIDDEN = frozenset(
        {
            "level",
            "location",
            "message",
            "timestamp",
            "service",
            "cold_start",
            "sampling_rate",
            "xray_trace_id",
        }
    )

    def format(self, record: logging.LogRecord) -> str:
        structured = json.loads(super().format(record))
        detail = " ".join(
            f"{key}={value}"
            for key, value in structured.items()
            if key not in self.HIDDEN and not key.startswith("function_") and value is not None
        )
        level = "" if record.levelno == logging.INFO else f"{record.levelname}: "
        return f"   {level}{structured.get('message', '')}" + (f" ({detail})" if detail else "")


class _CurrentStderr:
    """Writes to whatever ``sys.stderr`` is at the time (it may be swapped, as tests do)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure(verbose: bool, log_format: str) -> TextIO:
    """Set up the package's logger for the terminal; returns where the handlers' stdout goes.

    A handler's stdout carries only EMF metrics lines: shown with the JSON logs, dropped otherwise.
    """
    from hotpapers.observability import logger

    if log_format == JSON:
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.registered_handler.setFormatter(LambdaPowertoolsFormatter())
        logger.registered_handler.stream = _CurrentStderr()  # type: ignore[attr-defined]
        return _CurrentStderr()  # type: ignore[return-value]
    logger.setLevel(logging.DEBUG if verbose else logging.ERROR)
    logger.registered_handler.setFormatter(_HumanFormatter())
    logger.registered_handler.stream = _CurrentStderr()  # type: ignore[attr-defined]
    return Discard()  # type: ignore[return-value]


@dataclass
class Progress:
    """``[n/N] day: step (time left)`` lines on stderr.

    The time left is the mean time of the days worked so far (skipped days cost nothing) times
    the days still to go.
    """

    total: int
    done: int = 0
    worked: int = 0
    worked_seconds: float = 0.0
    day_started: float = field(default_factory=time.monotonic)

    def left(self) -> str:
        if not self.worked:
            return "time left: estimating"
        seconds = self.worked_seconds / self.worked * (self.total - self.done)
        return f"about {int(seconds // 60)}m{int(seconds % 60):02d}s left"

    def step(self, day: object, step: str) -> None:
        print(f"[{self.done + 1}/{self.total}] {day}: {step} ({self.left()})", file=sys.stderr)

    def finish_day(self, *, worked: bool) -> None:
        now = time.monotonic()
        if worked:
            self.worked += 1
            self.worked_seconds += now - self.day_started
        self.done += 1
        self.day_started = now


class Discard:
    """A stream that drops what is written (the EMF lines, when people read the terminal)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        """Nothing is held."""
