"""Running one day: ``hotpapers run`` in a child process against the fault server, the settings
it runs with, and the state it leaves."""

from __future__ import annotations

import base64
import functools
import json
import multiprocessing
import os
import re
import sys
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotpapers import config
from hotpapers.catalogue import CATALOGUE
from hotpapers.cli import main

from support.faults.catalogue import (
    CREDENTIALS,
    DAY,
    FETCH_DEADLINE,
    HARD_LIMIT,
    NOW,
    RECORDING,
    REQUEST_TIMEOUT,
    ROOT,
    SOURCE_BUDGET,
    Case,
)
from support.faults.server import demo_day


def timing_env(settings_source: str | None = None) -> dict[str, str]:
    """Short delays, retries and timeouts; any deadline or budget setting the configuration knows is set small.

    The names are read from ``hotpapers/config.py`` itself (literal ``HOTPAPERS_*`` names, and
    per-source suffixes joined to ``HOTPAPERS_<SOURCE>_``), so a setting added later is used
    without editing this list.
    """
    text = settings_source if settings_source is not None else Path(config.__file__).read_text(encoding="utf-8")
    env = {"HOTPAPERS_ARXIV_DELAY": "0.05", "HOTPAPERS_HTTP_RETRIES": "2", "HOTPAPERS_HTTP_BACKOFF": "0.05"}

    def value(name: str) -> str | None:
        if "DEADLINE" in name:
            return f"{FETCH_DEADLINE:g}"
        if "BUDGET" in name:
            return f"{SOURCE_BUDGET:g}"
        if "TIMEOUT" in name:
            return f"{REQUEST_TIMEOUT:g}"
        return None

    literal = set(re.findall(r"HOTPAPERS_[A-Z0-9_]*[A-Z0-9]", text))
    suffixes = set(re.findall(r'(?:\+ "|\})_?([A-Z][A-Z0-9_]*)', text))
    per_source = {f"HOTPAPERS_{source.upper()}_{suffix}" for source in CATALOGUE for suffix in suffixes}
    for name in sorted(literal | per_source):
        setting = value(name)
        if setting is not None:
            env[name] = setting
    return env


def case_env(recording_env: Mapping[str, str], now: str) -> dict[str, str]:
    """The environment of one run: the recording's, fake credentials, short timings, a fixed clock."""
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(("HOTPAPERS_", "AWS_"))}
    return {
        **inherited,
        **recording_env,
        **CREDENTIALS,
        **timing_env(),
        "HOTPAPERS_NOW": now,
        "HOTPAPERS_PROJECT": str(ROOT),
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }


def secrets(recording: Path = RECORDING) -> frozenset[str]:
    """Every credential a run holds: the configured ones, Reddit's Basic form of its pair, and the
    tokens the recorded logins hand out."""
    pair = f"{CREDENTIALS['HOTPAPERS_REDDIT_CLIENT_ID']}:{CREDENTIALS['HOTPAPERS_REDDIT_CLIENT_SECRET']}"
    handed_out = set()
    for name in recording.glob("*.json"):
        document = json.loads(name.read_text(encoding="utf-8"))
        if isinstance(document, dict):
            handed_out |= {str(document[key]) for key in ("accessJwt", "refreshJwt", "access_token") if key in document}
    secret_names = ("TOKEN", "PASSWORD", "SECRET")
    configured = {value for key, value in CREDENTIALS.items() if key.endswith(secret_names)}
    return frozenset({*configured, base64.b64encode(pair.encode()).decode(), *handed_out})


@dataclass(frozen=True)
class Result:
    status: int | None
    """The exit status; ``None`` when the run was killed at ``HARD_LIMIT``."""
    stdout: str
    stderr: str
    seconds: float


def _cli_child(argv: list[str], env: dict[str, str], folder: str) -> None:
    """Run ``hotpapers`` as its console script would, its output and exit status going to files
    in ``folder`` (the status too: a forkserver child's own exit code can come back unread)."""
    os.environ.clear()
    os.environ.update(env)
    for fd, name in ((1, "stdout.txt"), (2, "stderr.txt")):
        target = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    Path(folder, "status.txt").write_text(str(status), encoding="utf-8")
    os._exit(status)


@functools.cache
def _context() -> Any:
    """The forkserver context, its server importing this module (and with it the package) once for
    every child it forks."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def run_cli(argv: list[str], env: dict[str, str], folder: Path, limit: float = HARD_LIMIT) -> Result:
    """``hotpapers <argv>`` in a child process, killed if it runs past ``limit`` seconds."""
    child = _context().Process(target=_cli_child, args=(argv, env, str(folder)), daemon=True)
    started = time.monotonic()
    child.start()
    child.join(limit)
    killed = child.is_alive()
    if killed:
        child.kill()
        child.join()
    seconds = time.monotonic() - started
    written = _text(folder / "status.txt")
    status = int(written) if written else None if killed else child.exitcode
    return Result(status, _text(folder / "stdout.txt"), _text(folder / "stderr.txt"), seconds)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


Tree = dict[str, bytes]


def tree(folder: Path) -> Tree:
    """Every file under ``folder``, by relative path."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@dataclass(frozen=True)
class State:
    data: Tree
    site: Tree

    @classmethod
    def of(cls, folder: Path) -> State:
        return cls(tree(folder / "data"), tree(folder / "site"))

    def digest(self) -> dict[str, Any] | None:
        body = self.site.get(DIGEST_KEY)
        return json.loads(body) if body is not None else None


DIGEST_KEY = f"digests/{DAY}.json"
KEPT_KEYS = (f"raw/{DAY}/manifest.json", f"scored/{DAY}.json")
"""Data keys that stand for the published digest: a refused or kept run leaves them as they were."""


def run_day(
    folder: Path, case: Case | None, now: str = NOW, day: str = DAY, skipped: bool = False
) -> tuple[Result, State]:
    """``hotpapers run`` of ``day`` (the demo day) into ``folder``/data and ``folder``/site,
    ``case`` injected (``skipped``: as on the evening arXiv skipped)."""
    server, recording_env = demo_day(case, skipped=skipped)
    argv = ["run", "--date", day, "--data", str(folder / "data"), "--site", str(folder / "site")]
    with server:
        result = run_cli(argv, case_env(recording_env, now), folder)
    return result, State.of(folder)
