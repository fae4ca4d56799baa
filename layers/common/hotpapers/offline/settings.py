"""Settings kept with a local data directory: ``<data>/settings.json``, ``HOTPAPERS_*`` names to values.

A data directory made with settings the environment does not hold (the demo's: every source on)
keeps those that shape what is published. ``hotpapers rescore`` and ``render`` on that directory
use them for every name the environment does not set, so they publish what was published; a
name set in the environment wins, so a rescore can still try another threshold.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from hotpapers.config import ConfigError

NAME = "settings.json"


def keep(data: Path, settings: Mapping[str, str]) -> None:
    """Record ``settings`` as the data directory's own (added to those it keeps)."""
    if not settings:
        return
    data.mkdir(parents=True, exist_ok=True)
    merged = {**kept(data), **settings}
    (data / NAME).write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def kept(data: Path) -> dict[str, str]:
    """The settings the data directory keeps (none when it keeps no file)."""
    path = data / NAME
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(document, dict) or not all(
        isinstance(key, str) and key.startswith("HOTPAPERS_") and isinstance(value, str)
        for key, value in document.items()
    ):
        raise ConfigError(f"{path} must map HOTPAPERS_* names to text values")
    return document


def unset(data: Path) -> dict[str, str]:
    """The data directory's settings that the environment does not set."""
    return {key: value for key, value in kept(data).items() if key not in os.environ}
