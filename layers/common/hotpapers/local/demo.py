"""``make demo``: the bundled recorded days, built offline through the real chain, oldest first.

Each recording's upstream answers are served by a loopback ``ReplayServer``; every
``HOTPAPERS_*_URL`` points at it, so fetch, score and render run unchanged. Several days give
the demo site an archive, previous and next links and a week page.
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
    """Serve each bundled recording in date order and run the chain for its date; the first failure's code."""
    for folder in sorted(path for path in (project_root() / RECORDINGS).iterdir() if path.is_dir()):
        day = date.fromisoformat(json.loads((folder / "routes.json").read_text(encoding="utf-8"))["date"])
        server, env = ReplayServer.from_recording(folder)
        # The demo's own settings win over the caller's, so the day replays as recorded.
        print(f"Demo: replaying the recorded day {day} from {folder} on {server.url}")
        with server, environment(env):
            code = run(day, data, site)
        if code != 0:
            return code
    return 0
