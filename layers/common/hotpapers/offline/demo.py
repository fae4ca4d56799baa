"""``make demo``: the bundled recorded days, built offline through the real chain, oldest first.

Each recording's upstream answers are served by a loopback ``ReplayServer``; every
``HOTPAPERS_*_URL`` points at it, so fetch, score and render run unchanged. Several days give
the demo site an archive, previous and next links and a week page.

What travels with the demo's data, so that ``hotpapers rescore`` and ``render`` on it publish
what the demo published: each day's notice (``raw/<D>/notice.json``: which parts are real, which
illustrative) and the settings the site was published with (``settings.json``, see
``hotpapers.offline.settings``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hotpapers import layout
from hotpapers.offline import settings
from hotpapers.offline.replay import ReplayServer
from hotpapers.offline.runner import environment, project_root
from hotpapers.store import LocalStore

RECORDINGS = Path("demo") / "recordings"
DATA = Path("demo-output") / "data"
SITE = Path("demo-output") / "site"


def recordings() -> list[Path]:
    """Every bundled recording's folder, oldest day first."""
    return sorted(path for path in (project_root() / RECORDINGS).iterdir() if path.is_dir())


def run_demo(data: Path, site: Path, run: Callable[[date, Path, Path], int]) -> int:
    """Serve each bundled recording in date order and run the chain for its date; the first failure's code."""
    store = LocalStore(data)
    for folder in recordings():
        recording = json.loads((folder / "routes.json").read_text(encoding="utf-8"))
        day = date.fromisoformat(recording["date"])
        settings.keep(data, recording.get("settings", {}))
        if (folder / layout.NOTICE_NAME).is_file():
            store.put(
                layout.notice_key(recording["date"]), (folder / layout.NOTICE_NAME).read_bytes(), "application/json"
            )
        server, env = ReplayServer.from_recording(folder)
        # The demo's own settings win over the caller's, so the day replays as recorded.
        print(f"Demo: replaying the recorded day {day} from {folder} on {server.url}")
        with server, environment(env):
            code = run(day, data, site)
        if code != 0:
            return code
    print(f"Demo data: {data.resolve()} (hotpapers status --data {data} --site {site})")
    return 0
