"""``make demo``: the bundled recorded day, built offline through the real chain.

The recording's upstream answers are served by a loopback ``ReplayServer``; every
``HOTPAPERS_*_URL`` points at it, so fetch, score and render run unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hotpapers.local.replay import ReplayServer
from hotpapers.local.runner import environment, project_root

RECORDINGS = Path("demo") / "recordings"


def run_demo(data: Path, site: Path, run: Callable[[date, Path, Path], int]) -> int:
    """Serve the newest bundled recording and run the chain for its date."""
    folder = sorted((project_root() / RECORDINGS).iterdir())[-1]
    day = date.fromisoformat(json.loads((folder / "routes.json").read_text(encoding="utf-8"))["date"])
    server, env = ReplayServer.from_recording(folder)
    # The demo's own settings win over the caller's, so the day replays as recorded.
    print(f"Demo: replaying the recorded day {day} from {folder} on {server.url}")
    with server, environment(env):
        return run(day, data, site)
